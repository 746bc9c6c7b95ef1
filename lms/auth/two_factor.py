"""Two-step login for staff: an authenticator app (TOTP, `totp.py`) and
single-use recovery codes. Builds on `services.py` (accounts, the login
event and session of the second step are `services.record_login`'s).

Plain functions with explicit arguments; they flush, never commit.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from lms.audit import services as audit
from lms.auth import totp
from lms.auth.models import TotpCredential, User
from lms.auth.services import AccountError, LoginCandidate, is_locked, record_login
from lms.extensions import db

APP, RECOVERY = "app", "recovery"


def may_use_two_factor(user: User) -> bool:
    """Staff hold other people's data: they may protect their login with a second step."""
    return user.is_staff


def two_factor_of(user: User) -> TotpCredential | None:
    """The account's confirmed authenticator, if it has one."""
    credential = db.session.get(TotpCredential, user.id)
    return credential if credential is not None and credential.confirmed_at is not None else None


def two_factor_enabled(user: User) -> bool:
    return two_factor_of(user) is not None


def pending_two_factor(user: User) -> TotpCredential | None:
    """A setup that has started and not yet been confirmed with a code."""
    credential = db.session.get(TotpCredential, user.id)
    return credential if credential is not None and credential.confirmed_at is None else None


def start_two_factor(user: User, now: datetime) -> TotpCredential:
    """A new secret for the app (replacing an unfinished setup)."""
    if not may_use_two_factor(user):
        raise AccountError("code", _l("Verifikasi dua langkah tersedia untuk pelatih dan admin."))
    credential = db.session.get(TotpCredential, user.id)
    if credential is not None and credential.confirmed_at is not None:
        raise AccountError("code", _l("Verifikasi dua langkah sudah aktif."))
    if credential is None:
        credential = TotpCredential(user_id=user.id)
        db.session.add(credential)
    credential.secret, credential.created_at, credential.last_step, credential.recovery_hashes = totp.new_secret(), now, 0, []
    db.session.flush()
    return credential


def confirm_two_factor(user: User, raw_code: str, now: datetime) -> list[str]:
    """Check the first code from the app and switch the second step on.
    Returns the recovery codes, shown once and stored only as hashes."""
    credential = db.session.scalar(
        db.select(TotpCredential).where(TotpCredential.user_id == user.id).with_for_update()
    )
    if credential is None or credential.confirmed_at is not None:
        raise AccountError("code", _l("Mulai lagi pengaturan verifikasi dua langkah."))
    step = totp.matching_step(credential.secret, raw_code, now, credential.last_step)
    if step is None:
        raise AccountError("code", _l("Kode tidak cocok. Pastikan jam di HP Anda tepat, lalu ketik kode yang sedang tampil."))
    codes = totp.new_recovery_codes()
    credential.confirmed_at, credential.last_step = now, step
    credential.recovery_hashes = [totp.recovery_hash(code) for code in codes]
    audit.record(user, "two_factor.enabled", "user", user.id, now)
    return codes


def disable_two_factor(actor: User, user: User, now: datetime) -> bool:
    """Remove the account's authenticator (the owner, or an admin when a phone is lost)."""
    credential = db.session.get(TotpCredential, user.id)
    if credential is None:
        return False
    was_on = credential.confirmed_at is not None
    db.session.delete(credential)
    if was_on:
        audit.record(actor, "two_factor.disabled", "user", user.id, now)
    db.session.flush()
    return was_on


def check_second_factor(user: User, raw_code: str, now: datetime) -> str | None:
    """APP or RECOVERY when the code is right, spending it (an app code works once,
    a recovery code is removed); None when it is wrong. Locks the row: two taps
    with the same code cannot both pass."""
    credential = db.session.scalar(
        db.select(TotpCredential)
        .where(TotpCredential.user_id == user.id, TotpCredential.confirmed_at.is_not(None))
        .with_for_update()
    )
    if credential is None:
        return None
    step = totp.matching_step(credential.secret, raw_code, now, credential.last_step)
    if step is not None:
        credential.last_step = step
        db.session.flush()
        return APP
    digest = totp.recovery_hash(raw_code)
    if digest in credential.recovery_hashes:
        credential.recovery_hashes = [h for h in credential.recovery_hashes if h != digest]
        audit.record(user, "two_factor.recovery_used", "user", user.id, now, left=len(credential.recovery_hashes))
        return RECOVERY
    return None


def recovery_codes_left(user: User) -> int:
    credential = two_factor_of(user)
    return len(credential.recovery_hashes) if credential is not None else 0


def complete_login(user: User, raw_code: str, ip: str | None, now: datetime, threshold: int,
                   window: timedelta) -> tuple[str | None, str | None]:
    """The code step of a login: (APP or RECOVERY or None, the new session's token
    or None). A locked or deactivated account is refused whatever the code; a
    wrong code counts towards the lockout like a wrong password."""
    locked = not user.active or is_locked(user, now, threshold, window)
    used = None if locked else check_second_factor(user, raw_code, now)
    return used, record_login(LoginCandidate(user, locked), used is not None, ip, now)
