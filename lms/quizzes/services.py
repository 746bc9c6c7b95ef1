"""Quiz rules: loading a module's quiz, attempts, grading on the server, progress.

Plain functions with explicit arguments (`user`, `now`); they flush, never
commit. Reads return frozen dataclasses so templates cannot trigger queries.
Its siblings may import it and are never imported by it: `pages.py` (what
the trainee's quiz pages show), `statistics.py` (trainers' view of a quiz)
and `importing.py` (`lms import-questions`).

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

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func

from lms.core.revisions import RevisionMemo
from lms.courses import services as courses
from lms.courses.models import Module, ModuleRevision, Progress
from lms.extensions import db
from lms.quizzes.block import parse_quiz_block
from lms.quizzes.grading import grade_attempt
from lms.quizzes.models import EXPIRED, OPEN, SUBMITTED, QuizAttempt
from lms.quizzes.questions import (
    MATCHING,
    MULTIPLE,
    Question,
    Quiz,
    QuizSettings,
    choice_ids,
)

GRACE = timedelta(seconds=30)
MAX_TEXT_ANSWER = 500  # characters kept of a typed answer


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


def revision_quiz(module_slug: str, number: int) -> Quiz | None:
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



def attempts_of(user_id: int, module_slug: str) -> list[QuizAttempt]:
    return list(db.session.scalars(
        db.select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_slug == module_slug)
        .order_by(QuizAttempt.attempt_number)
    ))


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
    attempts = attempts_of(user.id, module_slug)
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
    quiz = quiz or revision_quiz(attempt.module_slug, attempt.revision_number)
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
