"""Certificates: issue once, revoke, re-issue, look up.

Plain functions with explicit arguments (`user`, `now`, `base_url`); they
flush, never commit, and raise `CertificateError(field, message)` when a rule
refuses. Whether a trainee completed a wave is asked of `lms.completion`,
never decided here. The design and the PDF live in `documents.py`, the
Open Badges 2.0 documents in `badges.py`; both import this module, never the
other way round.

Exactly one valid certificate per trainee and wave: a partial unique index
(`WHERE revoked_at IS NULL`) on (user_id, wave_id). Issuing inserts inside a
savepoint; an IntegrityError means another request issued first (or took the
same serial number), so we look again and return theirs or try the next
number.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from lms.audit import services as audit
from lms.auth.models import User
from lms.certificates.models import Certificate, CertificateDesign
from lms.completion import services as completion
from lms.courses.models import STATUS_COMPLETED, Progress
from lms.extensions import db
from lms.waves import services as waves
from lms.waves.models import Wave

SERIAL_PREFIX = "SINAU"
MAX_TRIES = 5
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SERIAL_RE = re.compile(r"^[A-Z0-9/-]{1,40}$")


class CertificateError(ValueError):
    """A rule refused; `field` names the form field to blame (or "")."""

    def __init__(self, field: str, message):
        super().__init__(message)  # lazy: rendered in the reader's language when shown
        self.field = field
        self.message = message


def local_date(value: datetime) -> date:
    return waves.local_today(value)


# --- looking certificates up --------------------------------------------------------


def get(certificate_id: int) -> Certificate | None:
    return db.session.get(Certificate, certificate_id)


def by_code(code: str) -> Certificate | None:
    if not code or not CODE_RE.match(code):
        return None
    return db.session.scalar(db.select(Certificate).where(Certificate.code == code))


def normalise_serial(raw: str | None) -> str:
    """What someone typed from paper: spaces dropped, upper case ("sinau/2026/g03/0047")."""
    return "".join((raw or "").split()).upper()[:60]


def by_serial(raw: str | None) -> Certificate | None:
    serial = normalise_serial(raw)
    if not serial or not SERIAL_RE.match(serial):
        return None
    return db.session.scalar(db.select(Certificate).where(Certificate.serial == serial))


def can_view(user: User, certificate: Certificate) -> bool:
    """The owner, the wave's trainers and admins; for anyone else it does not exist."""
    return certificate.user_id == user.id or waves.can_manage(user, certificate.wave)


