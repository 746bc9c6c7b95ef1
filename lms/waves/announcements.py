"""Announcements of a wave: trainers post them, the wave's trainees read them
on their waves page and on the home page.

Same rules as `lms.waves.services`: explicit arguments, flush but never
commit, `WaveError(field, message)` when a rule refuses.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.waves.models import ENROLLED, Announcement, Enrolment, Wave
from lms.waves.services import WaveError, local_today

ANNOUNCEMENTS_AFTER_END = timedelta(days=30)


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
