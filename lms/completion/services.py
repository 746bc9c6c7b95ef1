"""The completion rule of a wave, evaluated for one trainee or a whole wave.

A trainee completes a wave when, for every module on the wave's learning
path, the module is marked complete, its quiz is passed (if the wave
requires quizzes and the module has one) and its practical exercise is
approved (if the wave requires exercises and the exercise applies to the
wave's track), and they attended at least the wave's minimum share of the
in-person sessions held so far. This module is the only place that rule is
written; pages, exports and certificates ask it.

`evaluate` runs a fixed number of queries whatever the wave's size.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from lms.auth.models import User
from lms.completion.models import WaveCompletion
from lms.core.revisions import RevisionMemo
from lms.courses.models import STATUS_COMPLETED, Course, Module, ModuleRevision, Progress
from lms.extensions import db
from lms.waves import attendance as wave_attendance
from lms.waves import services as waves
from lms.waves.models import ENROLLED, Enrolment, LearningPathItem, Wave

NOT_STARTED = "belum-mulai"
IN_PROGRESS = "berjalan"
COMPLETE = "selesai"
INCOMPLETE = "tidak-selesai"

STATUS_LABELS = {
    NOT_STARTED: _l("Belum mulai"),
    IN_PROGRESS: _l("Berjalan"),
    COMPLETE: _l("Selesai"),
    INCOMPLETE: _l("Tidak selesai"),
}

MODULE_NOT_STARTED, MODULE_STARTED, MODULE_DONE = "belum", "sedang", "selesai"

MODULE_LABELS = {
    MODULE_DONE: _l("Selesai dibaca"),
    MODULE_STARTED: _l("Sedang dibaca"),
    MODULE_NOT_STARTED: _l("Belum dibuka"),
}


@dataclass(frozen=True)
class PathModule:
    course_slug: str
    module_slug: str
    title: str
    has_quiz: bool
    has_exercise: bool  # an exercise that applies to this wave's track


@dataclass
class Cell:
    module: PathModule
    status: str  # belum | sedang | selesai
    best_score: float | None
    quiz_passed: bool
    exercise_status: str | None  # None when no exercise is required

    @property
    def complete(self) -> bool:
        return self.status == MODULE_DONE


@dataclass
class TraineeProgress:
    user: User
    status: str
    cells: list[Cell]
    modules_done: int
    modules_total: int
    quizzes_missing: int
    exercises_missing: int
    attended: int
    held: int
    attendance_ok: bool
    completed_at: datetime | None
    next_cell: Cell | None = None
    wave: Wave | None = None

    # Cached: the grid template and its sorting ask each of these several times per
    # row, and a wave of 500 has 500 rows (docs/performance.md).
    @cached_property
    def percent(self) -> int:
        """Share of the path's requirements met (modules, quizzes, exercises, attendance)."""
        total = self.modules_total + self.quiz_total + self.exercise_total + 1
        met = self.modules_done + (self.quiz_total - self.quizzes_missing) + (self.exercise_total - self.exercises_missing)
        met += 1 if self.attendance_ok else 0
        return 100 if self.status == COMPLETE else int(100 * met / total)

    @cached_property
    def quiz_total(self) -> int:
        return sum(1 for c in self.cells if c.module.has_quiz)

    @cached_property
    def exercise_total(self) -> int:
        return sum(1 for c in self.cells if c.exercise_status is not None)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @cached_property
    def missing(self) -> list[str]:
        """What is still missing, in plain words: ["2 modul lagi", "1 kuis belum lulus", "kehadiran 1/2"]."""
        if self.status == COMPLETE:
            return []
        parts = []
        left = self.modules_total - self.modules_done
        if left:
            parts.append(ngettext("%(num)d modul lagi", "%(num)d modul lagi", left))
        if self.quizzes_missing:
            parts.append(ngettext("%(num)d kuis belum lulus", "%(num)d kuis belum lulus", self.quizzes_missing))
        if self.exercises_missing:
            parts.append(ngettext("%(num)d tugas praktik belum disetujui", "%(num)d tugas praktik belum disetujui", self.exercises_missing))
        if self.held and not self.attendance_ok:
            parts.append(str(_l("kehadiran %(a)d/%(h)d", a=self.attended, h=self.held)))
        return parts


