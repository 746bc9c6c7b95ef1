"""Certificates and the design an admin edits.

A certificate is a record, never recomputed: the name as printed, the
programme, wave, dates and hours, and the modules with the revision each
trainee completed are snapshots taken at issue time. Revoking keeps the
row; at most one certificate per trainee and wave is valid (not revoked)
at any time, enforced by a partial unique index.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.core.db import utcnow
from lms.extensions import db
from lms.waves.models import Wave

_VALID = text("revoked_at IS NULL")


class CertificateDesign(db.Model):
    """One saved version of the certificate design. Saving adds a row, so a
    certificate keeps the texts, signatory and signature it was issued with."""

    __tablename__ = "certificate_designs"

    id: Mapped[int] = mapped_column(primary_key=True)
    heading: Mapped[str] = mapped_column(String(80))
    heading_en: Mapped[str] = mapped_column(String(80))
    awarded: Mapped[str] = mapped_column(String(80))
    awarded_en: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    issuer_name: Mapped[str] = mapped_column(String(120))
    issuer_title: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(80))
    # Re-encoded PNGs (never the uploaded bytes).
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # Exactly one valid certificate per trainee and wave; revoked ones stay beside it.
        Index(
            "uq_certificates_valid_user_wave",
            "user_id",
            "wave_id",
            unique=True,
            sqlite_where=_VALID,
            postgresql_where=_VALID,
        ),
        UniqueConstraint("wave_id", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)
    sequence: Mapped[int]  # 1..n per wave, the last part of the serial
    serial: Mapped[str] = mapped_column(String(40), unique=True)  # SINAU/2026/G03/0047
    code: Mapped[str] = mapped_column(String(64), unique=True)  # secrets.token_urlsafe(24): the public URL
    # What is printed, as it was at issue time.
    name: Mapped[str] = mapped_column(String(120))
    programme: Mapped[str] = mapped_column(String(200))
    wave_name: Mapped[str] = mapped_column(String(120))
    stage: Mapped[int]
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[int]
    modules: Mapped[list] = mapped_column(JSON, default=list)  # [{course, module, title, revision, completed_at}]
    design_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_designs.id", ondelete="SET NULL"))
    # Open Badges 2.0 recipient, fixed at issue time: a salted hash of the email, or for
    # accounts without one the certificate's verification URL (never the phone number).
    recipient_type: Mapped[str] = mapped_column(String(10))  # email | url
    recipient_identity: Mapped[str] = mapped_column(String(80))  # sha256$<hex> for email; "" for url (built from the code)
    recipient_salt: Mapped[str] = mapped_column(String(40))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: automatic
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    wave: Mapped[Wave] = relationship()
    issuer: Mapped[User | None] = relationship(foreign_keys=[issued_by])
    revoker: Mapped[User | None] = relationship(foreign_keys=[revoked_by])

    @property
    def valid(self) -> bool:
        return self.revoked_at is None
