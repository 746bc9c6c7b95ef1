"""Quiz rules: attempts, grading on the server, progress, statistics, question import.

Plain functions with explicit arguments (`user`, `now`); they flush, never
commit. Reads return frozen dataclasses so templates cannot trigger queries.

Concurrency
-----------
- Starting an attempt first makes sure the trainee's Progress row for the
  module exists (INSERT … ON CONFLICT DO NOTHING) and locks it (SELECT … FOR
  UPDATE on PostgreSQL; on SQLite a POST's transaction is BEGIN IMMEDIATE, so
  writers queue). Two taps on "Mulai kuis" therefore see each other: the
  second resumes the attempt the first created, and the attempt limit holds.
- Submitting closes the attempt with a conditional UPDATE … WHERE
  status = 'open'. Only the request whose UPDATE changed the row records the
  grade and touches Progress; a retried or doubled POST finds nothing to
  change and simply shows the result.
- Progress.best_score and quiz_passed_at are updated in one UPDATE that
  keeps the larger score and the first pass time, so no read-modify-write.

Time limit
----------
`deadline_at` = start + time limit. A submission is accepted until
`deadline_at + GRACE` (30 s for slow connections). After that the answers
are refused: the attempt is closed as `expired` and graded as if nothing was
answered (0 points); it counts as an attempt. An open attempt whose time has
run out is closed the same way the next time the trainee opens the quiz. The
quiz page counts down and submits by itself when the time is up.

Stored quizzes
--------------
A module revision's `quiz` JSON is either the ```quiz block's YAML data (from
the module file) or, for revisions made by `lms import-questions`,
`Quiz.to_dict()` (recognised by its "settings" key, which a block never
has). `load_quiz` reads both.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func

from lms.auth.models import Role, User
from lms.core.revisions import RevisionMemo
from lms.courses import services as courses
from lms.courses.models import Module, ModuleRevision, Progress
from lms.extensions import db
from lms.quizzes.block import parse_quiz_block
from lms.quizzes.grading import GradeResult, grade, grade_attempt, public_view
from lms.quizzes.models import EXPIRED, OPEN, SUBMITTED, QuizAttempt
from lms.quizzes.questions import (
    MATCHING,
    MULTIPLE,
    Question,
    Quiz,
    QuizSettings,
    choice_ids,
    unique_id,
)

GRACE = timedelta(seconds=30)
WEAK_FACILITY = 40.0  # percent: questions answered worse than this are flagged for trainers
MAX_TEXT_ANSWER = 500  # characters kept of a typed answer
SHOW_IMMEDIATELY, SHOW_AFTER_PASS, SHOW_AFTER_LAST, SHOW_NEVER = (
    "immediately", "after_pass", "after_last_attempt", "never")


class QuizError(Exception):
    """A rule refused the action; `message` is for the trainee (lazy, Indonesian msgid)."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


# ------------------------------------------------------------------ loading


def load_quiz(data: Mapping[str, Any] | None) -> Quiz | None:
    """The Quiz stored in a module revision (either stored form; see the module docstring)."""
    if not data:
        return None
    if isinstance(data.get("settings"), dict):
        return Quiz.from_dict(dict(data))
    quiz, _errors = parse_quiz_block(dict(data), lambda _path: 0)
    return quiz


@dataclass(frozen=True)
class QuizInfo:
    """A module and the quiz of its current revision."""

    course_slug: str
    course_title: str
    module_slug: str
    module_title: str
    revision_number: int
    quiz: Quiz
    retired: bool  # the module or its course left the catalogue

    @property
    def settings(self) -> QuizSettings:
        return self.quiz.settings


# Parsing a stored quiz runs the block validator (~0.5 ms) and a submission
# needs it twice (docs/performance.md); Quiz is frozen.
_PARSED: RevisionMemo[Quiz | None] = RevisionMemo(1024)


def _parsed(module_slug: str, number: int, content_hash: str, data: Mapping[str, Any] | None) -> Quiz | None:
    return _PARSED.get(module_slug, number, content_hash, lambda: load_quiz(data))


def current_quiz(module_slug: str) -> QuizInfo | None:
    """The quiz of the module's current revision; None when there is none. One query."""
    block = courses.current_block(module_slug, "quiz")
    if block is None:
        return None
    quiz = _parsed(module_slug, block.revision_number, block.content_hash, block.data)
    if quiz is None or not quiz.questions:
        return None
    return QuizInfo(block.course_slug, block.course_title, module_slug, block.module_title, block.revision_number,
                    quiz, retired=block.retired)


