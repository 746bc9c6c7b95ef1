"""What trainees see of the curriculum and what they have read.

Plain functions with explicit arguments (`user`, `now`); they flush, never
commit. Every read returns plain frozen dataclasses, so templates cannot
trigger lazy loads and each page issues a fixed number of queries however
large a course is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_
from sqlalchemy.dialects import postgresql, sqlite

from lms.courses.models import STATUS_COMPLETED, STATUS_STARTED, Course, Module, ModuleRevision, Progress
from lms.extensions import db

NOT_STARTED = "not_started"


@dataclass(frozen=True)
class CourseCard:
    slug: str
    title: str
    summary: str
    tracks: tuple[str, ...]
    estimated_hours: float
    total: int  # modules in the catalogue
    completed: int  # of those, completed by this trainee
    completed_any: int  # including retired modules (history)
    retired: bool

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


@dataclass(frozen=True)
class ModuleRow:
    slug: str
    title: str
    duration_minutes: int | None
    status: str  # not_started | started | completed
    current_number: int | None
    revision_number_completed: int | None
    completed_at: datetime | None
    retired: bool

    @property
    def updated_since_completed(self) -> bool:
        return (self.status == STATUS_COMPLETED and self.current_number is not None
                and (self.revision_number_completed or 0) < self.current_number)


@dataclass(frozen=True)
class CoursePage:
    course: CourseCard
    intro_html: str
    modules: tuple[ModuleRow, ...]  # in the catalogue, in order
    history: tuple[ModuleRow, ...]  # retired modules this trainee completed


@dataclass(frozen=True)
class Lesson:
    course_slug: str
    course_title: str
    module_slug: str
    title: str
    revision_number: int
    body_html: str
    toc: tuple[dict, ...]
    meta: dict
    retired: bool  # the module or its course left the catalogue
    status: str
    revision_number_completed: int | None
    completed_at: datetime | None
    has_quiz: bool = False  # the revision has a quiz (the page links to /kuis/<module slug>)
    has_exercise: bool = False  # the revision sets a practical exercise (links to /tugas/<module slug>)

    @property
    def updated_since_completed(self) -> bool:
        return self.status == STATUS_COMPLETED and (self.revision_number_completed or 0) < self.revision_number

    @property
    def can_complete(self) -> bool:
        return not self.retired and (self.status != STATUS_COMPLETED or self.updated_since_completed)


@dataclass(frozen=True)
class Neighbour:
    slug: str
    title: str


@dataclass(frozen=True)
class Position:
    number: int  # 1-based place of the module in its course
    total: int
    previous: Neighbour | None
    next: Neighbour | None


@dataclass(frozen=True)
class NextModule:
    course_slug: str
    course_title: str
    module_slug: str
    module_title: str
    started: bool


def _active_module():
    return and_(Module.retired_at.is_(None), Module.current_revision_id.is_not(None))


def _status(progress_status: str | None) -> str:
    return progress_status or NOT_STARTED


def catalogue(user) -> tuple[list[CourseCard], list[CourseCard]]:
    """(courses in catalogue order, retired courses this trainee has history in). One query."""
    total = (db.select(func.count(Module.id))
             .where(Module.course_id == Course.id, _active_module())
             .correlate(Course).scalar_subquery())
    completed = (db.select(func.count(Progress.id))
                 .join(Module, Module.slug == Progress.module_slug)
                 .where(Module.course_id == Course.id, _active_module(),
                        Progress.user_id == user.id, Progress.status == STATUS_COMPLETED)
                 .correlate(Course).scalar_subquery())
    completed_any = (db.select(func.count(Progress.id))
                     .join(Module, Module.slug == Progress.module_slug)
                     .where(Module.course_id == Course.id, Progress.user_id == user.id,
                            Progress.status == STATUS_COMPLETED)
                     .correlate(Course).scalar_subquery())
    rows = db.session.execute(
        db.select(Course, total, completed, completed_any).order_by(Course.order, Course.slug)
    ).all()
    active, history = [], []
    for course, n_total, n_done, n_any in rows:
        card = _card(course, n_total, n_done, n_any)
        if course.retired_at is None:
            if n_total:
                active.append(card)
        elif n_any:
            history.append(card)
    return active, history


def _card(course: Course, total: int, completed: int, completed_any: int) -> CourseCard:
    return CourseCard(
        slug=course.slug, title=course.title, summary=course.summary, tracks=tuple(course.tracks or ()),
        estimated_hours=course.estimated_hours, total=total or 0, completed=completed or 0,
        completed_any=completed_any or 0, retired=course.retired_at is not None,
    )


def course_page(user, course_slug: str) -> CoursePage | None:
    """The course and its modules with this trainee's status. Two queries.
    None if there is no such course, or it is retired and the trainee has no
    history in it."""
    course = db.session.scalar(db.select(Course).where(Course.slug == course_slug))
    if course is None:
        return None
    rows = db.session.execute(
        db.select(Module.slug, Module.title, Module.retired_at, Module.current_revision_id,
                  ModuleRevision.number, ModuleRevision.meta,
                  Progress.status, Progress.revision_number_completed, Progress.completed_at)
        .outerjoin(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .outerjoin(Progress, and_(Progress.user_id == user.id, Progress.module_slug == Module.slug))
        .where(Module.course_id == course.id)
        .order_by(Module.order, Module.slug)
    ).all()
    modules, history = [], []
    for slug, title, retired_at, revision_id, number, meta, status, number_done, completed_at in rows:
        row = ModuleRow(
            slug=slug, title=title, duration_minutes=(meta or {}).get("duration_minutes"), status=_status(status),
            current_number=number, revision_number_completed=number_done, completed_at=completed_at,
            retired=retired_at is not None or course.retired_at is not None,
        )
        if not row.retired and revision_id is not None:
            modules.append(row)
        elif row.status == STATUS_COMPLETED:
            history.append(row)
    if course.retired_at is not None and not history:
        return None
    done = sum(1 for m in modules if m.status == STATUS_COMPLETED)
    card = _card(course, len(modules), done, done + len(history))
    return CoursePage(course=card, intro_html=course.intro_html, modules=tuple(modules), history=tuple(history))


def lesson_for(user, course_slug: str, module_slug: str) -> Lesson | None:
    """The module's current revision with this trainee's progress. One query."""
    row = db.session.execute(
        db.select(Course.title, Course.retired_at, Module.retired_at, ModuleRevision, Progress)
        .join(Module, Module.course_id == Course.id)
        .join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .outerjoin(Progress, and_(Progress.user_id == user.id, Progress.module_slug == Module.slug))
        .where(Course.slug == course_slug, Module.slug == module_slug)
    ).first()
    if row is None:
        return None
    course_title, course_retired, module_retired, revision, progress = row
    return Lesson(
        course_slug=course_slug, course_title=course_title, module_slug=module_slug, title=revision.title,
        revision_number=revision.number, body_html=revision.body_html, toc=tuple(revision.toc or ()),
        meta=dict(revision.meta or {}), retired=course_retired is not None or module_retired is not None,
        status=_status(progress.status if progress else None),
        revision_number_completed=progress.revision_number_completed if progress else None,
        completed_at=progress.completed_at if progress else None,
        has_quiz=bool(revision.quiz),
        has_exercise=bool(revision.exercise),
    )


def position_in_course(course_slug: str, module_slug: str) -> Position | None:
    """Where a module sits in its course, with its neighbours. One query
    (slugs and titles of the course's modules)."""
    rows = db.session.execute(
        db.select(Module.slug, Module.title)
        .join(Course, Course.id == Module.course_id)
        .where(Course.slug == course_slug, _active_module())
        .order_by(Module.order, Module.slug)
    ).all()
    slugs = [slug for slug, _title in rows]
    if module_slug not in slugs:
        return None
    index = slugs.index(module_slug)
    previous = Neighbour(*rows[index - 1]) if index > 0 else None
    following = Neighbour(*rows[index + 1]) if index + 1 < len(rows) else None
    return Position(number=index + 1, total=len(rows), previous=previous, next=following)


@dataclass(frozen=True)
class CurrentBlock:
    """A module's current revision with one of its stored blocks ("quiz" or "exercise")."""

    course_slug: str
    course_title: str
    module_title: str
    revision_number: int
    content_hash: str
    data: dict | None
    retired: bool  # the module or its course left the catalogue


def current_block(module_slug: str, kind: str) -> CurrentBlock | None:
    """What the quiz and exercise packages read about a module before their own block (one query)."""
    column = {"quiz": ModuleRevision.quiz, "exercise": ModuleRevision.exercise}[kind]
    row = db.session.execute(
        db.select(Course.slug, Course.title, Course.retired_at, Module.retired_at, ModuleRevision.title,
                  ModuleRevision.number, ModuleRevision.content_hash, column)
        .join(Module, Module.course_id == Course.id)
        .join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .where(Module.slug == module_slug)
    ).first()
    if row is None:
        return None
    course_slug, course_title, course_retired, module_retired, title, number, content_hash, data = row
    return CurrentBlock(course_slug, course_title, title, number, content_hash, data,
                        retired=course_retired is not None or module_retired is not None)


def ensure_progress(user_id: int, course_slug: str, module_slug: str, now: datetime) -> None:
    """INSERT … ON CONFLICT DO NOTHING: two taps at once cannot collide."""
    values = dict(user_id=user_id, module_slug=module_slug, course_slug=course_slug,
                  status=STATUS_STARTED, first_opened_at=now)
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        db.session.execute(
            insert(Progress).values(**values).on_conflict_do_nothing(index_elements=["user_id", "module_slug"])
        )
        return
    exists = db.session.scalar(  # pragma: no cover - other databases are not supported
        db.select(Progress.id).where(Progress.user_id == user_id, Progress.module_slug == module_slug)
    )
    if exists is None:  # pragma: no cover
        db.session.add(Progress(**values))
        db.session.flush()


def mark_started(user, course_slug: str, module_slug: str, now: datetime) -> None:
    """Record that the trainee opened a lesson (nothing changes if they had)."""
    ensure_progress(user.id, course_slug, module_slug, now)


def mark_completed(user, course_slug: str, module_slug: str, now: datetime) -> bool | None:
    """Mark the module's current revision completed.

    Returns True if that changed something, False if it was already complete
    (repeated taps change nothing), None if the module is not in the catalogue.
    """
    number = db.session.scalar(
        db.select(ModuleRevision.number)
        .join(Module, Module.current_revision_id == ModuleRevision.id)
        .join(Course, Course.id == Module.course_id)
        .where(Course.slug == course_slug, Module.slug == module_slug,
               Course.retired_at.is_(None), _active_module())
    )
    if number is None:
        return None
    ensure_progress(user.id, course_slug, module_slug, now)
    result = db.session.execute(
        db.update(Progress)
        .where(Progress.user_id == user.id, Progress.module_slug == module_slug,
               or_(Progress.status != STATUS_COMPLETED, Progress.revision_number_completed.is_(None),
                   Progress.revision_number_completed < number))
        .values(status=STATUS_COMPLETED, completed_at=now, revision_number_completed=number)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount > 0


def next_module_for(user) -> NextModule | None:
    """The first module, in catalogue order, that the trainee has not completed. One query."""
    row = db.session.execute(
        db.select(Course.slug, Course.title, Module.slug, Module.title, Progress.status)
        .join(Module, Module.course_id == Course.id)
        .outerjoin(Progress, and_(Progress.user_id == user.id, Progress.module_slug == Module.slug))
        .where(Course.retired_at.is_(None), _active_module(),
               or_(Progress.status.is_(None), Progress.status != STATUS_COMPLETED))
        .order_by(Course.order, Course.slug, Module.order, Module.slug)
        .limit(1)
    ).first()
    if row is None:
        return None
    course_slug, course_title, module_slug, module_title, status = row
    return NextModule(course_slug, course_title, module_slug, module_title, started=status == STATUS_STARTED)


def default_path(track: str) -> list[tuple[str, str]]:
    """The modules a new wave of this track requires by default: each course's
    `required[track]` list (course metadata), in catalogue order."""
    rows = db.session.execute(
        db.select(Course.slug, Course.required, Module.slug)
        .join(Module, Module.course_id == Course.id)
        .where(Course.retired_at.is_(None), _active_module())
        .order_by(Course.order, Course.slug, Module.order, Module.slug)
    )
    return [(course_slug, module_slug) for course_slug, required, module_slug in rows
            if module_slug in (required or {}).get(track, [])]
