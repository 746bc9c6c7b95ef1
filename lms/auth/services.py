"""Account rules: registration, login, login sessions, passwords (the second
login step of staff is in two_factor.py, which builds on this module).

Plain functions with explicit arguments; they flush, never commit. Password
hashes are computed before any write so no write lock is held meanwhile.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from lms.audit import services as audit
from lms.auth import passwords
from lms.auth.models import KECAMATAN, LoginEvent, Role, User, UserSession
from lms.extensions import db

_PHONE_JUNK = re.compile(r"[\s\-.()/]")
_MOBILE = re.compile(r"^\+628\d{7,11}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
OTP_WORDS = 4


def normalise_phone(raw: str) -> str | None:
    """Indonesian mobile numbers in any common form → +628…; None if not one."""
    text = _PHONE_JUNK.sub("", raw or "")
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("08"):
        text = "+62" + text[1:]
    elif text.startswith("62"):
        text = "+" + text
    elif text.startswith("8"):
        text = "+62" + text
    return text if _MOBILE.match(text) else None


def normalise_email(raw: str) -> str | None:
    text = (raw or "").strip().lower()
    return text if _EMAIL.match(text) and len(text) <= 254 else None


def normalise_login(raw: str) -> tuple[str, str] | None:
    """('phone', '+62…') or ('email', 'a@b.c') for what someone typed to log in."""
    raw = (raw or "").strip()
    if "@" in raw:
        email = normalise_email(raw)
        return ("email", email) if email else None
    phone = normalise_phone(raw)
    return ("phone", phone) if phone else None


def find_by_login(raw: str) -> User | None:
    parsed = normalise_login(raw)
    if parsed is None:
        return None
    kind, value = parsed
    column = User.phone if kind == "phone" else User.email
    return db.session.scalar(db.select(User).where(column == value))


class AccountError(ValueError):
    """A rule refused the change; `field` says which form field to blame."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass
class NewAccount:
    name: str
    password: str
    phone: str | None = None
    email: str | None = None
    kecamatan: str | None = None
    birth_year: int | None = None
    agency_id: int | None = None
    is_opd_head: bool = False
    role: str = Role.TRAINEE.value
    consent_version: str | None = None
    locale: str = "id"


def prepare_password(account: NewAccount) -> str:
    """Check the password rules and hash it (slow: call before any write)."""
    errors = passwords.policy_errors(account.password, (account.name, account.phone or "", account.email or ""))
    if errors:
        raise AccountError("password", errors[0])
    return passwords.hash_password(account.password)


def create_user(account: NewAccount, password_hash: str, now: datetime, must_change_password: bool = False) -> User:
    name = " ".join(account.name.split())
    if not name:
        raise AccountError("name", _l("Nama lengkap wajib diisi."))
    phone = normalise_phone(account.phone) if account.phone else None
    if account.phone and phone is None:
        raise AccountError("phone", _l("Nomor HP tidak dikenali. Contoh: 0812 3456 7890."))
    email = normalise_email(account.email) if account.email else None
    if account.email and email is None:
        raise AccountError("email", _l("Alamat email tidak valid. Contoh: nama@contoh.id."))
    if not phone and not email:
        raise AccountError("phone", _l("Isi nomor HP atau email untuk masuk."))
    if account.role not in {r.value for r in Role}:
        raise AccountError("role", _l("Peran tidak dikenal."))
    if account.kecamatan and account.kecamatan not in KECAMATAN:
        raise AccountError("kecamatan", _l("Pilih kecamatan dari daftar."))
    if phone and db.session.scalar(db.select(User.id).where(User.phone == phone)):
        raise AccountError("phone", _l("Nomor HP ini sudah terdaftar. Silakan masuk, atau minta admin mengatur ulang kata sandi."))
    if email and db.session.scalar(db.select(User.id).where(User.email == email)):
        raise AccountError("email", _l("Email ini sudah terdaftar. Silakan masuk, atau minta admin mengatur ulang kata sandi."))
    user = User(
        name=name,
        phone=phone,
        email=email,
        password_hash=password_hash,
        role=account.role,
        kecamatan=account.kecamatan,
        birth_year=account.birth_year,
        agency_id=account.agency_id,
        is_opd_head=account.is_opd_head,
        locale=account.locale,
        consent_version=account.consent_version,
        consent_at=now if account.consent_version else None,
        must_change_password=must_change_password,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    return user


# --- login ---------------------------------------------------------------


@dataclass
class LoginCandidate:
    user: User | None
    locked: bool


def login_candidate(raw_login: str, now: datetime, threshold: int, window: timedelta) -> LoginCandidate:
    """Read-only: the account a login names, and whether it is locked out."""
    user = find_by_login(raw_login)
    if user is None:
        return LoginCandidate(None, False)
    return LoginCandidate(user, is_locked(user, now, threshold, window))


def is_locked(user: User, now: datetime, threshold: int, window: timedelta) -> bool:
    """Too many failed logins (wrong password or wrong code) in the window."""
    failures = db.session.scalar(
        db.select(func.count(LoginEvent.id)).where(
            LoginEvent.user_id == user.id,
            LoginEvent.outcome.in_(("failure", "locked")),
            LoginEvent.at > now - window,
        )
    )
    return failures >= threshold


def check_credentials(candidate: LoginCandidate, password: str) -> bool:
    """Slow (scrypt) and the same cost whether or not the account exists."""
    if candidate.user is None or candidate.locked or not candidate.user.active:
        passwords.verify_dummy(password)
        return False
    return passwords.verify(candidate.user.password_hash, password)


def record_login(candidate: LoginCandidate, ok: bool, ip: str | None, now: datetime,
                 second_step: bool = False) -> str | None:
    """Write the login event; on success open a session and return its token.

    With `second_step` (the account uses an authenticator app) a right password
    is recorded as "password" and opens no session: the code step calls this
    again, with the code's outcome, to open it.
    """
    user = candidate.user
    if user is None:
        return None
    outcome = "success" if ok else ("locked" if candidate.locked else "failure")
    if ok and second_step:
        outcome = "password"
    db.session.add(LoginEvent(user_id=user.id, ip=ip, outcome=outcome, at=now))
    if not ok or second_step:
        db.session.flush()
        return None
    return open_session(user, now)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash_token(token), created_at=now))
    db.session.flush()
    user._session_token = token
    return token


