"""Sessions and attendance of a wave: the in-person meetings, the check-in
code that changes every minute on the projector, the trainer's roster and
each trainee's share of sessions attended.

Same rules as `lms.waves.services`: explicit arguments, flush but never
commit, `WaveError(field, message)` when a rule refuses.
"""
from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.waves.models import ENROLLED, Attendance, ClassSession, Enrolment, Wave
from lms.waves.services import WaveError, enrolled_users

CHECK_IN_GRACE = timedelta(minutes=15)
CODE_DIGITS = 6


def sessions_of(wave: Wave) -> list[ClassSession]:
    return list(
        db.session.scalars(db.select(ClassSession).where(ClassSession.wave_id == wave.id).order_by(ClassSession.starts_at))
    )


def get_session(wave: Wave, session_id: int) -> ClassSession | None:
    found = db.session.get(ClassSession, session_id)
    return found if found is not None and found.wave_id == wave.id else None


def save_session(
    wave: Wave, session: ClassSession | None, title: str, starts_at: datetime, ends_at: datetime, actor: User, now: datetime
) -> ClassSession:
    """Times are naive UTC."""
    title = " ".join((title or "").split())
    if not title:
        raise WaveError("title", _l("Isi judul sesi."))
    if ends_at <= starts_at:
        raise WaveError("end_time", _l("Jam selesai harus setelah jam mulai."))
    if session is None:
        session = ClassSession(wave_id=wave.id, secret=secrets.token_hex(32), created_at=now)
        db.session.add(session)
    session.title, session.starts_at, session.ends_at = title, starts_at, ends_at
    db.session.flush()
    audit.record(actor, "wave.session.saved", "wave", wave.id, now, session_id=session.id)
    return session


def delete_session(session: ClassSession, actor: User, now: datetime) -> None:
    audit.record(actor, "wave.session.deleted", "wave", session.wave_id, now, session_id=session.id, title=session.title)
    db.session.delete(session)
    db.session.flush()


def _minute(now: datetime) -> int:
    return calendar.timegm(now.timetuple()) // 60


