"""Waves, who is in them, their learning path, sessions, attendance and news.

Timestamps are naive UTC like everywhere else; dates (`starts_on`,
`ends_on`) are calendar dates in Kota Malang (Asia/Jakarta).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.core.db import utcnow
from lms.extensions import db

TRACKS = ("umum", "opd", "lansia")

ENROLLED = "enrolled"
WAITLISTED = "waitlisted"
WITHDRAWN = "withdrawn"
REMOVED = "removed"
STATUSES = (ENROLLED, WAITLISTED, WITHDRAWN, REMOVED)
ACTIVE_STATUSES = (ENROLLED, WAITLISTED)

SOURCES = ("self", "admin", "csv")

wave_trainers = Table(
    "wave_trainers",
    db.metadata,
    Column("wave_id", ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Wave(db.Model):
    __tablename__ = "waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    programme: Mapped[str] = mapped_column(String(200))
    stage: Mapped[int] = mapped_column(default=1)
    code: Mapped[str] = mapped_column(String(12), unique=True)  # used in certificate serials
    track: Mapped[str] = mapped_column(String(10), default="umum")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int] = mapped_column(default=50)
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    hours: Mapped[int] = mapped_column(default=0)  # printed on the certificate
    attendance_min_percent: Mapped[int] = mapped_column(default=75)
    quizzes_required: Mapped[bool] = mapped_column(default=True)
    exercises_required: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainers: Mapped[list[User]] = relationship(secondary=wave_trainers, order_by=User.name)

    def registration_open(self, now: datetime) -> bool:
        if self.registration_opens_at is None or self.registration_closes_at is None:
            return False
        return self.registration_opens_at <= now < self.registration_closes_at


class LearningPathItem(db.Model):
    """One module of a wave's learning path, by stable slugs."""

    __tablename__ = "wave_modules"
    __table_args__ = (UniqueConstraint("wave_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(80))
    module_slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]


class Enrolment(db.Model):
    __tablename__ = "wave_enrolments"
    __table_args__ = (
        UniqueConstraint("wave_id", "user_id"),
        Index("ix_wave_enrolments_wave_id_status", "wave_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(10), default="self")
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)  # also the waitlist order
    enrolled_at: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]  # got a seat from the waitlist
    notice_seen_at: Mapped[datetime | None]  # dismissed the "you got a seat" notice
    left_at: Mapped[datetime | None]  # withdrawn or removed
    reason: Mapped[str | None] = mapped_column(String(300))  # why an admin removed them
    moved_to_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id", ondelete="SET NULL"))  # removed by a move

    wave: Mapped[Wave] = relationship(foreign_keys=[wave_id], lazy="joined")
    user: Mapped[User] = relationship(lazy="joined")
    moved_to: Mapped[Wave | None] = relationship(foreign_keys=[moved_to_id])


class ClassSession(db.Model):
    """One in-person meeting of a wave (kept apart from `db.session` by name)."""

    __tablename__ = "wave_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    secret: Mapped[str] = mapped_column(String(64))  # HMAC key of the check-in code
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    wave: Mapped[Wave] = relationship()


class Attendance(db.Model):
    __tablename__ = "wave_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("wave_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(10))  # code | roster
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Announcement(db.Model):
    __tablename__ = "wave_announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # plain text, shown escaped with its line breaks
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    wave: Mapped[Wave] = relationship()
    author: Mapped[User | None] = relationship()


class EnrolmentImport(db.Model):
    """A checked CSV waiting for the admin's confirmation. The parsed rows stay
    on the server between preview and confirm; they are cleared once confirmed.
    No password is ever stored here."""

    __tablename__ = "wave_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    rows: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
