"""For waves and progress grids: each trainee's best quiz score and first pass per module,
and which modules have a quiz. One query each."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from lms.courses.models import Module, ModuleRevision, Progress
from lms.extensions import db


@dataclass(frozen=True)
class QuizStanding:
    user_id: int
    module_slug: str
    best_percent: float | None
    passed_at: datetime | None

    @property
    def passed(self) -> bool:
        return self.passed_at is not None


def standings(user_ids: Iterable[int], module_slugs: Iterable[str]) -> dict[tuple[int, str], QuizStanding]:
    """Best score (percent) and first pass time per (user id, module slug), from Progress. One query.

    Pairs without a graded attempt are missing from the result."""
    user_ids, module_slugs = list(set(user_ids)), list(set(module_slugs))
    if not user_ids or not module_slugs:
        return {}
    rows = db.session.execute(
        db.select(Progress.user_id, Progress.module_slug, Progress.best_score, Progress.quiz_passed_at)
        .where(Progress.user_id.in_(user_ids), Progress.module_slug.in_(module_slugs),
               Progress.best_score.is_not(None))
    ).all()
    return {(uid, slug): QuizStanding(uid, slug, best, passed_at) for uid, slug, best, passed_at in rows}


def modules_with_quiz(module_slugs: Iterable[str]) -> set[str]:
    """Which of these modules have a quiz in their current revision. One query."""
    slugs = list(set(module_slugs))
    if not slugs:
        return set()
    rows = db.session.execute(
        db.select(Module.slug, ModuleRevision.quiz)
        .join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .where(Module.slug.in_(slugs))
    ).all()
    return {slug for slug, data in rows if data}