def of_user(user: User) -> list[Certificate]:
    return list(
        db.session.scalars(
            db.select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def of_wave(wave: Wave, valid_only: bool = False) -> list[Certificate]:
    stmt = db.select(Certificate).where(Certificate.wave_id == wave.id)
    if valid_only:
        stmt = stmt.where(Certificate.revoked_at.is_(None))
    return list(db.session.scalars(stmt.order_by(Certificate.sequence)))


def valid_for(wave: Wave, user: User) -> Certificate | None:
    return db.session.scalar(
        db.select(Certificate).where(
            Certificate.wave_id == wave.id, Certificate.user_id == user.id, Certificate.revoked_at.is_(None)
        )
    )


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url}/verify/{code}"


def current_design() -> CertificateDesign | None:
    return db.session.scalar(db.select(CertificateDesign).order_by(CertificateDesign.id.desc()).limit(1))


# --- issuing ----------------------------------------------------------------------


def pending(wave: Wave, now: datetime) -> list[User]:
    """Who would get a certificate now: completed (per lms.completion) and no valid one yet."""
    progress = completion.evaluate(wave, now)
    holders = set(
        db.session.scalars(
            db.select(Certificate.user_id).where(Certificate.wave_id == wave.id, Certificate.revoked_at.is_(None))
        )
    )
    return [row.user for row in progress.rows if row.status == completion.COMPLETE and row.user.id not in holders]


def issue(wave: Wave, user: User, now: datetime, issuer: User | None = None) -> tuple[Certificate, bool]:
    """The trainee's valid certificate for the wave: (existing, False) or (new, True).

    `issuer` is the person who issued it, None when issued automatically.
    Refuses (CertificateError) when the trainee has not completed the wave.
    """
    existing = valid_for(wave, user)
    if existing is not None:
        return existing, False
    progress = completion.trainee_progress(wave, user, now)
    if progress is None or progress.status != completion.COMPLETE:
        raise CertificateError("", _l("%(name)s belum menyelesaikan %(wave)s.", name=user.name, wave=wave.name))
    return _create(wave, user, now, issuer, completed_modules(wave, [user.id]).get(user.id, []))


def issue_wave(wave: Wave, actor: User, now: datetime) -> list[Certificate]:
    """Issue to everyone `pending` lists; returns the certificates created by this call."""
    people = pending(wave, now)
    modules = completed_modules(wave, [p.id for p in people])
    created = []
    for person in people:
        certificate, new = _create(wave, person, now, actor, modules.get(person.id, []))
        if new:
            created.append(certificate)
    if created:
        audit.record(actor, "certificates.issued", "wave", wave.id, now, code=wave.code, count=len(created))
    return created


def on_wave_completed(sender, user_id: int, wave_id: int, now: datetime, **_extra) -> None:
    """Receiver of `wave_completed`: issue the certificate automatically (flush only)."""
    user = db.session.get(User, user_id)
    wave = waves.get_wave(wave_id)
    if user is None or wave is None:
        return
    try:
        issue(wave, user, now, issuer=None)
    except CertificateError:
        pass  # the rule says not complete after all: staff can issue later from the wave's page


def completed_modules(wave: Wave, user_ids: Iterable[int]) -> dict[int, list[dict]]:
    """{user id: [{course, module, title, revision, completed_at}]} for the wave's path, from Progress."""
    user_ids = list(user_ids)
    path = completion.path_modules(wave)
    if not user_ids or not path:
        return {}
    rows = db.session.scalars(
        db.select(Progress).where(
            Progress.user_id.in_(user_ids),
            Progress.module_slug.in_([m.module_slug for m in path]),
            Progress.status == STATUS_COMPLETED,
        )
    )
    found = {(p.user_id, p.module_slug): p for p in rows}
    result: dict[int, list[dict]] = {}
    for user_id in user_ids:
        items = []
        for module in path:
            p = found.get((user_id, module.module_slug))
            if p is None:
                continue
            items.append(
                {
                    "course": module.course_slug,
                    "module": module.module_slug,
                    "title": module.title,
                    "revision": p.revision_number_completed,
                    "completed_at": p.completed_at.isoformat(timespec="seconds") if p.completed_at else None,
                }
            )
        result[user_id] = items
    return result


def _recipient(user: User) -> tuple[str, str, str]:
    """Open Badges 2.0 recipient, fixed at issue time: (type, identity, salt).

    An email is hashed with a salt (what backpacks match on). A phone number is
    never used: Indonesian mobile numbers are few enough (~10^10) that anyone
    holding the public assertion could recover one from its salted hash. An
    account without email is identified by its certificate's own verification
    page instead (type "url", hashed when the assertion is built, see
    `badges.recipient_of`): no personal data, and the page shows the name.
    """
    salt = secrets.token_hex(16)
    if user.email:
        return "email", "sha256$" + hashlib.sha256((user.email.lower() + salt).encode()).hexdigest(), salt
    return "url", "", salt


def _next_sequence(wave: Wave) -> int:
    return (db.session.scalar(db.select(func.max(Certificate.sequence)).where(Certificate.wave_id == wave.id)) or 0) + 1


def serial_for(year: int, wave_code: str, sequence: int) -> str:
    return f"{SERIAL_PREFIX}/{year}/{wave_code}/{sequence:04d}"


def _insert(certificate: Certificate) -> bool:
    """Insert inside a savepoint; False when a unique index refused it."""
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return False
    return True


def _create(wave: Wave, user: User, now: datetime, issuer: User | None, modules: list[dict]) -> tuple[Certificate, bool]:
    design = current_design()
    kind, identity, salt = _recipient(user)
    for _attempt in range(MAX_TRIES):
        existing = valid_for(wave, user)
        if existing is not None:
            return existing, False  # another request issued it first
        sequence = _next_sequence(wave)
        certificate = Certificate(
            user_id=user.id,
            wave_id=wave.id,
            sequence=sequence,
            serial=serial_for(local_date(now).year, wave.code, sequence),
            code=secrets.token_urlsafe(24),  # 192 bits
            name=user.name,
            programme=wave.programme,
            wave_name=wave.name,
            stage=wave.stage,
            starts_on=wave.starts_on,
            ends_on=wave.ends_on,
            hours=wave.hours,
            modules=modules,
            design_id=design.id if design else None,
            recipient_type=kind,
            recipient_identity=identity,
            recipient_salt=salt,
            issued_at=now,
            issued_by=issuer.id if issuer else None,
        )
        if _insert(certificate):
            return certificate, True
        # Already issued by a concurrent request, or its serial was taken: look again.
    existing = valid_for(wave, user)
    if existing is not None:
        return existing, False
    raise RuntimeError(f"could not issue a certificate for user {user.id} in wave {wave.id}")


# --- revoking -----------------------------------------------------------------------


def revoke(certificate: Certificate, actor: User, reason: str, now: datetime) -> Certificate:
    """Mark the certificate revoked (kept, never deleted). Atomic: two admins cannot both revoke it."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError("reason", _l("Tulis alasan pencabutan."))
    if len(reason) > 300:
        raise CertificateError("reason", _l("Maksimal 300 karakter."))
    result = db.session.execute(
        db.update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by=actor.id, revoke_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise CertificateError("", _l("Sertifikat ini sudah dicabut."))
    db.session.refresh(certificate)
    audit.record(actor, "certificate.revoked", "certificate", certificate.id, now, serial=certificate.serial, reason=reason)
    return certificate


def reissue(certificate: Certificate, actor: User, reason: str, now: datetime) -> Certificate:
    """Revoke, then issue a new certificate (new serial and code) with today's name and design."""
    revoke(certificate, actor, reason, now)
    new, _created = issue(certificate.wave, certificate.user, now, issuer=actor)
    audit.record(actor, "certificate.reissued", "certificate", new.id, now, serial=new.serial, replaces=certificate.serial)
    return new
