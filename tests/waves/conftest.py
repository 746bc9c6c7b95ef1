"""Builders for the wave tests: waves, sessions and enrolments made through the services."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from lms.auth.models import User
from lms.core.db import utcnow
from lms.extensions import db

from ..conftest import AuthActions


@dataclass
class WaveRef:
    id: int
    code: str
    name: str


@pytest.fixture
def make_wave(app):
    """make_wave(capacity=50, track="umum", trainers=[user], open_registration=True) → WaveRef."""
    from lms.waves import services

    counter = itertools.count(1)

    def build(capacity: int = 50, track: str = "umum", trainers=(), open_registration: bool = True, **extra) -> WaveRef:
        n = next(counter)
        now = utcnow()
        with app.app_context():
            wave = services.save_wave(
                None,
                services.WaveData(
                    name=extra.pop("name", f"Gelombang Uji {n}"),
                    programme="Pelatihan Influencer Kota Malang 2026",
                    code=extra.pop("code", f"T{n:02d}"),
                    track=track,
                    starts_on=now.date(),
                    ends_on=now.date() + timedelta(days=14),
                    capacity=capacity,
                    registration_opens_at=now - timedelta(days=1) if open_registration else None,
                    registration_closes_at=now + timedelta(days=1) if open_registration else None,
                    trainer_ids=[t.id for t in trainers],
                    **extra,
                ),
                None,
                now,
            )
            db.session.commit()
            return WaveRef(wave.id, wave.code, wave.name)

    return build


@pytest.fixture
def enrol(app):
    """enrol(wave_ref, user, source="admin") → status, through the service (no window check)."""
    from lms.waves import services

    def run(wave_ref, user, source: str = "admin", now: datetime | None = None) -> str:
        with app.app_context():
            enrolment = services.apply(
                services.get_wave(wave_ref.id), db.session.get(User, user.id), now or utcnow(), source=source, check_window=False
            )
            db.session.commit()
            return enrolment.status

    return run


@pytest.fixture
def make_session(app):
    """make_session(wave_ref, starts_at, ends_at, secret=None) → session id (times naive UTC)."""
    from lms.waves import attendance, services

    def build(wave_ref, starts_at: datetime | None = None, ends_at: datetime | None = None, secret: str | None = None) -> int:
        now = utcnow()
        starts_at = starts_at or now - timedelta(minutes=30)
        ends_at = ends_at or starts_at + timedelta(hours=2)
        with app.app_context():
            session = attendance.save_session(services.get_wave(wave_ref.id), None, "Pertemuan Uji", starts_at, ends_at, None, now)
            if secret:
                session.secret = secret
            db.session.commit()
            return session.id

    return build


def login_as(app, user) -> tuple[object, AuthActions]:
    """A fresh test client logged in as `user`."""
    client = app.test_client()
    actions = AuthActions(client)
    response = actions.login(user.login_name)
    assert response.status_code == 302, f"login failed for {user.login_name}"
    return client, actions


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))
