"""Wave rules: seats and waitlist, bulk enrolment, sessions and attendance,
announcements, learning path.

Plain functions with explicit arguments (`user`, `now`); they flush, never
commit, and raise `WaveError(field, message)` when a rule refuses. Every
change to who holds a seat first locks the wave row (`_lock`): SELECT … FOR
UPDATE on PostgreSQL; on SQLite the request's write transaction is already
BEGIN IMMEDIATE, so writers queue. The count that decides "seat or waitlist"
is therefore never read by two writers at once.
"""
from __future__ import annotations

import calendar
import csv
import hashlib
import hmac
import io
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_
from sqlalchemy.exc import IntegrityError

from lms.agencies import services as agencies
from lms.audit import services as audit
from lms.auth import passwords
from lms.auth import services as accounts
from lms.auth.models import KECAMATAN, Role, User
from lms.courses import services as courses
from lms.courses.models import Course, Module
from lms.extensions import db
from lms.waves.models import (
    ACTIVE_STATUSES,
    ENROLLED,
    REMOVED,
    TRACKS,
    WAITLISTED,
    WITHDRAWN,
    Announcement,
    Attendance,
    ClassSession,
    Enrolment,
    EnrolmentImport,
    LearningPathItem,
    Wave,
    wave_trainers,
)

LOCAL_TZ = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")
CHECK_IN_GRACE = timedelta(minutes=15)
CODE_DIGITS = 6
ANNOUNCEMENTS_AFTER_END = timedelta(days=30)
MAX_IMPORT_ROWS = 1000
STALE_IMPORT_AGE = timedelta(days=1)


class WaveError(ValueError):
    """A rule refused; `field` names the form field to blame (or "")."""

    def __init__(self, field: str, message):
        super().__init__(message)  # lazy: rendered in the reader's language when shown
        self.field = field
        self.message = message


# --- time ------------------------------------------------------------------


def local_to_utc(value: datetime) -> datetime:
    """A naive Kota Malang wall-clock time → naive UTC (how it is stored)."""
    return value.replace(tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TZ).replace(tzinfo=None)


def local_today(now: datetime) -> date:
    return utc_to_local(now).date()


# --- waves -----------------------------------------------------------------


@dataclass
class WaveData:
    name: str
    programme: str
    code: str
    track: str
    starts_on: date
    ends_on: date
    stage: int = 1
    venue: str = ""
    capacity: int = 50
    registration_opens_at: datetime | None = None  # naive UTC
    registration_closes_at: datetime | None = None
    hours: int = 0
    attendance_min_percent: int = 75
    quizzes_required: bool = True
    exercises_required: bool = True
    trainer_ids: list[int] = field(default_factory=list)


_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,11}$")


def get_wave(wave_id: int) -> Wave | None:
    return db.session.get(Wave, wave_id)


def find_wave_by_code(code: str) -> Wave | None:
    return db.session.scalar(db.select(Wave).where(Wave.code == code.strip().upper()))


def eligible_trainers() -> list[User]:
    """Who may be assigned to a wave: active trainers and admins."""
    return list(
        db.session.scalars(
            db.select(User).where(User.role.in_((Role.TRAINER.value, Role.ADMIN.value)), User.active).order_by(User.name)
        )
    )


