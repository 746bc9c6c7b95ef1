"""What the trainee's quiz pages show: the intro (settings and the trainee's
attempts), the attempt form (public views only) and the result of a closed
attempt (with the answer key when the quiz's show_answers policy allows).

Reads only; frozen dataclasses so templates cannot trigger queries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lms.courses.models import Module
from lms.extensions import db
from lms.quizzes.grading import GradeResult, grade, public_view
from lms.quizzes.models import OPEN, QuizAttempt
from lms.quizzes.questions import Question
from lms.quizzes.services import (
    QuizInfo,
    attempt_questions,
    attempts_of,
    current_quiz,
    get_attempt,
    is_overdue,
    revision_quiz,
)

SHOW_IMMEDIATELY, SHOW_AFTER_PASS, SHOW_AFTER_LAST, SHOW_NEVER = (
    "immediately", "after_pass", "after_last_attempt", "never")


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


def overview(user, module_slug: str) -> QuizOverview | None:
    """The quiz intro: settings and this trainee's attempts. Two queries.

    None when the module has no quiz, or it left the catalogue and the
    trainee never tried it."""
    info = current_quiz(module_slug)
    if info is None:
        return None
    attempts = tuple(_summary(a) for a in attempts_of(user.id, module_slug))
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
    quiz = revision_quiz(attempt.module_slug, attempt.revision_number)
    current = current_quiz(attempt.module_slug)
    siblings = attempts_of(user.id, attempt.module_slug)
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
