"""Quiz attempts: one row per try of one trainee at one module's quiz.

An attempt records everything needed to show and grade it again later
without trusting the page: which revision's quiz it used, the questions
drawn in the order shown, each question's shuffled option (or matching
choice) ids, and, once closed, the answers and the grade. The answer key
itself stays in the module revision's `quiz` JSON.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.db import utcnow
from lms.extensions import db

OPEN = "open"
SUBMITTED = "submitted"
EXPIRED = "expired"  # the time limit ran out: graded as unanswered
STATUSES = (OPEN, SUBMITTED, EXPIRED)


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "attempt_number"),
        Index("ix_quiz_attempts_module_slug_status", "module_slug", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    course_slug: Mapped[str] = mapped_column(String(80))
    revision_number: Mapped[int]  # the module revision whose quiz was used
    attempt_number: Mapped[int]  # 1..n per trainee and module
    question_ids: Mapped[list] = mapped_column(JSON, default=list)  # drawn, in the order shown
    option_orders: Mapped[dict] = mapped_column(JSON, default=dict)  # {question id: [option / choice ids]}
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]  # started_at + time limit (no grace); None = no limit
    submitted_at: Mapped[datetime | None]  # when it was closed (submitted or expired)
    answers: Mapped[dict | None] = mapped_column(JSON)  # {question id: response}
    fractions: Mapped[dict | None] = mapped_column(JSON)  # {question id: 0..1}, for the statistics
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    pass_mark: Mapped[float] = mapped_column(Float)  # in force when the attempt started
    passed: Mapped[bool | None]
    status: Mapped[str] = mapped_column(String(10), default=OPEN)  # open | submitted | expired