def _revision_quiz(module_slug: str, number: int) -> Quiz | None:
    row = db.session.execute(
        db.select(ModuleRevision.content_hash, ModuleRevision.quiz)
        .join(Module, Module.id == ModuleRevision.module_id)
        .where(Module.slug == module_slug, ModuleRevision.number == number)
    ).first()
    return _parsed(module_slug, number, row[0], row[1]) if row is not None else None


def get_attempt(user, attempt_id: int) -> QuizAttempt | None:
    """The trainee's own attempt; anyone else's is None (the view answers 404)."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        return None
    return attempt


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    """An open attempt whose time, grace included, has run out."""
    return attempt.status == OPEN and attempt.deadline_at is not None and now > attempt.deadline_at + GRACE


def seconds_left_at(deadline_at: datetime | None, now: datetime) -> int | None:
    """Whole seconds until a deadline (no grace), never negative; None without a time limit."""
    if deadline_at is None:
        return None
    return max(0, int((deadline_at - now).total_seconds()))


# ----------------------------------------------------------------- overview


@dataclass(frozen=True)
class AttemptSummary:
    id: int
    attempt_number: int
    status: str
    started_at: datetime
    deadline_at: datetime | None
    submitted_at: datetime | None
    percent: float | None
    passed: bool | None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class QuizOverview:
    info: QuizInfo
    attempts: tuple[AttemptSummary, ...]  # oldest first
    allowed: int  # 0 = unlimited

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def remaining(self) -> int | None:
        """Attempts left (an open one not counted as left); None when unlimited."""
        if not self.allowed:
            return None
        return max(0, self.allowed - self.used)

    @property
    def open_attempt(self) -> AttemptSummary | None:
        return next((a for a in self.attempts if a.is_open), None)

    @property
    def closed(self) -> tuple[AttemptSummary, ...]:
        return tuple(a for a in self.attempts if not a.is_open)

    @property
    def best_percent(self) -> float | None:
        scores = [a.percent for a in self.closed if a.percent is not None]
        return max(scores) if scores else None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.closed)

    @property
    def can_start(self) -> bool:
        """A new attempt may begin (or the open one be resumed)."""
        if self.info.retired:
            return False
        return self.open_attempt is not None or self.remaining is None or self.remaining > 0


def _summary(attempt: QuizAttempt) -> AttemptSummary:
    return AttemptSummary(attempt.id, attempt.attempt_number, attempt.status, attempt.started_at,
                          attempt.deadline_at, attempt.submitted_at, attempt.percent, attempt.passed)


def _attempts_of(user_id: int, module_slug: str) -> list[QuizAttempt]:
    return list(db.session.scalars(
        db.select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_slug == module_slug)
        .order_by(QuizAttempt.attempt_number)
    ))


def overview(user, module_slug: str) -> QuizOverview | None:
    """The quiz intro: settings and this trainee's attempts. Two queries.

    None when the module has no quiz, or it left the catalogue and the
    trainee never tried it."""
    info = current_quiz(module_slug)
    if info is None:
        return None
    attempts = tuple(_summary(a) for a in _attempts_of(user.id, module_slug))
    if info.retired and not attempts:
        return None
    return QuizOverview(info, attempts, info.settings.attempts)


def overdue_attempt_id(user, module_slug: str, now: datetime) -> int | None:
    """The trainee's open attempt at this module if its time ran out (the view then closes it)."""
    attempt = db.session.scalar(
        db.select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.module_slug == module_slug,
                                     QuizAttempt.status == OPEN)
    )
    return attempt.id if attempt is not None and is_overdue(attempt, now) else None


# ------------------------------------------------------------------ progress


def _lock_progress(user_id: int, module_slug: str) -> None:
    """Serialise attempt starts of one trainee at one module (FOR UPDATE; a no-op on SQLite,
    whose write transactions already queue)."""
    db.session.execute(
        db.select(Progress.id).where(Progress.user_id == user_id, Progress.module_slug == module_slug)
        .with_for_update()
    ).first()


