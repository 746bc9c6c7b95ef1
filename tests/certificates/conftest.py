"""Certificate tests reuse the wave builders and the completion course fixture
(a course 'kursus-uji' with modules m1 (quiz) and m2, required for umum)."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest

from lms.auth.models import User
from lms.core.db import utcnow
from lms.courses import services as courses
from lms.courses.models import Progress
from lms.extensions import db

from ..completion.conftest import app_config, course, courses_dir  # noqa: F401  (fixtures)
from ..waves.conftest import WaveRef, enrol, login_as, make_session, make_wave, text_of  # noqa: F401

MODULES = ("kursus-uji-m1", "kursus-uji-m2")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{name} is required in CI")
        pytest.skip(f"{name} not installed")
    return path


def complete_modules(app, user, modules=MODULES, quiz: bool = True) -> None:
    """Mark modules completed (and m1's quiz passed) through the course service."""
    with app.app_context():
        person = db.session.get(User, user.id)
        now = utcnow()
        for slug in modules:
            courses.mark_completed(person, "kursus-uji", slug, now)
        if quiz:
            db.session.execute(
                db.update(Progress)
                .where(Progress.user_id == user.id, Progress.module_slug == "kursus-uji-m1")
                .values(quiz_passed_at=now, best_score=100.0)
            )
        db.session.commit()


@dataclass
class Setting:
    wave: WaveRef
    trainer: object
    admin: object


@pytest.fixture
def setting(app, course, make_wave, make_user):
    """A wave G03 (16 hours) run by a trainer; exercises not required."""
    trainer = make_user(role="trainer", name="Rina Wulandari")
    admin = make_user(role="admin", name="Admin Diskominfo")
    wave = make_wave(trainers=[trainer], exercises_required=False, code="G03", hours=16, name="Gelombang 3")
    return Setting(wave, trainer, admin)


@pytest.fixture
def graduate(app, setting, enrol, make_user):
    """graduate(name, login=None, kecamatan=..., email=...) → a trainee who completed the wave (no certificate yet)."""

    def build(name: str = "Ni Luh Putu Ayu Déwi", wave: WaveRef | None = None, **extra):
        user = make_user(name=name, **extra)
        enrol(wave or setting.wave, user)
        complete_modules(app, user)
        return user

    return build


@pytest.fixture
def issue(app):
    """issue(wave_ref, user, issuer=None) → (certificate id, code, serial), committed, through the service."""
    from lms.certificates import services
    from lms.waves import services as waves

    def run(wave_ref, user, issuer=None):
        with app.app_context():
            certificate, _new = services.issue(
                waves.get_wave(wave_ref.id), db.session.get(User, user.id), utcnow(),
                issuer=db.session.get(User, issuer.id) if issuer else None,
            )
            db.session.commit()
            return certificate.id, certificate.code, certificate.serial

    return run