@dataclass
class WaveProgress:
    wave: Wave
    path: list[PathModule]
    rows: list[TraineeProgress] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        result = {key: 0 for key in STATUS_LABELS}
        for row in self.rows:
            result[row.status] += 1
        return result


# --- the data, in a fixed number of queries ----------------------------------


# What a module revision asks: (has a quiz with questions, the tracks its exercise
# applies to or None without one), by (module slug, revision number, content hash).
# A revision's quiz and exercise never change (new content makes a new revision),
# and decoding the quiz JSON of every module on the path cost ~0.5 ms a module on
# each trainee's request (docs/performance.md), so it is read once per process.
_ASKS: RevisionMemo[tuple[bool, tuple[str, ...] | None]] = RevisionMemo()


def _asks(quiz: dict | None, exercise: dict | None) -> tuple[bool, tuple[str, ...] | None]:
    return bool((quiz or {}).get("questions")), (tuple((exercise or {}).get("tracks") or ()) if exercise else None)


def _asks_of(revision_id: int) -> tuple[bool, tuple[str, ...] | None]:
    """What one revision asks, read on its own (only when the memo was emptied between the two steps below)."""
    return _asks(*db.session.execute(
        db.select(ModuleRevision.quiz, ModuleRevision.exercise).where(ModuleRevision.id == revision_id)).one())


def path_modules(wave: Wave) -> list[PathModule]:
    """The wave's learning path with what each module asks (2 queries; 3 the first
    time a revision is seen by this process)."""
    return paths_of([wave])[wave.id]


def paths_of(wave_list: Sequence[Wave]) -> dict[int, list[PathModule]]:
    """`path_modules` for several waves at once, in the same 2 (or 3) queries."""
    result: dict[int, list[PathModule]] = {wave.id: [] for wave in wave_list}
    items = db.session.execute(
        db.select(LearningPathItem.wave_id, LearningPathItem.module_slug)
        .where(LearningPathItem.wave_id.in_(list(result)))
        .order_by(LearningPathItem.wave_id, LearningPathItem.position)
    ).all()
    if not items:
        return result
    slugs = sorted({slug for _wave_id, slug in items})
    rows = db.session.execute(
        db.select(Module.slug, Course.slug, ModuleRevision.title, ModuleRevision.id, ModuleRevision.number,
                  ModuleRevision.content_hash)
        .join(Course, Course.id == Module.course_id)
        .join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .where(Module.slug.in_(slugs))
    ).all()
    unknown = [row[3] for row in rows if (row[0], row[4], row[5]) not in _ASKS]
    if unknown:
        for slug, number, content_hash, quiz, exercise in db.session.execute(
            db.select(Module.slug, ModuleRevision.number, ModuleRevision.content_hash, ModuleRevision.quiz,
                      ModuleRevision.exercise)
            .join(Module, Module.id == ModuleRevision.module_id)
            .where(ModuleRevision.id.in_(unknown))
        ):
            _ASKS.get(slug, number, content_hash, lambda q=quiz, e=exercise: _asks(q, e))
    info = {row[0]: row for row in rows}
    tracks_of = {wave.id: wave.track for wave in wave_list}
    for wave_id, slug in items:
        row = info.get(slug)
        if row is None:  # the module was removed from the catalogue: nothing to ask for
            continue
        has_quiz, tracks = _ASKS.get(row[0], row[4], row[5], lambda r=row: _asks_of(r[3]))
        applies = tracks is not None and (not tracks or tracks_of[wave_id] in tracks)
        result[wave_id].append(PathModule(row[1], row[0], row[2], has_quiz=has_quiz, has_exercise=applies))
    return result


def _progress_rows(user_ids_query, slugs: Sequence[str]) -> dict[int, dict[str, tuple]]:
    """user id → {module slug → (status, best_score, quiz_passed_at)}: the Progress
    columns the rule reads, as plain tuples. A wave of 500 has ~15,000 of them;
    loading them as entities cost ~60 µs each (docs/performance.md)."""
    if not slugs:
        return {}
    rows = db.session.execute(
        db.select(Progress.user_id, Progress.module_slug, Progress.status, Progress.best_score, Progress.quiz_passed_at)
        .where(Progress.user_id.in_(user_ids_query), Progress.module_slug.in_(slugs))
    )
    result: dict[int, dict[str, tuple]] = {}
    for user_id, slug, status, best_score, passed_at in rows:
        result.setdefault(user_id, {})[slug] = (status, best_score, passed_at)
    return result


