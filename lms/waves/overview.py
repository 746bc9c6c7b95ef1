"""A trainee's own view of their waves: every enrolment with its waitlist
place and news (the "my waves" page), and the waves part of the home page.

Read-only; it combines seats (`lms.waves.services`) with announcements
(`lms.waves.announcements`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lms.auth.models import User
from lms.extensions import db
from lms.waves.announcements import announcements_for, announcements_of
from lms.waves.models import ACTIVE_STATUSES, ENROLLED, Announcement, Enrolment, Wave
from lms.waves.services import promotion_notices, waitlist_position


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


@dataclass
class HomeSummary:
    waves: list[MyWave]
    notices: list[Enrolment]
    announcements: list[Announcement]


def home_summary(user: User, now: datetime) -> HomeSummary:
    """What the home page shows about waves: active enrolments, seat notices, news."""
    active = [w for w in my_waves(user, with_announcements=False) if w.enrolment.status in ACTIVE_STATUSES]
    return HomeSummary(active, promotion_notices(user), announcements_for(user, now))