def code_at(session: ClassSession, minute: int) -> str:
    """The check-in code of one minute: HMAC-SHA256(secret, minute) → 6 digits."""
    digest = hmac.new(bytes.fromhex(session.secret), str(minute).encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS
    return f"{number:0{CODE_DIGITS}d}"


def current_code(session: ClassSession, now: datetime) -> str:
    return code_at(session, _minute(now))


def seconds_to_next_code(now: datetime) -> int:
    return 60 - now.second


def in_check_in_window(session: ClassSession, now: datetime) -> bool:
    return session.starts_at - CHECK_IN_GRACE <= now <= session.ends_at + CHECK_IN_GRACE


def verify_code(session: ClassSession, code: str, now: datetime) -> bool:
    """Accept this minute's code and the previous one, only around the session."""
    if not in_check_in_window(session, now):
        return False
    typed = re.sub(r"\D", "", code or "")
    if len(typed) != CODE_DIGITS:
        return False
    minute = _minute(now)
    valid = [hmac.compare_digest(typed, code_at(session, m)) for m in (minute, minute - 1)]
    return any(valid)


@dataclass
class CheckIn:
    session: ClassSession
    attendance: Attendance
    already: bool


def check_in(user: User, code: str, now: datetime) -> CheckIn:
    """Record presence with the code from the projector.

    Only sessions of waves where the trainee holds a seat, and only around the
    session's time, are considered. A second check-in changes nothing."""
    candidates = db.session.scalars(
        db.select(ClassSession)
        .join(Enrolment, Enrolment.wave_id == ClassSession.wave_id)
        .where(
            Enrolment.user_id == user.id,
            Enrolment.status == ENROLLED,
            ClassSession.starts_at <= now + CHECK_IN_GRACE,
            ClassSession.ends_at >= now - CHECK_IN_GRACE,
        )
        .order_by(ClassSession.starts_at)
    ).all()
    if not candidates:
        raise WaveError("code", _l("Tidak ada sesi tatap muka Anda yang sedang berlangsung."))
    for session in candidates:
        if verify_code(session, code, now):
            attendance, created = _record(session, user, "code", None, now)
            return CheckIn(session, attendance, already=not created)
    raise WaveError("code", _l("Kode salah atau sudah kedaluwarsa. Lihat kode terbaru di layar, lalu coba lagi."))


def _record(session: ClassSession, user: User, method: str, actor: User | None, now: datetime) -> tuple[Attendance, bool]:
    found = db.session.scalar(
        db.select(Attendance).where(Attendance.session_id == session.id, Attendance.user_id == user.id)
    )
    if found is not None:
        return found, False
    attendance = Attendance(
        session_id=session.id, user_id=user.id, method=method, recorded_at=now, recorded_by=actor.id if actor else None
    )
    try:
        with db.session.begin_nested():
            db.session.add(attendance)
    except IntegrityError:
        found = db.session.scalar(
            db.select(Attendance).where(Attendance.session_id == session.id, Attendance.user_id == user.id)
        )
        if found is None:
            raise
        return found, False
    return attendance, True


@dataclass
class RosterLine:
    user: User
    present: bool
    method: str | None


def session_roster(session: ClassSession) -> list[RosterLine]:
    present = {
        a.user_id: a.method
        for a in db.session.scalars(db.select(Attendance).where(Attendance.session_id == session.id))
    }
    return [RosterLine(u, u.id in present, present.get(u.id)) for u in enrolled_users(session.wave)]


def set_roster(session: ClassSession, present_ids: Iterable[int], actor: User, now: datetime) -> tuple[int, int]:
    """The trainer's ticks are the truth: add the ticked, remove the unticked.
    Only enrolled trainees count; returns (added, removed)."""
    enrolled = {u.id: u for u in enrolled_users(session.wave)}
    wanted = {int(i) for i in present_ids} & set(enrolled)
    current = {
        a.user_id: a for a in db.session.scalars(db.select(Attendance).where(Attendance.session_id == session.id))
    }
    added = removed = 0
    for user_id in wanted - set(current):
        _, created = _record(session, enrolled[user_id], "roster", actor, now)
        added += created
    for user_id in set(current) - wanted:
        db.session.delete(current[user_id])
        removed += 1
    db.session.flush()
    if added or removed:
        audit.record(actor, "wave.attendance.roster", "wave", session.wave_id, now, session_id=session.id, added=added, removed=removed)
    return added, removed


def attendance_count(session: ClassSession) -> int:
    return db.session.scalar(db.select(func.count(Attendance.id)).where(Attendance.session_id == session.id))


def attendance_counts(sessions: Iterable[ClassSession]) -> dict[int, int]:
    ids = [s.id for s in sessions]
    counts = dict.fromkeys(ids, 0)
    if ids:
        rows = db.session.execute(
            db.select(Attendance.session_id, func.count(Attendance.id))
            .where(Attendance.session_id.in_(ids))
            .group_by(Attendance.session_id)
        )
        counts.update(dict(rows.all()))
    return counts


@dataclass
class AttendanceSummary:
    attended: int
    held: int  # sessions that have started by `now`

    @property
    def percent(self) -> float | None:
        return None if self.held == 0 else round(100 * self.attended / self.held, 1)


def attendance_summary(wave: Wave, now: datetime, users: Sequence[User] | None = None) -> dict[int, AttendanceSummary]:
    """Per enrolled trainee: sessions attended out of sessions held so far.

    `users`: the enrolled trainees the caller already holds (then only they are
    counted, and the roster is not loaded again)."""
    people = enrolled_users(wave) if users is None else list(users)
    held_ids = list(
        db.session.scalars(db.select(ClassSession.id).where(ClassSession.wave_id == wave.id, ClassSession.starts_at <= now))
    )
    attended: dict[int, int] = {}
    if held_ids and people:
        stmt = (
            db.select(Attendance.user_id, func.count(Attendance.id))
            .where(Attendance.session_id.in_(held_ids))
            .group_by(Attendance.user_id)
        )
        if users is not None:
            stmt = stmt.where(Attendance.user_id.in_([u.id for u in people]))
        attended = dict(db.session.execute(stmt).all())
    return {u.id: AttendanceSummary(attended.get(u.id, 0), len(held_ids)) for u in people}


def attendance_in(user: User, wave_list: Sequence[Wave], now: datetime) -> dict[int, AttendanceSummary]:
    """Wave id → this trainee's sessions attended out of those held so far, for
    any number of waves in 2 queries (the trainee's home page)."""
    result = {wave.id: AttendanceSummary(0, 0) for wave in wave_list}
    held = db.session.execute(
        db.select(ClassSession.id, ClassSession.wave_id)
        .where(ClassSession.wave_id.in_(list(result)), ClassSession.starts_at <= now)
    ).all()
    if not held:
        return result
    present = set(db.session.scalars(
        db.select(Attendance.session_id)
        .where(Attendance.user_id == user.id, Attendance.session_id.in_([session_id for session_id, _wave in held]))
    ))
    counts = {wave_id: [0, 0] for wave_id in result}
    for session_id, wave_id in held:
        counts[wave_id][1] += 1
        counts[wave_id][0] += session_id in present
    return {wave_id: AttendanceSummary(attended, count) for wave_id, (attended, count) in counts.items()}


def meets_attendance(wave: Wave, user: User, now: datetime) -> bool:
    """True when the trainee attended at least the wave's minimum share of the
    sessions held (no sessions held counts as met)."""
    summary = attendance_summary(wave, now).get(user.id)
    if summary is None:
        return False
    return summary.percent is None or summary.percent >= wave.attendance_min_percent