def _exercise_statuses(user_ids_query, slugs: Sequence[str]) -> dict[tuple[int, str], str]:
    """(user, module) → the latest submission's status. Filled by the exercises package."""
    from lms.completion import providers

    return providers.exercise_statuses(user_ids_query, slugs)


def _completions(wave: Wave) -> dict[int, datetime]:
    stmt = db.select(WaveCompletion.user_id, WaveCompletion.completed_at).where(WaveCompletion.wave_id == wave.id)
    return dict(db.session.execute(stmt).all())


def evaluate(wave: Wave, now: datetime) -> WaveProgress:
    """Every enrolled trainee's progress in the wave (one trainee's: `trainee_progress`)."""
    path = path_modules(wave)
    slugs = [m.module_slug for m in path]
    users = waves.enrolled_users(wave)
    user_ids = db.select(Enrolment.user_id).where(Enrolment.wave_id == wave.id, Enrolment.status == ENROLLED)
    progress = _progress_rows(user_ids, slugs)
    exercises = _exercise_statuses(user_ids, slugs) if wave.exercises_required and any(m.has_exercise for m in path) else {}
    # The roster is known: attendance of just them, without loading it again.
    attendance = wave_attendance.attendance_summary(wave, now, users=users)
    completions = _completions(wave)
    ended = waves.local_today(now) > wave.ends_on
    result = WaveProgress(wave=wave, path=path)
    for person in users:
        result.rows.append(_trainee(wave, person, path, progress.get(person.id, {}), exercises, attendance.get(person.id),
                                    completions, ended))
    return result


def _trainee(wave, person, path, progress, exercises, summary, completions, ended) -> TraineeProgress:
    """`progress`: this trainee's {module slug → (status, best_score, quiz_passed_at)}."""
    cells, done, quiz_missing, exercise_missing, touched = [], 0, 0, 0, False
    next_cell = None
    # Read once: per-cell attribute reads add up on a grid of 500 × 30 (docs/performance.md).
    person_id = person.id
    exercises_required, quizzes_required = wave.exercises_required, wave.quizzes_required
    for module in path:
        slug = module.module_slug
        row = progress.get(slug)
        if row is None:
            status, best_score, quiz_passed = MODULE_NOT_STARTED, None, False
        else:
            touched = True
            status = MODULE_DONE if row[0] == STATUS_COMPLETED else MODULE_STARTED
            best_score, quiz_passed = row[1], row[2] is not None
        exercise_status = None
        if exercises_required and module.has_exercise:
            exercise_status = exercises.get((person_id, slug), "belum")
        cell = Cell(module, status, best_score, quiz_passed, exercise_status)
        cells.append(cell)
        done += status == MODULE_DONE
        quiz_needed = quizzes_required and module.has_quiz and not quiz_passed
        quiz_missing += quiz_needed
        exercise_needed = exercise_status is not None and exercise_status != "lulus"
        exercise_missing += exercise_needed
        if next_cell is None and (status != MODULE_DONE or quiz_needed or exercise_needed):
            next_cell = cell
    attended, held = (summary.attended, summary.held) if summary else (0, 0)
    attendance_ok = held == 0 or 100 * attended >= wave.attendance_min_percent * held
    completed_at = completions.get(person.id)
    met = done == len(path) and not quiz_missing and not exercise_missing and attendance_ok
    if completed_at is not None or met:
        status = COMPLETE
    elif ended:
        status = INCOMPLETE
    elif not touched and not attended:
        status = NOT_STARTED
    else:
        status = IN_PROGRESS
    return TraineeProgress(
        user=person, status=status, cells=cells, modules_done=done, modules_total=len(path),
        quizzes_missing=quiz_missing, exercises_missing=exercise_missing, attended=attended, held=held,
        attendance_ok=attendance_ok, completed_at=completed_at, next_cell=next_cell,
    )


