"""Trainers' view of a quiz: per trainee and per question (facility index)."""
from __future__ import annotations

from dataclasses import dataclass

from lms.auth.models import Role, User
from lms.extensions import db
from lms.quizzes.models import OPEN, SUBMITTED, QuizAttempt
from lms.quizzes.questions import Question
from lms.quizzes.services import QuizInfo, current_quiz

WEAK_FACILITY = 40.0  # percent: questions answered worse than this are flagged for trainers


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
