"""The trainer's progress grid: filtering, sorting and paging the rows that
`services.evaluate` computed (the rule itself stays in services.py)."""
from __future__ import annotations

from dataclasses import dataclass

from lms.completion.services import COMPLETE, STATUS_LABELS, TraineeProgress, WaveProgress

# The progress grid shows this many trainees a page: a wave of 500 × 30 modules was
# 3.5 MB of HTML and most of the page's time (docs/performance.md).
GRID_PAGE_SIZE = 100

SORTS = {
    "nama": lambda r: (r.user.name.casefold(), r.user.id),
    "kemajuan": lambda r: (-r.percent, r.user.name.casefold()),
    "status": lambda r: (list(STATUS_LABELS).index(r.status), r.user.name.casefold()),
}


@dataclass(frozen=True)
class GridPage:
    rows: list[TraineeProgress]
    number: int  # 1-based
    pages: int
    first: int  # 1-based position of the first row shown (0 when there is none)
    last: int
    total: int


def page_of(rows: list[TraineeProgress], number: int, size: int | None = None) -> GridPage:
    """One page of the (filtered, sorted) rows; a number out of range shows the nearest page."""
    size = size or GRID_PAGE_SIZE
    pages = max(1, -(-len(rows) // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    shown = rows[start:start + size]
    return GridPage(rows=shown, number=number, pages=pages, first=start + 1 if shown else 0,
                    last=start + len(shown), total=len(rows))


def filtered(progress: WaveProgress, status: str | None, sort: str) -> list[TraineeProgress]:
    rows = progress.rows
    if status == "belum-selesai":
        rows = [r for r in rows if r.status != COMPLETE]
    elif status in STATUS_LABELS:
        rows = [r for r in rows if r.status == status]
    return sorted(rows, key=SORTS.get(sort, SORTS["nama"]))