def trainee_progress(wave: Wave, user: User, now: datetime) -> TraineeProgress | None:
    """One trainee's progress in a wave; None when they hold no seat in it."""
    if not waves.is_enrolled(wave, user):
        return None
    return progress_in_waves(user, [wave], now)[0]


def progress_in_waves(user: User, wave_list: Sequence[Wave], now: datetime) -> list[TraineeProgress]:
    """The trainee's progress in each of these waves, where the caller knows they
    hold a seat (`waves.waves_of`), in a fixed number of queries however many
    waves: the same rule (`_trainee`) over data read once for all of them."""
    if not wave_list:
        return []
    paths = paths_of(wave_list)
    slugs = sorted({module.module_slug for path in paths.values() for module in path})
    user_ids = db.select(User.id).where(User.id == user.id)
    progress = _progress_rows(user_ids, slugs).get(user.id, {})
    wants_exercises = any(wave.exercises_required and any(m.has_exercise for m in paths[wave.id]) for wave in wave_list)
    exercises = _exercise_statuses(user_ids, slugs) if wants_exercises else {}
    attendance = wave_attendance.attendance_in(user, wave_list, now)
    completed = dict(db.session.execute(
        db.select(WaveCompletion.wave_id, WaveCompletion.completed_at)
        .where(WaveCompletion.user_id == user.id, WaveCompletion.wave_id.in_([wave.id for wave in wave_list]))
    ).all())
    today = waves.local_today(now)
    result = []
    for wave in wave_list:
        completions = {user.id: completed[wave.id]} if wave.id in completed else {}
        row = _trainee(wave, user, paths[wave.id], progress, exercises, attendance.get(wave.id), completions,
                       today > wave.ends_on)
        row.wave = wave
        result.append(row)
    return result


# --- recording completion -------------------------------------------------------


def record_completions(user: User, now: datetime) -> list[Wave]:
    """Record (once) every wave this trainee has newly completed; returns them."""
    newly = []
    recorded = set(db.session.scalars(db.select(WaveCompletion.wave_id).where(WaveCompletion.user_id == user.id)))
    # Recorded once, kept for good: no need to evaluate those again (this runs inside a write).
    candidates = [wave for wave in waves.waves_of(user) if wave.id not in recorded]
    for progress in progress_in_waves(user, _all_modules_done(user, candidates), now):
        if progress.status != COMPLETE or progress.completed_at is not None:
            continue
        db.session.add(WaveCompletion(wave_id=progress.wave.id, user_id=user.id, completed_at=now))
        newly.append(progress.wave)
    db.session.flush()
    return newly


def _all_modules_done(user: User, candidates: list[Wave]) -> list[Wave]:
    """The waves among `candidates` where the trainee has completed every module of the path.

    A necessary condition of the rule, checked for all the waves in two small
    indexed queries (the paths; the trainee's completed modules) so that the full
    rule (~9 queries a wave) runs only where it can succeed: most passed quizzes
    are not a trainee's last step (docs/performance.md). Counts only modules that
    are in the catalogue, as `path_modules` does. (One query joining the two let
    PostgreSQL's planner scan progress by module for every trainee: 30 ms.)
    """
    if not candidates:
        return []
    paths: dict[int, set[str]] = {wave.id: set() for wave in candidates}
    for wave_id, slug in db.session.execute(
        db.select(LearningPathItem.wave_id, LearningPathItem.module_slug)
        .join(Module, Module.slug == LearningPathItem.module_slug)
        .where(LearningPathItem.wave_id.in_(list(paths)), Module.current_revision_id.is_not(None))
    ):
        paths[wave_id].add(slug)
    done = set(db.session.scalars(
        db.select(Progress.module_slug).where(Progress.user_id == user.id, Progress.status == STATUS_COMPLETED)
    ))
    return [wave for wave in candidates if paths[wave.id] <= done]


def completed_user_ids(wave: Wave) -> set[int]:
    return set(db.session.scalars(db.select(WaveCompletion.user_id).where(WaveCompletion.wave_id == wave.id)))


# --- the trainee's home ----------------------------------------------------------


def home_progress(user: User, now: datetime) -> list[TraineeProgress]:
    """One entry per wave where the trainee holds a seat."""
    return progress_in_waves(user, waves.waves_of(user), now)
