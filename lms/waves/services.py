"""Wave rules: waves, seats and waitlist, learning path.

Sessions and attendance live in `lms.waves.attendance`, announcements in
`lms.waves.announcements`, bulk enrolment from a CSV in `lms.waves.importing`
and a trainee's own view of their waves in `lms.waves.overview`; they build
on this module, never the other way round.

Plain functions with explicit arguments (`user`, `now`); they flush, never
commit, and raise `WaveError(field, message)` when a rule refuses. Every
change to who holds a seat first locks the wave row (`lock_wave`): SELECT … FOR
UPDATE on PostgreSQL; on SQLite the request's write transaction is already
BEGIN IMMEDIATE, so writers queue. The count that decides "seat or waitlist"
is therefore never read by two writers at once.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_
from sqlalchemy.exc import IntegrityError

from lms.audit import services as audit
from lms.auth.models import Role, User
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
    Enrolment,
    LearningPathItem,
    Wave,
    wave_trainers,
)

LOCAL_TZ = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")


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
        wave = lock_wave(wave.id)
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
    return max(0, wave.capacity - count_enrolments(wave.id, ENROLLED))


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


def lock_wave(wave_id: int) -> Wave:
    """Take the wave row's write lock before reading any seat count."""
    return db.session.execute(
        db.select(Wave).where(Wave.id == wave_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def count_enrolments(wave_id: int, status: str) -> int:
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
    wave = lock_wave(wave.id)
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
    if count_enrolments(wave.id, ENROLLED) < wave.capacity:
        enrolment.status, enrolment.enrolled_at = ENROLLED, now
    else:
        enrolment.status, enrolment.enrolled_at = WAITLISTED, None
    db.session.flush()


def promote_waiting(wave: Wave, now: datetime) -> list[Enrolment]:
    """Give free seats to the first on the waitlist. The caller holds the wave lock."""
    free = wave.capacity - count_enrolments(wave.id, ENROLLED)
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
    wave = lock_wave(enrolment.wave_id)
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
    wave = lock_wave(enrolment.wave_id)
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
        lock_wave(wave_id)
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
