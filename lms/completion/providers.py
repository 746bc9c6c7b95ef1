"""Where completion reads the state of practical exercises.

The exercises package reports a status per (user, module) through
`statuses_for`; "lulus" means approved.
"""
from __future__ import annotations

from collections.abc import Sequence

from lms.exercises import services as exercises


def exercise_statuses(user_ids_query, slugs: Sequence[str]) -> dict[tuple[int, str], str]:
    return exercises.statuses_for(user_ids_query, slugs)


def exercise_label(status: str) -> str:
    """The words for an exercise status ("belum": nothing sent yet)."""
    return str(exercises.STATUS_LABELS.get(None if status == "belum" else status, status))