def load_session_user(token: str, now: datetime, absolute: timedelta) -> User | None:
    """The user behind a session token, or None if revoked, expired or disabled."""
    if not token:
        return None
    row = db.session.scalar(db.select(UserSession).where(UserSession.token_hash == _hash_token(token)))
    if row is None or row.revoked_at is not None or row.created_at < now - absolute:
        return None
    if not row.user.active:
        return None
    row.user._session_token = token
    return row.user


def close_session(token: str | None, now: datetime) -> None:
    if not token:
        return
    db.session.execute(
        db.update(UserSession)
        .where(UserSession.token_hash == _hash_token(token), UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_all_sessions(user: User, now: datetime) -> None:
    db.session.execute(
        db.update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None)).values(revoked_at=now)
    )


# --- passwords -----------------------------------------------------------


def change_password(user: User, new_hash: str, now: datetime) -> str:
    """Caller has verified `current` and hashed the new one; kills every other session."""
    user.password_hash = new_hash
    user.must_change_password = False
    revoke_all_sessions(user, now)
    token = open_session(user, now)
    audit.record(user, "password.changed", "user", user.id, now)
    return token


def generate_one_time_password() -> str:
    """Four easy words and two digits, e.g. "apel-bukit-cerah-kopi-42": readable aloud in class."""
    words = _OTP_WORDS
    picked = [secrets.choice(words) for _ in range(OTP_WORDS)]
    return "-".join(picked) + f"-{secrets.randbelow(90) + 10}"


_OTP_WORDS = (
    "apel", "angin", "bambu", "batik", "bintang", "bukit", "bunga", "cerah", "daun", "delima",
    "embun", "gunung", "hujan", "jagung", "jeruk", "kali", "kebun", "kelapa", "kopi", "kupu",
    "laut", "mangga", "melati", "mentari", "nanas", "padi", "pelangi", "pohon", "rambutan", "salak",
    "sawah", "sejuk", "semangka", "senja", "sungai", "tebu", "teh", "tempe", "topeng", "tugu",
    "awan", "bulan", "candi", "danau", "gamelan", "kendang", "lontar", "manggis", "pepaya", "wayang",
)


def reset_password(admin: User, user: User, otp_hash: str, now: datetime) -> None:
    user.password_hash = otp_hash
    user.must_change_password = True
    revoke_all_sessions(user, now)
    audit.record(admin, "password.reset", "user", user.id, now)


def set_role(admin: User, user: User, role: str, now: datetime) -> None:
    if role not in {r.value for r in Role}:
        raise ValueError(role)
    old = user.role
    user.role = role
    revoke_all_sessions(user, now)
    audit.record(admin, "user.role", "user", user.id, now, old=old, new=role)


def set_active(admin: User, user: User, active: bool, now: datetime) -> None:
    user.active = active
    user.deactivated_at = None if active else now
    if not active:
        revoke_all_sessions(user, now)
    audit.record(admin, "user.activate" if active else "user.deactivate", "user", user.id, now)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()
