"""A per-process memo of what is derived from a module revision.

A revision's content never changes: new content makes a new revision, so
anything computed from it (a parsed quiz, an exercise's rubric, whether it asks
for a quiz) can be kept for the life of the process, keyed by module slug,
revision number and content hash. The hash keeps two databases (tests, or a
restored backup) that reuse slug and number for different content apart.
Values must be immutable: they are shared between threads and requests.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class RevisionMemo(Generic[T]):
    """Bounded: when full it starts again (cheaper than LRU bookkeeping; a
    catalogue has a few hundred revisions in use)."""

    def __init__(self, limit: int = 4096) -> None:
        self._values: dict[Hashable, T] = {}
        self._limit = limit

    def get(self, module_slug: str, number: int, content_hash: str, build: Callable[[], T]) -> T:
        key = (module_slug, number, content_hash)
        try:
            return self._values[key]
        except KeyError:
            pass
        value = build()
        if len(self._values) >= self._limit:
            self._values.clear()
        self._values[key] = value
        return value

    def __contains__(self, key: tuple[str, int, str]) -> bool:
        return key in self._values
