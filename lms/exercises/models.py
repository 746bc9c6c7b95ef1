"""Practical exercises: what trainees send, how it was judged, and its history.

A `Submission` is one attempt at one module's exercise (the module's slug is
the stable key; the revision it answered is recorded). Its status moves

    menunggu ──review──> lulus
        │      └───────> perlu-revisi ──(new attempt)──> menunggu …
        └──withdraw────> ditarik      ──(new attempt)──> menunggu …

and every change is a `SubmissionEvent` row (who, when, from, to, note).
Screenshots live in the database (`SubmissionImage`), so several app
instances share them; their URL holds a random token, and the route still
checks who is asking.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from lms.auth.models import User
from lms.core.db import utcnow
from lms.extensions import db

WAITING = "menunggu"
APPROVED = "lulus"
REVISE = "perlu-revisi"
WITHDRAWN = "ditarik"
STATUSES = (WAITING, APPROVED, REVISE, WITHDRAWN)

# History actions
SUBMITTED = "kirim"
WITHDREW = "tarik"
REVIEWED = "nilai"
GALLERY_ON = "galeri-setuju"
GALLERY_OFF = "galeri-cabut"


class SubmissionImage(db.Model):
    """A re-encoded screenshot (see lms.exercises.images), served only to its
    owner and to the staff who may review it."""

    __tablename__ = "exercise_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)  # secrets.token_urlsafe(32)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mimetype: Mapped[str] = mapped_column(String(20))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Submission(db.Model):
    __tablename__ = "exercise_submissions"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "attempt"),
        Index("ix_exercise_submissions_wave_id_status", "wave_id", "status"),
        Index("ix_exercise_submissions_module_slug_status", "module_slug", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The wave whose trainers review it (the trainee's wave the exercise applies to).
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id", ondelete="SET NULL"))
    course_slug: Mapped[str] = mapped_column(String(80))
    module_slug: Mapped[str] = mapped_column(String(80))
    revision_number: Mapped[int]
    exercise_slug: Mapped[str] = mapped_column(String(80))
    exercise_title: Mapped[str] = mapped_column(String(200))
    attempt: Mapped[int]  # 1, 2, … per trainee and module
    status: Mapped[str] = mapped_column(String(15), default=WAITING)

    video_provider: Mapped[str | None] = mapped_column(String(15))  # youtube | tiktok | tiktok-short
    video_id: Mapped[str | None] = mapped_column(String(40))
    video_url: Mapped[str | None] = mapped_column(String(200))  # canonical, rebuilt from the id
    text_answer: Mapped[str | None] = mapped_column(Text)
    image_id: Mapped[int | None] = mapped_column(ForeignKey("exercise_images.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)  # the trainee's note to the trainer

    score: Mapped[int | None]
    max_score: Mapped[int | None]
    pass_score: Mapped[int | None]
    rubric_scores: Mapped[list | None] = mapped_column(JSON)  # [{criterion, label, points, max}]
    feedback: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]

    # Public gallery: shown only while approved AND consented.
    gallery_consent_at: Mapped[datetime | None]
    gallery_name: Mapped[str | None] = mapped_column(String(60))

    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewed_by])
    image: Mapped[SubmissionImage | None] = relationship()


class SubmissionEvent(db.Model):
    """One state change of a submission (append-only)."""

    __tablename__ = "exercise_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("exercise_submissions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(15))
    to_status: Mapped[str] = mapped_column(String(15))
    score: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()
