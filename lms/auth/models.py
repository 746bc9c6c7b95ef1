from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import utcnow
from lms.extensions import db


class Role(StrEnum):
    ADMIN = "admin"
    TRAINER = "trainer"
    TRAINEE = "trainee"


# Kota Malang's five kecamatan, plus "outside the city".
KECAMATAN = ("blimbing", "klojen", "kedungkandang", "lowokwaru", "sukun", "luar-kota")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.TRAINEE.value, index=True)
    kecamatan: Mapped[str | None] = mapped_column(String(30))
    birth_year: Mapped[int | None]
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    is_opd_head: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(String(5), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deactivated_at: Mapped[datetime | None]

    agency = relationship("Agency", lazy="joined")

    # Set by the user loader: which login session this request belongs to.
    _session_token = None

    def get_id(self) -> str | None:
        # Flask-Login keeps this in the cookie: the login session's token,
        # never the user id, so revoking the session refuses a replayed cookie.
        return self._session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_trainer(self) -> bool:
        return self.role == Role.TRAINER

    @property
    def is_staff(self) -> bool:
        """Trainers and admins: the people who run the programme."""
        return self.role in (Role.ADMIN, Role.TRAINER)

    @property
    def login(self) -> str:
        return self.phone or self.email or ""


class UserSession(db.Model):
    """One login on one device. The cookie holds a random token; its hash is here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class LoginEvent(db.Model):
    """Login successes, failures and lockouts (never the password)."""

    __tablename__ = "login_events"
    __table_args__ = (Index("ix_login_events_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ip: Mapped[str | None] = mapped_column(String(45))
    outcome: Mapped[str] = mapped_column(String(10))  # success | failure | locked
    at: Mapped[datetime] = mapped_column(default=utcnow)


class TotpCredential(db.Model):
    """A staff member's authenticator app (two-step login), one per account.

    Made unconfirmed when setup starts; it guards logins only once a code from
    the app has confirmed it. `last_step` is the newest 30-second step already
    used, so a code works once. Recovery codes are kept as SHA-256 hashes and
    removed when used.
    """

    __tablename__ = "totp_credentials"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int] = mapped_column(default=0)
    recovery_hashes: Mapped[list] = mapped_column(JSON, default=list)