def save_wave(wave: Wave | None, data: WaveData, actor: User | None, now: datetime) -> Wave:
    """Create (wave=None) or update a wave. A larger capacity fills seats from the waitlist."""
    code = (data.code or "").strip().upper()
    if not _CODE.match(code):
        raise WaveError("code", _l("Kode hanya huruf besar, angka dan tanda minus, maksimal 12, misalnya G03."))
    clash = db.session.scalar(db.select(Wave.id).where(Wave.code == code))
    if clash is not None and (wave is None or clash != wave.id):
        raise WaveError("code", _l("Kode %(code)s sudah dipakai gelombang lain.", code=code))
    if data.track not in TRACKS:
        raise WaveError("track", _l("Pilih salah satu dari daftar."))
    if data.ends_on < data.starts_on:
        raise WaveError("ends_on", _l("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if (opens is None) != (closes is None):
        raise WaveError("registration_closes_at", _l("Isi kedua waktu pendaftaran, atau kosongkan keduanya."))
    if opens is not None and closes <= opens:
        raise WaveError("registration_closes_at", _l("Pendaftaran harus ditutup setelah dibuka."))
    if data.capacity < 1:
        raise WaveError("capacity", _l("Kapasitas minimal 1 orang."))
    trainers = []
    if data.trainer_ids:
        trainers = list(
            db.session.scalars(
                db.select(User).where(User.id.in_(data.trainer_ids), User.role.in_((Role.TRAINER.value, Role.ADMIN.value)))
            )
        )
    if wave is None:
        wave = Wave(created_at=now)
        db.session.add(wave)
        action = "wave.created"
    else:
        wave = _lock(wave.id)
        action = "wave.updated"
    wave.name = " ".join(data.name.split())
    wave.programme = " ".join(data.programme.split())
    wave.stage = data.stage
    wave.code = code
    wave.track = data.track
    wave.starts_on, wave.ends_on = data.starts_on, data.ends_on
    wave.venue = " ".join((data.venue or "").split())
    wave.capacity = data.capacity
    wave.registration_opens_at, wave.registration_closes_at = opens, closes
    wave.hours = data.hours
    wave.attendance_min_percent = data.attendance_min_percent
    wave.quizzes_required = data.quizzes_required
    wave.exercises_required = data.exercises_required
    wave.trainers = trainers
    db.session.flush()
    if action == "wave.updated":
        promote_waiting(wave, now)
    else:
        # A new wave starts with its track's default path from the course metadata.
        set_learning_path(wave, courses.default_path(wave.track))
    audit.record(actor, action, "wave", wave.id, now, code=wave.code)
    return wave


def can_manage(user: User, wave: Wave) -> bool:
    """Admins manage every wave; trainers only those they are assigned to."""
    if user.is_admin:
        return True
    return user.is_staff and any(trainer.id == user.id for trainer in wave.trainers)


def waves_for_staff(user: User) -> list[Wave]:
    stmt = db.select(Wave).order_by(Wave.starts_on.desc(), Wave.code)
    if not user.is_admin:
        stmt = stmt.join(wave_trainers, wave_trainers.c.wave_id == Wave.id).where(wave_trainers.c.user_id == user.id)
    return list(db.session.scalars(stmt))


def other_waves(wave: Wave) -> list[Wave]:
    return list(db.session.scalars(db.select(Wave).where(Wave.id != wave.id).order_by(Wave.starts_on.desc(), Wave.code)))


@dataclass
class SeatCount:
    enrolled: int = 0
    waitlisted: int = 0


def seat_counts(wave_ids: Iterable[int]) -> dict[int, SeatCount]:
    ids = list(wave_ids)
    counts = {wave_id: SeatCount() for wave_id in ids}
    if not ids:
        return counts
    rows = db.session.execute(
        db.select(Enrolment.wave_id, Enrolment.status, func.count(Enrolment.id))
        .where(Enrolment.wave_id.in_(ids), Enrolment.status.in_(ACTIVE_STATUSES))
        .group_by(Enrolment.wave_id, Enrolment.status)
    )
    for wave_id, status, n in rows:
        setattr(counts[wave_id], status, n)
    return counts


def seats_left(wave: Wave) -> int:
    return max(0, wave.capacity - _count(wave.id, ENROLLED))


@dataclass
class OpenWave:
    wave: Wave
    enrolled: int
    waitlisted: int
    seats_left: int
    enrolment: Enrolment | None = None  # the viewer's own, if any
    position: int | None = None


def open_waves(now: datetime, user: User | None = None) -> list[OpenWave]:
    """Waves taking registrations right now, with their free seats. Full waves
    are listed too: applying to one puts you on its waitlist."""
    waves = list(
        db.session.scalars(
            db.select(Wave)
            .where(Wave.registration_opens_at <= now, Wave.registration_closes_at > now)
            .order_by(Wave.starts_on, Wave.code)
        )
    )
    counts = seat_counts(w.id for w in waves)
    mine = {}
    if user is not None and waves:
        mine = {
            e.wave_id: e
            for e in db.session.scalars(
                db.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.wave_id.in_([w.id for w in waves]))
            )
        }
    listing = []
    for wave in waves:
        count = counts[wave.id]
        enrolment = mine.get(wave.id)
        listing.append(
            OpenWave(
                wave=wave,
                enrolled=count.enrolled,
                waitlisted=count.waitlisted,
                seats_left=max(0, wave.capacity - count.enrolled),
                enrolment=enrolment,
                position=waitlist_position(enrolment) if enrolment else None,
            )
        )
    return listing


# --- seats and the waitlist -------------------------------------------------


def _lock(wave_id: int) -> Wave:
    """Take the wave row's write lock before reading any seat count."""
    return db.session.execute(
        db.select(Wave).where(Wave.id == wave_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def _count(wave_id: int, status: str) -> int:
    return db.session.scalar(
        db.select(func.count(Enrolment.id)).where(Enrolment.wave_id == wave_id, Enrolment.status == status)
    )


def enrolment_for(wave: Wave, user: User) -> Enrolment | None:
    return db.session.scalar(db.select(Enrolment).where(Enrolment.wave_id == wave.id, Enrolment.user_id == user.id))


def get_enrolment(enrolment_id: int) -> Enrolment | None:
    return db.session.get(Enrolment, enrolment_id)


def check_eligible(wave: Wave, user: User) -> None:
    if wave.track == "opd" and user.agency_id is None:
        raise WaveError(
            "",
            _l(
                "Gelombang ini khusus ASN perangkat daerah (OPD). Akun Anda belum terhubung ke OPD. "
                "Bila Anda ASN, minta admin Diskominfo mencatat OPD Anda."
            ),
        )


def apply(wave: Wave, user: User, now: datetime, source: str = "self", check_window: bool = True) -> Enrolment:
    """Take a free seat, or a place at the end of the waitlist.

    Idempotent: applying again while enrolled or waitlisted returns the
    existing enrolment unchanged (a double tap is not an error)."""
    wave = _lock(wave.id)
    existing = enrolment_for(wave, user)
    if existing is not None and existing.status in ACTIVE_STATUSES:
        return existing
    if existing is not None and existing.status == REMOVED and source == "self":
        raise WaveError("", _l("Anda tidak bisa mendaftar lagi di gelombang ini. Hubungi admin Diskominfo."))
    if check_window and not wave.registration_open(now):
        raise WaveError("", _l("Pendaftaran gelombang ini sedang tidak dibuka."))
    check_eligible(wave, user)
    promote_waiting(wave, now)  # nobody jumps a waitlist that could move up
    enrolment = existing
    if enrolment is None:
        enrolment = Enrolment(wave_id=wave.id, user_id=user.id, status=WAITLISTED, applied_at=now, source=source)
        try:
            with db.session.begin_nested():
                db.session.add(enrolment)
        except IntegrityError:
            # Another request for the same person won; theirs is the answer.
            found = enrolment_for(wave, user)
            if found is None:
                raise
            return found
    enrolment.source = source
    enrolment.applied_at = now
    enrolment.promoted_at = enrolment.notice_seen_at = enrolment.left_at = enrolment.reason = None
    enrolment.moved_to_id = None
    _seat_or_wait(wave, enrolment, now)
    db.session.flush()
    return enrolment


def _seat_or_wait(wave: Wave, enrolment: Enrolment, now: datetime) -> None:
    # promote_waiting() ran first: a free seat means nobody else is waiting.
    if _count(wave.id, ENROLLED) < wave.capacity:
        enrolment.status, enrolment.enrolled_at = ENROLLED, now
    else:
        enrolment.status, enrolment.enrolled_at = WAITLISTED, None
    db.session.flush()


def promote_waiting(wave: Wave, now: datetime) -> list[Enrolment]:
    """Give free seats to the first on the waitlist. The caller holds the wave lock."""
    free = wave.capacity - _count(wave.id, ENROLLED)
    if free <= 0:
        return []
    promoted = list(
        db.session.scalars(
            db.select(Enrolment)
            .where(Enrolment.wave_id == wave.id, Enrolment.status == WAITLISTED)
            .order_by(Enrolment.applied_at, Enrolment.id)
            .limit(free)
        )
    )
    for enrolment in promoted:
        enrolment.status = ENROLLED
        enrolment.enrolled_at = enrolment.promoted_at = now
        enrolment.notice_seen_at = None
    db.session.flush()
    return promoted


def _leave(enrolment: Enrolment, status: str, now: datetime, reason: str | None = None) -> list[Enrolment]:
    wave = _lock(enrolment.wave_id)
    db.session.refresh(enrolment)
    if enrolment.status not in ACTIVE_STATUSES:
        raise WaveError("", _l("Pendaftaran ini sudah tidak aktif."))
    enrolment.status, enrolment.left_at, enrolment.reason = status, now, reason
    db.session.flush()
    return promote_waiting(wave, now)


def withdraw(enrolment: Enrolment, now: datetime) -> list[Enrolment]:
    """The trainee gives up their seat or waitlist place; returns who moved up."""
    return _leave(enrolment, WITHDRAWN, now)


def remove(enrolment: Enrolment, actor: User, reason: str, now: datetime) -> list[Enrolment]:
    """An admin takes someone out (soft: the row stays, with the reason)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise WaveError("reason", _l("Tulis alasannya."))
    promoted = _leave(enrolment, REMOVED, now, reason[:300])
    audit.record(actor, "wave.enrolment.removed", "wave", enrolment.wave_id, now, user_id=enrolment.user_id, reason=reason[:300])
    return promoted


def approve(enrolment: Enrolment, actor: User, now: datetime) -> Enrolment:
    """An admin gives a waitlisted person a seat now, even above capacity."""
    wave = _lock(enrolment.wave_id)
    db.session.refresh(enrolment)
    if enrolment.status != WAITLISTED:
        raise WaveError("", _l("Orang ini tidak ada di daftar tunggu."))
    enrolment.status = ENROLLED
    enrolment.enrolled_at = enrolment.promoted_at = now
    enrolment.notice_seen_at = None
    db.session.flush()
    audit.record(actor, "wave.enrolment.approved", "wave", wave.id, now, user_id=enrolment.user_id)
    return enrolment


def move(enrolment: Enrolment, target: Wave, actor: User, now: datetime) -> Enrolment:
    """Move someone to another wave: a seat there if one is free, else its waitlist."""
    if target.id == enrolment.wave_id:
        raise WaveError("target", _l("Pilih gelombang lain."))
    for wave_id in sorted((enrolment.wave_id, target.id)):  # one lock order: no deadlock
        _lock(wave_id)
    db.session.refresh(enrolment)
    if enrolment.status not in ACTIVE_STATUSES:
        raise WaveError("", _l("Pendaftaran ini sudah tidak aktif."))
    user = enrolment.user
    check_eligible(target, user)
    already = enrolment_for(target, user)
    if already is not None and already.status in ACTIVE_STATUSES:
        raise WaveError("target", _l("Orang ini sudah terdaftar di gelombang tujuan."))
    _leave(enrolment, REMOVED, now, f"→ {target.code}")
    enrolment.moved_to_id = target.id
    moved = apply(target, user, now, source="admin", check_window=False)
    audit.record(actor, "wave.enrolment.moved", "wave", enrolment.wave_id, now, user_id=user.id, to=target.id)
    return moved


def waitlist(wave: Wave) -> list[Enrolment]:
    return list(
        db.session.scalars(
            db.select(Enrolment)
            .where(Enrolment.wave_id == wave.id, Enrolment.status == WAITLISTED)
            .order_by(Enrolment.applied_at, Enrolment.id)
        )
    )


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1 for the first in line; None when not waitlisted."""
    if enrolment.status != WAITLISTED:
        return None
    ahead = db.session.scalar(
        db.select(func.count(Enrolment.id)).where(
            Enrolment.wave_id == enrolment.wave_id,
            Enrolment.status == WAITLISTED,
            or_(
                Enrolment.applied_at < enrolment.applied_at,
                and_(Enrolment.applied_at == enrolment.applied_at, Enrolment.id < enrolment.id),
            ),
        )
    )
    return ahead + 1


def roster(wave: Wave) -> list[Enrolment]:
    """Everyone who ever applied: enrolled first (by name), then the rest."""
    order = {ENROLLED: 0, WAITLISTED: 1, WITHDRAWN: 2, REMOVED: 3}
    rows = list(db.session.scalars(db.select(Enrolment).where(Enrolment.wave_id == wave.id)))
    return sorted(rows, key=lambda e: (order.get(e.status, 9), e.applied_at if e.status == WAITLISTED else datetime.min, e.user.name.casefold()))


def enrolled_users(wave: Wave) -> list[User]:
    """The trainees holding a seat, by name (the progress grid's rows)."""
    return list(
        db.session.scalars(
            db.select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.wave_id == wave.id, Enrolment.status == ENROLLED)
            .order_by(User.name, User.id)
        )
    )


def is_enrolled(wave: Wave, user: User) -> bool:
    return db.session.scalar(
        db.select(Enrolment.id).where(Enrolment.wave_id == wave.id, Enrolment.user_id == user.id, Enrolment.status == ENROLLED)
    ) is not None


def waves_of(user: User) -> list[Wave]:
    """The waves where this person holds a seat (for completion and certificates)."""
    return list(
        db.session.scalars(
            db.select(Wave)
            .join(Enrolment, Enrolment.wave_id == Wave.id)
            .where(Enrolment.user_id == user.id, Enrolment.status == ENROLLED)
            .order_by(Wave.starts_on, Wave.id)
        )
    )


@dataclass
class MyWave:
    enrolment: Enrolment
    wave: Wave
    position: int | None
    announcements: list[Announcement]


def my_waves(user: User, with_announcements: bool = True) -> list[MyWave]:
    """A trainee's enrolments (active ones first) with waitlist place and news."""
    rows = list(
        db.session.scalars(
            db.select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.applied_at.desc())
        )
    )
    rows.sort(key=lambda e: e.status not in ACTIVE_STATUSES)
    return [
        MyWave(
            enrolment=e,
            wave=e.wave,
            position=waitlist_position(e),
            announcements=announcements_of(e.wave) if with_announcements and e.status == ENROLLED else [],
        )
        for e in rows
    ]


def promotion_notices(user: User) -> list[Enrolment]:
    """"You got a seat" notices the person has not dismissed yet."""
    return list(
        db.session.scalars(
            db.select(Enrolment).where(
                Enrolment.user_id == user.id,
                Enrolment.status == ENROLLED,
                Enrolment.promoted_at.is_not(None),
                Enrolment.notice_seen_at.is_(None),
            )
        )
    )


def dismiss_notice(enrolment: Enrolment, now: datetime) -> None:
    enrolment.notice_seen_at = now
    db.session.flush()


# --- learning path ----------------------------------------------------------


@dataclass(frozen=True)
class ModuleChoice:
    course_slug: str
    module_slug: str
    label: str

    @property
    def key(self) -> str:
        return f"{self.course_slug}/{self.module_slug}"


def available_modules() -> list[ModuleChoice]:
    """The modules a learning path can use, in course order."""
    rows = db.session.execute(
        db.select(Course.slug, Course.title, Module.slug, Module.title)
        .join(Module, Module.course_id == Course.id)
        .where(Course.retired_at.is_(None), Module.retired_at.is_(None))
        .order_by(Course.order, Course.slug, Module.order, Module.slug)
    )
    return [ModuleChoice(c_slug, m_slug, f"{c_title} — {m_title}") for c_slug, c_title, m_slug, m_title in rows]


def learning_path(wave: Wave) -> list[LearningPathItem]:
    return list(
        db.session.scalars(
            db.select(LearningPathItem).where(LearningPathItem.wave_id == wave.id).order_by(LearningPathItem.position)
        )
    )


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def set_learning_path(wave: Wave, items: Sequence[tuple[str, str]]) -> list[LearningPathItem]:
    """Replace the wave's learning path with (course_slug, module_slug) pairs, in order."""
    seen = set()
    clean = []
    for course_slug, module_slug in items:
        course_slug, module_slug = course_slug.strip(), module_slug.strip()
        if not (_SLUG.match(course_slug) and _SLUG.match(module_slug)):
            raise WaveError("path", _l("Tulis tiap modul sebagai kursus/modul, misalnya literasi-digital-dasar/hoaks."))
        if module_slug not in seen:
            seen.add(module_slug)
            clean.append((course_slug, module_slug))
    db.session.execute(db.delete(LearningPathItem).where(LearningPathItem.wave_id == wave.id))
    rows = [
        LearningPathItem(wave_id=wave.id, course_slug=c, module_slug=m, position=i)
        for i, (c, m) in enumerate(clean, start=1)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def parse_learning_path(text: str) -> list[tuple[str, str]]:
    """'course/module' per line (or separated by commas) → pairs."""
    pairs = []
    for part in re.split(r"[\n,]+", text or ""):
        part = part.strip()
        if not part:
            continue
        if part.count("/") != 1:
            raise WaveError("path", _l("Tulis tiap modul sebagai kursus/modul, misalnya literasi-digital-dasar/hoaks."))
        course_slug, module_slug = part.split("/")
        pairs.append((course_slug.strip(), module_slug.strip()))
    return pairs


# --- sessions and attendance -----------------------------------------------


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


def meets_attendance(wave: Wave, user: User, now: datetime) -> bool:
    """True when the trainee attended at least the wave's minimum share of the
    sessions held (no sessions held counts as met)."""
    summary = attendance_summary(wave, now).get(user.id)
    if summary is None:
        return False
    return summary.percent is None or summary.percent >= wave.attendance_min_percent


# --- announcements ----------------------------------------------------------


def post_announcement(wave: Wave, author: User, title: str, body: str, now: datetime) -> Announcement:
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise WaveError("title", _l("Isi judul pengumuman."))
    if not body:
        raise WaveError("body", _l("Isi pengumuman."))
    announcement = Announcement(wave_id=wave.id, author_id=author.id, title=title[:200], body=body, created_at=now)
    db.session.add(announcement)
    db.session.flush()
    audit.record(author, "wave.announcement.posted", "wave", wave.id, now, announcement_id=announcement.id)
    return announcement


def get_announcement(wave: Wave, announcement_id: int) -> Announcement | None:
    found = db.session.get(Announcement, announcement_id)
    return found if found is not None and found.wave_id == wave.id else None


def delete_announcement(announcement: Announcement, actor: User, now: datetime) -> None:
    audit.record(actor, "wave.announcement.deleted", "wave", announcement.wave_id, now, title=announcement.title)
    db.session.delete(announcement)
    db.session.flush()


def announcements_of(wave: Wave, limit: int | None = None) -> list[Announcement]:
    stmt = db.select(Announcement).where(Announcement.wave_id == wave.id).order_by(Announcement.created_at.desc(), Announcement.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def announcements_for(user: User, now: datetime, limit: int = 5) -> list[Announcement]:
    """The newest announcements of the waves where `user` holds a seat (for the
    home page); waves that ended more than 30 days ago fall silent."""
    since = local_today(now) - ANNOUNCEMENTS_AFTER_END
    return list(
        db.session.scalars(
            db.select(Announcement)
            .join(Wave, Wave.id == Announcement.wave_id)
            .join(Enrolment, Enrolment.wave_id == Wave.id)
            .where(Enrolment.user_id == user.id, Enrolment.status == ENROLLED, Wave.ends_on >= since)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(limit)
        )
    )


@dataclass
class HomeSummary:
    waves: list[MyWave]
    notices: list[Enrolment]
    announcements: list[Announcement]


def home_summary(user: User, now: datetime) -> HomeSummary:
    """What the home page shows about waves: active enrolments, seat notices, news."""
    active = [w for w in my_waves(user, with_announcements=False) if w.enrolment.status in ACTIVE_STATUSES]
    return HomeSummary(active, promotion_notices(user), announcements_for(user, now))


# --- bulk enrolment from a CSV ----------------------------------------------

HEADER_ALIASES = {
    "nama": {"nama", "name", "namalengkap", "fullname", "namapeserta", "peserta"},
    "hp": {"hp", "nohp", "nomorhp", "nomerhp", "hpwa", "wa", "nowa", "nomorwa", "whatsapp", "nomorwhatsapp", "telepon",
           "telp", "notelp", "notelepon", "nomortelepon", "phone", "handphone", "ponsel", "nomorponsel"},
    "email": {"email", "surel", "alamatemail", "mail", "surat elektronik"},
    "kecamatan": {"kecamatan", "kec", "district"},
    "opd": {"opd", "instansi", "perangkatdaerah", "agency", "dinas", "unitkerja", "skpd"},
    "kepala_opd": {"kepalaopd", "kepala", "kepaladinas", "iskepala", "isopdhead", "opdhead", "kepalaperangkatdaerah"},
}
_YES = {"ya", "y", "yes", "1", "true", "benar", "v", "x", "iya", "kepala"}
_NO = {"", "tidak", "t", "no", "n", "0", "false", "bukan", "-", "tdk"}
_KECAMATAN_ALIASES = {"luarkota": "luar-kota", "luarkotamalang": "luar-kota", "luarmalang": "luar-kota"}

ROW_MESSAGES = {
    "name_missing": _l("Nama kosong."),
    "name_long": _l("Nama lebih dari 120 karakter."),
    "phone_invalid": _l("Nomor HP tidak dikenali: %(value)s."),
    "email_invalid": _l("Email tidak valid: %(value)s."),
    "login_missing": _l("Isi nomor HP atau email."),
    "duplicate": _l("Sama dengan baris %(line)s di berkas ini."),
    "agency_unknown": _l("OPD tidak dikenal: %(value)s."),
    "kecamatan_unknown": _l("Kecamatan tidak dikenal: %(value)s."),
    "head_unknown": _l("Kolom kepala_opd: tulis ya atau tidak (tertulis %(value)s)."),
    "opd_required": _l("Gelombang OPD: isi kolom opd."),
    "opd_account": _l("Akun yang sudah ada ini belum terhubung ke OPD."),
    "conflict": _l("Nomor HP dan email ini milik dua akun berbeda."),
    "staff_account": _l("Akun ini milik pelatih atau admin."),
    "inactive_account": _l("Akun ini dinonaktifkan."),
    "removed": _l("Orang ini pernah dikeluarkan dari gelombang ini; daftarkan dari halaman gelombang bila perlu."),
}
ROW_NOTES = {
    "existing": _l("Akun sudah ada: didaftarkan tanpa akun baru."),
    "already": _l("Sudah terdaftar di gelombang ini: tidak berubah."),
    "waitlist": _l("Kursi penuh: masuk daftar tunggu."),
}


def row_message(problem: dict) -> str:
    """The text of a stored row problem or note, in the reader's language."""
    code = problem.get("code", "")
    template = ROW_MESSAGES.get(code) or ROW_NOTES.get(code)
    if template is None:
        return code
    params = {k: v for k, v in problem.items() if k != "code"}
    return str(template) % params if params else str(template)


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


_ALIAS_INDEX = {_header_key(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases | {column}}


def _kecamatan(raw: str) -> str | None | bool:
    """A kecamatan slug, None for empty, False when unknown."""
    text = raw.casefold().strip()
    for prefix in ("kecamatan", "kec.", "kec "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    key = re.sub(r"[^a-z]", "", text)
    if not key:
        return None
    key = _KECAMATAN_ALIASES.get(key, key)
    return key if key in KECAMATAN else False


def read_csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode and split a CSV: (columns found, [(file line, {column: text})]).

    UTF-8 with or without BOM; `;`, `,` or tab between fields; header names
    in their common spellings (nama / Nama Lengkap, hp / No. HP / WhatsApp …)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WaveError("file", _l("Berkas bukan CSV UTF-8. Di Excel pilih Simpan sebagai → CSV UTF-8.")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in text.split("\n") if line.strip()), "")
    if not first:
        raise WaveError("file", _l("Berkas kosong."))
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns = [_ALIAS_INDEX.get(_header_key(h)) for h in header]
    found = [c for c in columns if c]
    if "nama" not in found or not ({"hp", "email"} & set(found)):
        raise WaveError("file", _l("Baris pertama harus berisi judul kolom: nama, hp, email, kecamatan, opd, kepala_opd."))
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row = {}
        for column, value in zip(columns, values):
            if column and column not in row:
                row[column] = value.strip()
        rows.append((reader.line_num, row))
        if len(rows) > MAX_IMPORT_ROWS:
            raise WaveError("file", _l("Paling banyak %(n)d baris per berkas.", n=MAX_IMPORT_ROWS))
    if not rows:
        raise WaveError("file", _l("Berkas tidak berisi peserta."))
    return found, rows


def _existing_account(phone: str | None, email: str | None) -> tuple[User | None, bool]:
    """(account, conflict): the account a phone or email names."""
    by_phone = db.session.scalar(db.select(User).where(User.phone == phone)) if phone else None
    by_email = db.session.scalar(db.select(User).where(User.email == email)) if email else None
    if by_phone is not None and by_email is not None and by_phone.id != by_email.id:
        return None, True
    return by_phone or by_email, False


def _check_row(wave: Wave, line: int, raw: dict[str, str], seen: dict[str, int], agency_cache: dict) -> dict:
    problems = []
    name = " ".join(raw.get("nama", "").split())
    if not name:
        problems.append({"code": "name_missing"})
    elif len(name) > 120:
        problems.append({"code": "name_long"})
    phone = email = None
    if raw.get("hp"):
        phone = accounts.normalise_phone(raw["hp"])
        if phone is None:
            problems.append({"code": "phone_invalid", "value": raw["hp"][:40]})
    if raw.get("email"):
        email = accounts.normalise_email(raw["email"])
        if email is None:
            problems.append({"code": "email_invalid", "value": raw["email"][:60]})
    if not raw.get("hp") and not raw.get("email"):
        problems.append({"code": "login_missing"})
    for key in (phone, email):
        if key and key in seen:
            problems.append({"code": "duplicate", "line": seen[key]})
            break
    for key in (phone, email):
        if key:
            seen.setdefault(key, line)
    kecamatan = _kecamatan(raw.get("kecamatan", ""))
    if kecamatan is False:
        problems.append({"code": "kecamatan_unknown", "value": raw["kecamatan"][:40]})
        kecamatan = None
    agency_id, agency_label = None, ""
    if raw.get("opd"):
        key = raw["opd"]
        if key not in agency_cache:
            agency_cache[key] = agencies.find_by_name(key)
        agency = agency_cache[key]
        if agency is None:
            problems.append({"code": "agency_unknown", "value": key[:80]})
        else:
            agency_id, agency_label = agency.id, agency.abbreviation
    head_text = raw.get("kepala_opd", "").casefold()
    is_head = head_text in _YES
    if head_text not in _YES and head_text not in _NO:
        problems.append({"code": "head_unknown", "value": raw["kepala_opd"][:20]})
    existing, conflict = _existing_account(phone, email)
    if conflict:
        problems.append({"code": "conflict"})
    notes = []
    existing_status = None
    if existing is not None:
        if existing.role != Role.TRAINEE.value:
            problems.append({"code": "staff_account"})
        elif not existing.active:
            problems.append({"code": "inactive_account"})
        elif wave.track == "opd" and existing.agency_id is None:
            problems.append({"code": "opd_account"})
        current = enrolment_for(wave, existing)
        existing_status = current.status if current else None
        if existing_status == REMOVED:
            problems.append({"code": "removed"})
        notes.append({"code": "already" if existing_status in ACTIVE_STATUSES else "existing"})
    elif wave.track == "opd" and agency_id is None and not raw.get("opd"):
        problems.append({"code": "opd_required"})
    return {
        "line": line,
        "name": name,
        "phone": phone,
        "email": email,
        "login_text": phone or email or raw.get("hp") or raw.get("email") or "",
        "kecamatan": kecamatan,
        "agency_id": agency_id,
        "agency": agency_label,
        "is_opd_head": is_head,
        "existing_user_id": existing.id if existing is not None else None,
        "existing_status": existing_status,
        "errors": problems,
        "notes": notes,
    }


def _mark_waitlist(wave: Wave, rows: list[dict]) -> None:
    """Say which rows will land on the waitlist because the wave is full."""
    free = seats_left(wave) if _count(wave.id, WAITLISTED) == 0 else 0
    for row in rows:
        row["notes"] = [n for n in row["notes"] if n["code"] != "waitlist"]
        if row["errors"] or row["existing_status"] in ACTIVE_STATUSES:
            continue
        if free > 0:
            free -= 1
        else:
            row["notes"].append({"code": "waitlist"})


def preview_import(wave: Wave, actor: User, filename: str, data: bytes, now: datetime) -> EnrolmentImport:
    """Check a CSV and keep the result on the server until the admin confirms.
    Nothing about people changes here."""
    _found, raw_rows = read_csv(data)
    seen: dict[str, int] = {}
    agency_cache: dict = {}
    rows = [_check_row(wave, line, raw, seen, agency_cache) for line, raw in raw_rows]
    _mark_waitlist(wave, rows)
    # Old previews nobody confirmed, and rows of confirmed ones, are not kept.
    db.session.execute(
        db.delete(EnrolmentImport).where(EnrolmentImport.confirmed_at.is_(None), EnrolmentImport.created_at < now - STALE_IMPORT_AGE)
    )
    pending = EnrolmentImport(wave_id=wave.id, created_by=actor.id, filename=(filename or "")[:200], rows=rows, created_at=now)
    db.session.add(pending)
    db.session.flush()
    return pending


def get_import(wave: Wave, import_id: int, actor: User) -> EnrolmentImport | None:
    """An import of this wave started by this admin (anyone else's is not found)."""
    found = db.session.get(EnrolmentImport, import_id)
    if found is None or found.wave_id != wave.id or found.created_by != actor.id:
        return None
    return found


@dataclass
class ImportPreview:
    rows: list[dict]
    total: int
    valid: int
    invalid: int
    new_accounts: int
    waitlisted: int
    unchanged: int


def describe_import(pending: EnrolmentImport) -> ImportPreview:
    rows = []
    for row in pending.rows:
        rows.append(
            {
                **row,
                "error_texts": [row_message(p) for p in row["errors"]],
                "note_texts": [row_message(n) for n in row["notes"]],
            }
        )
    valid = [r for r in rows if not r["errors"]]
    return ImportPreview(
        rows=rows,
        total=len(rows),
        valid=len(valid),
        invalid=len(rows) - len(valid),
        new_accounts=sum(1 for r in valid if r["existing_user_id"] is None),
        waitlisted=sum(1 for r in valid if any(n["code"] == "waitlist" for n in r["notes"])),
        unchanged=sum(1 for r in valid if r["existing_status"] in ACTIVE_STATUSES),
    )


def lines_needing_accounts(pending: EnrolmentImport) -> list[int]:
    """Read-only: the valid rows whose person has no account yet."""
    lines = []
    for row in pending.rows:
        if row["errors"]:
            continue
        existing, _conflict = _existing_account(row["phone"], row["email"])
        if existing is None:
            lines.append(row["line"])
    return lines


def hash_passwords(plain: dict[int, str]) -> dict[int, str]:
    """Hash many one-time passwords (slow; call before the write transaction).
    scrypt releases the GIL, so a few threads share the work."""
    if not plain:
        return {}
    keys = list(plain)
    # Each scrypt hash takes ~32 MB; four at a time keeps a small server comfortable.
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1, len(keys)))) as pool:
        hashes = list(pool.map(passwords.hash_password, (plain[k] for k in keys)))
    return dict(zip(keys, hashes))


@dataclass
class SheetRow:
    name: str
    login: str
    password: str | None  # None: the account existed, the old password stays
    status: str


def confirm_import(
    pending: EnrolmentImport, actor: User, one_time: dict[int, tuple[str, str]], now: datetime
) -> list[SheetRow] | None:
    """Create the missing accounts and enrol every valid row.

    `one_time` maps a file line to (password, hash), hashed beforehand. Returns
    the handout sheet, or None if this import was confirmed already."""
    wave = _lock(pending.wave_id)
    db.session.refresh(pending)
    if pending.confirmed_at is not None:
        return None
    sheet = []
    created = enrolled = 0
    for row in pending.rows:
        if row["errors"]:
            continue
        user, conflict = _existing_account(row["phone"], row["email"])
        if conflict:
            continue
        password = None
        if user is None:
            if row["line"] not in one_time:
                continue  # appeared between preview and confirm: upload again
            password, password_hash = one_time[row["line"]]
            user = accounts.create_user(
                accounts.NewAccount(
                    name=row["name"], password="", phone=row["phone"], email=row["email"], kecamatan=row["kecamatan"],
                    agency_id=row["agency_id"], is_opd_head=row["is_opd_head"], role=Role.TRAINEE.value,
                ),
                password_hash,
                now,
                must_change_password=True,
            )
            created += 1
        elif user.role != Role.TRAINEE.value or not user.active:
            continue
        try:
            check_eligible(wave, user)
        except WaveError:
            continue
        current = enrolment_for(wave, user)
        if current is not None and current.status == REMOVED:
            continue
        enrolment = apply(wave, user, now, source="csv", check_window=False)
        enrolled += 1
        sheet.append(SheetRow(user.name, user.login, password, enrolment.status))
    pending.confirmed_at = now
    pending.rows = []  # the personal data has done its job
    db.session.flush()
    audit.record(actor, "wave.import.confirmed", "wave", wave.id, now, created=created, enrolled=enrolled)
    return sheet