def _record_grade(user_id: int, course_slug: str, module_slug: str, percent: float, passed: bool,
                  now: datetime) -> None:
    """Keep the best percent and the first time the quiz was passed, in one UPDATE."""
    courses.ensure_progress(user_id, course_slug, module_slug, now)
    values: dict[str, Any] = {
        "best_score": case(
            (and_(Progress.best_score.is_not(None), Progress.best_score >= percent), Progress.best_score),
            else_=percent,
        ),
    }
    if passed:
        values["quiz_passed_at"] = func.coalesce(Progress.quiz_passed_at, now)
    db.session.execute(
        db.update(Progress)
        .where(Progress.user_id == user_id, Progress.module_slug == module_slug)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


# ------------------------------------------------------------------ attempts


@dataclass(frozen=True)
class Started:
    attempt_id: int
    resumed: bool  # an open attempt already existed (a double tap, or coming back)


def start_attempt(user, module_slug: str, now: datetime) -> Started | None:
    """Begin an attempt at the module's current quiz, or resume the open one.

    None when the module has no quiz in the catalogue. Raises QuizError
    ("used_up") when the attempts allowed are used.
    """
    info = current_quiz(module_slug)
    if info is None or info.retired:
        return None
    courses.ensure_progress(user.id, info.course_slug, module_slug, now)
    _lock_progress(user.id, module_slug)
    attempts = _attempts_of(user.id, module_slug)
    for attempt in attempts:
        if attempt.status != OPEN:
            continue
        if not is_overdue(attempt, now):
            return Started(attempt.id, resumed=True)
        _close(attempt, {}, now, expired=True)
    settings = info.settings
    if settings.attempts and len(attempts) >= settings.attempts:
        raise QuizError("used_up", _l("Kesempatan mengerjakan kuis ini sudah habis (%(n)d dari %(n)d percobaan).",
                                      n=settings.attempts))
    question_ids, option_orders = draw_questions(info.quiz, secrets.SystemRandom())
    number = max((a.attempt_number for a in attempts), default=0) + 1
    deadline = now + timedelta(minutes=settings.time_limit_minutes) if settings.time_limit_minutes else None
    attempt = QuizAttempt(
        user_id=user.id, module_slug=module_slug, course_slug=info.course_slug,
        revision_number=info.revision_number, attempt_number=number, question_ids=question_ids,
        option_orders=option_orders, started_at=now, deadline_at=deadline, pass_mark=float(settings.pass_mark),
        status=OPEN,
    )
    db.session.add(attempt)
    db.session.flush()
    return Started(attempt.id, resumed=False)


def draw_questions(quiz: Quiz, rng: secrets.SystemRandom) -> tuple[list[str], dict[str, list[str]]]:
    """(question ids in the order shown, {question id: option or choice ids in the order shown}).

    `draw` picks that many questions at random, kept in authored order
    unless `shuffle_questions`; `shuffle_options` shuffles the options of
    single/multiple questions and the choices of matching questions (whose
    choices are otherwise listed alphabetically by `public_view`)."""
    settings = quiz.settings
    questions = list(quiz.questions)
    if settings.draw and settings.draw < len(questions):
        picked = set(rng.sample(range(len(questions)), settings.draw))
        questions = [q for index, q in enumerate(questions) if index in picked]
    if settings.shuffle_questions:
        rng.shuffle(questions)
    orders: dict[str, list[str]] = {}
    for question in questions:
        ids = choice_ids(question)
        if settings.shuffle_options and ids:
            rng.shuffle(ids)
            orders[question.id] = ids
        else:
            orders[question.id] = []
    return [q.id for q in questions], orders


def attempt_questions(attempt: QuizAttempt, quiz: Quiz | None = None) -> list[Question]:
    """The attempt's questions in the order shown (from the revision it used)."""
    quiz = quiz or _revision_quiz(attempt.module_slug, attempt.revision_number)
    if quiz is None:
        return []
    found = (quiz.question(qid) for qid in attempt.question_ids)
    return [q for q in found if q is not None]


def clean_responses(questions: Sequence[Question], responses: Mapping[str, Any]) -> dict[str, Any]:
    """Only the attempt's questions, in the shapes `grade` reads, texts cut to a sane length."""
    clean: dict[str, Any] = {}
    for question in questions:
        value = responses.get(question.id)
        if value is None:
            continue
        if question.type == MULTIPLE:
            values = value if isinstance(value, (list, tuple)) else [value]
            clean[question.id] = sorted({v for v in values if isinstance(v, str)})
        elif question.type == MATCHING:
            if isinstance(value, Mapping):
                clean[question.id] = {str(k): v for k, v in value.items() if isinstance(v, str) and v}
        elif isinstance(value, str):
            clean[question.id] = value[:MAX_TEXT_ANSWER]
    return clean


@dataclass(frozen=True)
class Submitted:
    attempt_id: int
    graded_now: bool  # False: it had been closed already (a double tap, a retried POST)
    expired: bool  # the answers came after the deadline and were refused
    passed: bool


def submit_attempt(user, attempt_id: int, responses: Mapping[str, Any], now: datetime) -> Submitted | None:
    """Grade the trainee's answers on the server and close the attempt. Idempotent.

    None when the attempt is not the trainee's. Answers arriving after the
    deadline plus GRACE are refused: the attempt is closed as expired with
    nothing answered."""
    attempt = get_attempt(user, attempt_id)
    if attempt is None:
        return None
    if attempt.status == OPEN:
        late = is_overdue(attempt, now)
        if _close(attempt, {} if late else responses, now, expired=late):
            return Submitted(attempt.id, graded_now=True, expired=late, passed=bool(attempt.passed))
        db.session.refresh(attempt)
    return Submitted(attempt.id, graded_now=False, expired=attempt.status == EXPIRED, passed=bool(attempt.passed))


def expire_attempt(user, attempt_id: int, now: datetime) -> bool:
    """Close the trainee's open attempt as expired if its time ran out; True if that happened."""
    attempt = get_attempt(user, attempt_id)
    if attempt is None or not is_overdue(attempt, now):
        return False
    return _close(attempt, {}, now, expired=True)


def _close(attempt: QuizAttempt, responses: Mapping[str, Any], now: datetime, *, expired: bool) -> bool:
    """Grade and close an open attempt with one conditional UPDATE; False if another request did first.

    The Progress row is locked first, as `start_attempt` does, so the two
    always take their locks in the same order."""
    _lock_progress(attempt.user_id, attempt.module_slug)
    questions = attempt_questions(attempt)
    answers = clean_responses(questions, responses)
    result = grade_attempt(questions, answers)
    passed = result.passed(attempt.pass_mark) and not expired
    changed = db.session.execute(
        db.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == OPEN)
        .values(status=EXPIRED if expired else SUBMITTED, submitted_at=now, answers=answers,
                fractions={qid: r.fraction for qid, r in result.results.items()},
                score=result.score, max_score=result.max_score, percent=result.percent, passed=passed)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        return False
    _record_grade(attempt.user_id, attempt.course_slug, attempt.module_slug, result.percent, passed, now)
    db.session.expire(attempt)
    return True


# -------------------------------------------------------------------- pages


@dataclass(frozen=True)
class AttemptPage:
    """What the quiz page shows: public views only (no answer key)."""

    attempt: AttemptSummary
    module_slug: str
    module_title: str
    course_slug: str
    views: tuple[dict, ...]  # grading.public_view of each question, in the attempt's order


def attempt_page(user, attempt_id: int) -> AttemptPage | None:
    attempt = get_attempt(user, attempt_id)
    if attempt is None:
        return None
    orders = attempt.option_orders or {}
    views = tuple(public_view(q, orders.get(q.id) or None) for q in attempt_questions(attempt))
    return AttemptPage(_summary(attempt), attempt.module_slug, _module_title(attempt.module_slug),
                       attempt.course_slug, views)


def _module_title(module_slug: str) -> str:
    return db.session.scalar(db.select(Module.title).where(Module.slug == module_slug)) or module_slug


@dataclass(frozen=True)
class ReviewItem:
    number: int
    question: Question
    view: dict  # public_view in the order the trainee saw
    response: Any
    grade: GradeResult


@dataclass(frozen=True)
class AttemptReport:
    attempt: AttemptSummary
    module_slug: str
    module_title: str
    course_slug: str
    score: float
    max_score: float
    pass_mark: float
    show_answers: bool  # the quiz's show_answers policy allows the key, feedback and explanations now
    policy: str  # show_answers of the attempt's quiz
    can_retry: bool
    remaining: int | None  # None = unlimited
    items: tuple[ReviewItem, ...]  # empty unless show_answers


def answers_visible(policy: str, *, passed_ever: bool, attempts_left: bool) -> bool:
    """Whether a closed attempt's answer key, feedback and explanations may be shown.

    immediately: always; after_pass: once the trainee has passed the quiz
    (any attempt); after_last_attempt: once no attempt is left (never with
    unlimited attempts); never: never."""
    if policy == SHOW_IMMEDIATELY:
        return True
    if policy == SHOW_AFTER_PASS:
        return passed_ever
    if policy == SHOW_AFTER_LAST:
        return not attempts_left
    return False


def attempt_report(user, attempt_id: int) -> AttemptReport | None:
    """The result page of a closed attempt (None if not the trainee's or still open)."""
    attempt = get_attempt(user, attempt_id)
    if attempt is None or attempt.status == OPEN:
        return None
    quiz = _revision_quiz(attempt.module_slug, attempt.revision_number)
    current = current_quiz(attempt.module_slug)
    siblings = _attempts_of(user.id, attempt.module_slug)
    allowed = current.settings.attempts if current is not None else len(siblings)
    remaining = None if not allowed else max(0, allowed - len(siblings))
    has_open = any(a.status == OPEN for a in siblings)
    attempts_left = current is not None and not current.retired and (remaining is None or remaining > 0 or has_open)
    passed_ever = any(a.passed for a in siblings)
    policy = quiz.settings.show_answers if quiz is not None else SHOW_NEVER
    show = answers_visible(policy, passed_ever=passed_ever, attempts_left=attempts_left)
    items: list[ReviewItem] = []
    if show and quiz is not None:
        answers = attempt.answers or {}
        orders = attempt.option_orders or {}
        for number, question in enumerate(attempt_questions(attempt, quiz), start=1):
            response = answers.get(question.id)
            items.append(ReviewItem(number, question, public_view(question, orders.get(question.id) or None),
                                    response, grade(question, response)))
    return AttemptReport(
        attempt=_summary(attempt), module_slug=attempt.module_slug, module_title=_module_title(attempt.module_slug),
        course_slug=attempt.course_slug, score=attempt.score or 0.0, max_score=attempt.max_score or 0.0,
        pass_mark=attempt.pass_mark,
        show_answers=show, policy=policy, can_retry=attempts_left, remaining=remaining, items=tuple(items),
    )


# --------------------------------------------------------------- statistics


@dataclass(frozen=True)
class TraineeRow:
    user_id: int
    name: str
    attempts: int
    best_percent: float | None
    passed: bool


@dataclass(frozen=True)
class QuestionStat:
    number: int
    id: str
    question: Question | None  # None: no longer in the current quiz
    answered: int  # submitted attempts that drew it
    facility: float | None  # mean score on it, percent (partial credit counts)

    @property
    def weak(self) -> bool:
        return self.facility is not None and self.facility < WEAK_FACILITY


@dataclass(frozen=True)
class QuizStatistics:
    info: QuizInfo
    trainees: tuple[TraineeRow, ...]
    questions: tuple[QuestionStat, ...]
    submitted: int  # attempts graded from answers (expired ones excluded)


def statistics(module_slug: str) -> QuizStatistics | None:
    """Trainers' view of a quiz: per trainee and per question (facility index). Two queries,
    however many attempts there are.

    Only trainees' attempts count (staff trying the quiz out do not). The
    facility index of a question is the mean fraction scored on it over the
    submitted attempts that drew it, as a percent; attempts closed by the
    time limit are left out of it."""
    info = current_quiz(module_slug)
    if info is None:
        return None
    rows = db.session.execute(
        db.select(User.id, User.name, QuizAttempt.status, QuizAttempt.percent, QuizAttempt.passed,
                  QuizAttempt.fractions)
        .join(User, User.id == QuizAttempt.user_id)
        .where(QuizAttempt.module_slug == module_slug, User.role == Role.TRAINEE.value)
        .order_by(User.name, User.id, QuizAttempt.attempt_number)
    ).all()
    trainees: dict[int, dict] = {}
    totals: dict[str, list[float]] = {}
    submitted = 0
    for user_id, name, status, percent, passed, fractions in rows:
        entry = trainees.setdefault(user_id, {"name": name, "attempts": 0, "best": None, "passed": False})
        entry["attempts"] += 1
        if status != OPEN and percent is not None:
            entry["best"] = percent if entry["best"] is None else max(entry["best"], percent)
        entry["passed"] = entry["passed"] or bool(passed)
        if status == SUBMITTED:
            submitted += 1
            for qid, fraction in (fractions or {}).items():
                totals.setdefault(qid, []).append(float(fraction))
    stats: list[QuestionStat] = []
    known = [q.id for q in info.quiz.questions]
    for number, qid in enumerate(known + sorted(set(totals) - set(known)), start=1):
        values = totals.get(qid, [])
        facility = round(100.0 * sum(values) / len(values), 1) if values else None
        stats.append(QuestionStat(number, qid, info.quiz.question(qid), len(values), facility))
    trainee_rows = tuple(TraineeRow(uid, e["name"], e["attempts"], e["best"], e["passed"])
                         for uid, e in trainees.items())
    return QuizStatistics(info, trainee_rows, tuple(stats), submitted)


# ------------------------------------------------- for waves and progress grids


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


# ------------------------------------------------------- importing questions


@dataclass
class QuestionImport:
    """What `import_questions` did or would do."""

    module_slug: str
    problems: list[str] = field(default_factory=list)  # refusals (nothing is written)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    added: int = 0
    replaced: int = 0  # questions of the previous quiz dropped by --replace
    total: int = 0
    revision_number: int | None = None  # the new revision (None with dry_run or problems)
    content_hash: str | None = None
    quiz: Quiz | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def quiz_hash(quiz: Quiz) -> str:
    """The content hash of a revision made by import-questions: sha256 of "questions:" + the quiz JSON."""
    text = json.dumps(quiz.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(("questions:" + text).encode("utf-8")).hexdigest()


def import_questions(module_slug: str, questions: Sequence[Question], now: datetime, *, replace: bool = False,
                     dry_run: bool = False, line_of: Mapping[str, int] | None = None,
                     created_by: int | None = None) -> QuestionImport:
    """Store a new revision of the module with these questions appended to its quiz (or replacing them).

    The new revision copies the current one (title, metadata, body, table of
    contents, exercise); the quiz keeps its settings (the defaults if the
    module had none). Ids that clash with questions already in the quiz get
    a suffix ("q1" → "q1-2", with a warning). With `dry_run` nothing is written.
    """
    outcome = QuestionImport(module_slug)
    row = db.session.execute(
        db.select(Module, ModuleRevision).join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .where(Module.slug == module_slug)
    ).first()
    if row is None:
        outcome.problems.append(f"unknown module '{module_slug}' (or it has no revision yet)")
        return outcome
    module, revision = row
    existing = load_quiz(revision.quiz)
    settings = existing.settings if existing is not None else QuizSettings()
    kept = [] if replace or existing is None else list(existing.questions)
    outcome.replaced = len(existing.questions) if replace and existing is not None else 0
    used = {q.id for q in kept}
    added: list[Question] = []
    for question in questions:
        qid = unique_id(question.id, used)
        if qid != question.id:
            line = (line_of or {}).get(question.id, 0)
            outcome.warnings.append((line, f"id '{question.id}' is already in the quiz; stored as '{qid}'"))
            question = Question.from_dict({**question.to_dict(), "id": qid})
        added.append(question)
    if not added:
        outcome.problems.append("no questions to import")
    all_questions = kept + added
    if settings.draw and settings.draw > len(all_questions):
        outcome.problems.append(f"the quiz draws {settings.draw} questions per attempt but would hold "
                                f"only {len(all_questions)}")
    quiz = Quiz(settings=settings, questions=tuple(all_questions))
    outcome.quiz, outcome.added, outcome.total = quiz, len(added), len(all_questions)
    outcome.content_hash = quiz_hash(quiz)
    if outcome.problems or dry_run:
        return outcome
    number = (db.session.scalar(
        db.select(func.max(ModuleRevision.number)).where(ModuleRevision.module_id == module.id)
    ) or 0) + 1
    new = ModuleRevision(
        module_id=module.id, number=number, content_hash=outcome.content_hash, title=revision.title,
        meta=dict(revision.meta or {}), body_html=revision.body_html, toc=list(revision.toc or []),
        quiz=quiz.to_dict(), exercise=revision.exercise, created_at=now, created_by=created_by,
    )
    db.session.add(new)
    db.session.flush()
    module.current_revision_id = new.id
    db.session.flush()
    outcome.revision_number = number
    return outcome


def current_questions(module_slug: str) -> list[Question] | None:
    """The questions of the module's current quiz (for export); None if the module has no quiz."""
    info = current_quiz(module_slug)
    return list(info.quiz.questions) if info is not None else None
