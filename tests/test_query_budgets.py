"""Every key page sends a fixed number of SQL statements, however much data there is.

Each test measures a page on a small world, grows the world (more trainees in
the same wave, their progress, quiz attempts, exercise submissions and
certificates, another wave, and more of the viewer's own progress), measures
again, and asserts the two counts are equal and within the page's budget. A
count that grows with the data is an N+1 query: at city scale (10,000 to
100,000 trainees, waves of 500) it is what makes a page slow.

Statements are counted with SQLAlchemy's `before_cursor_execute` on db.engine
(tests/perf/querycount.py); each page is requested once before counting so
per-process caches are warm.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pytest

from lms.auth.models import User
from lms.core.db import utcnow
from lms.extensions import db

from .conftest import csrf_token
from .courses.helpers import import_tree, module_text, write_course
from .perf.querycount import count_queries
from .waves.conftest import enrol, login_as, make_wave  # noqa: F401  (fixtures)

COURSE = "kursus-beban"
M1, M2, M3 = "beban-m1", "beban-m2", "beban-m3"

QUIZ = """
```quiz
pass_mark: 50
questions:
  - id: satu
    type: truefalse
    text: Kota Malang punya lima kecamatan.
    answer: true
    explanation: Blimbing, Klojen, Kedungkandang, Lowokwaru, Sukun.
```
"""

EXERCISE = """
```exercise
slug: tugas-beban
title: Tugas beban
submit: [text]
tracks: [umum]
pass_score: 1
instructions: Tulis satu tips.
rubric:
  - criterion: Jelas
    levels:
      - {label: Belum, points: 0}
      - {label: Jelas, points: 1}
```
"""

# Statements per request (measured; see docs/performance.md). A change that adds
# a query to a page must raise its budget here, on purpose.
BUDGETS = {
    "home": 16,  # the same for a trainee in one wave or in several (test_home_does_not_grow_with_the_trainees_own_waves)
    "lesson": 3,
    "quiz submit": 14,  # the completion rule runs only once every module of a path is done (a 2-query pre-check)
    "progress grid": 10,
    "review queue": 4,
    "verify": 1,
}


@pytest.fixture
def courses_dir(tmp_path):
    path = tmp_path / "courses"
    path.mkdir()
    return path


@pytest.fixture
def app_config(base_config, courses_dir):
    return {**base_config, "LMS_COURSES_PATH": str(courses_dir)}


@dataclass
class World:
    wave: object
    certificate_wave: object
    trainer: object
    subject: object  # the trainee whose pages are measured
    graduate_code: str


@pytest.fixture
def world(app, courses_dir, make_wave, enrol, make_user):
    from lms.courses import importer

    extra = f"required:\n  umum: [{M1}, {M2}, {M3}]\n"
    write_course(courses_dir, COURSE, [
        (M1, module_text(M1, order=1, body=QUIZ + EXERCISE)),
        (M2, module_text(M2, order=2, body=QUIZ)),
        (M3, module_text(M3, order=3)),
    ], extra=extra)
    import_tree(app, courses_dir, validators=importer.block_validators(app))
    trainer = make_user(role="trainer", name="Bu Rina Pelatih")
    wave = make_wave(trainers=[trainer], code="BEBAN")
    certificate_wave = make_wave(trainers=[trainer], code="LULUS", quizzes_required=False, exercises_required=False)
    subject = make_user(name="Siti Aminah")
    enrol(wave, subject)
    with app.app_context():
        from lms.courses import services as courses

        courses.mark_started(db.session.get(User, subject.id), COURSE, M1, utcnow())
        db.session.commit()
    graduate = make_user(name="Ni Luh Putu Ayu Déwi")
    code = _graduate(app, enrol, certificate_wave, graduate)
    return World(wave, certificate_wave, trainer, subject, code)


def _graduate(app, enrol, certificate_wave, user) -> str:
    """Enrol, complete the three modules, and issue the certificate (services); its verify code."""
    from lms.certificates import services as certificates
    from lms.courses import services as courses
    from lms.waves import services as waves

    enrol(certificate_wave, user)
    with app.app_context():
        person, now = db.session.get(User, user.id), utcnow()
        for slug in (M1, M2, M3):
            courses.mark_completed(person, COURSE, slug, now)
        certificate, _new = certificates.issue(waves.get_wave(certificate_wave.id), person, now)
        db.session.commit()
        return certificate.code


_names = itertools.count(1)


def grow(app, world: World, make_user, enrol, trainees: int) -> None:
    """More of everything the pages read, through the services."""
    from lms.courses import services as courses
    from lms.exercises import services as exercises
    from lms.quizzes import services as quizzes

    for _ in range(trainees):
        user = make_user(name=f"Peserta Tambahan {next(_names)}")
        enrol(world.wave, user)
        with app.app_context():
            person, now = db.session.get(User, user.id), utcnow()
            for slug in (M1, M2):
                courses.mark_completed(person, COURSE, slug, now)
                started = quizzes.start_attempt(person, slug, now)
                quizzes.submit_attempt(person, started.attempt_id, {"satu": "true"}, now)
            exercises.submit(person, exercises.get_exercise(M1), exercises.Answer(text="Tips saya."), now)
            db.session.commit()
        _graduate(app, enrol, world.certificate_wave, make_user(name=f"Lulusan {next(_names)}"))
    with app.app_context():  # the subject's own history grows too
        person, now = db.session.get(User, world.subject.id), utcnow()
        courses.mark_completed(person, COURSE, M2, now)
        started = quizzes.start_attempt(person, M2, now)
        quizzes.submit_attempt(person, started.attempt_id, {"satu": "false"}, now)
        db.session.commit()


def measure(app, request, setup=None) -> int:
    """Statements of one `request(setup())` (after one uncounted warm-up call; setup is not counted)."""
    response = request(setup() if setup else None)
    assert response.status_code < 400, response.status_code
    prepared = setup() if setup else None
    with count_queries(app) as statements:
        response = request(prepared)
    assert response.status_code < 400, response.status_code
    return len(statements)


def assert_fixed(app, world, make_user, enrol, name: str, request, setup=None) -> None:
    small = measure(app, request, setup)
    grow(app, world, make_user, enrol, 12)
    large = measure(app, request, setup)
    assert small == large, f"{name}: {small} statements with little data, {large} with more (an N+1 query)"
    assert large <= BUDGETS[name], f"{name}: {large} statements, budget {BUDGETS[name]}"


def test_home(app, world, make_user, enrol):
    client, _actions = login_as(app, world.subject)
    assert_fixed(app, world, make_user, enrol, "home", lambda _: client.get("/beranda"))


def test_home_does_not_grow_with_the_trainees_own_waves(app, world, make_wave, enrol):
    """A trainee in three waves (with sessions, attendance and a completed one) costs
    what a trainee in one costs: the completion rule reads its data once for all."""
    client, _actions = login_as(app, world.subject)
    one = measure(app, lambda _: client.get("/beranda"))
    second = make_wave(code="KEDUA", name="Gelombang Kedua Lowokwaru", exercises_required=False)
    enrol(second, world.subject)
    enrol(world.certificate_wave, world.subject)
    html = client.get("/beranda").get_data(as_text=True)
    assert "Gelombang Kedua Lowokwaru" in html and world.certificate_wave.name in html  # all three are on the page
    assert measure(app, lambda _: client.get("/beranda")) == one


def test_lesson(app, world, make_user, enrol):
    client, _actions = login_as(app, world.subject)
    assert_fixed(app, world, make_user, enrol, "lesson", lambda _: client.get(f"/kursus/{COURSE}/{M1}"))


def test_quiz_submit(app, world, make_user, enrol):
    from lms.quizzes import services as quizzes

    client, _actions = login_as(app, world.subject)

    def start():
        """A fresh open attempt and the form's CSRF token (not counted)."""
        with app.app_context():
            started = quizzes.start_attempt(db.session.get(User, world.subject.id), M1, utcnow())
            db.session.commit()
        return started.attempt_id, csrf_token(client)

    def submit(prepared):
        attempt_id, token = prepared
        response = client.post(f"/kuis/percobaan/{attempt_id}", data={"csrf_token": token, "q-satu": "true"})
        assert response.status_code == 302 and re.search(r"/hasil$", response.headers["Location"])
        return response

    assert_fixed(app, world, make_user, enrol, "quiz submit", submit, start)


def test_progress_grid(app, world, make_user, enrol):
    client, _actions = login_as(app, world.trainer)
    assert_fixed(app, world, make_user, enrol, "progress grid",
                 lambda _: client.get(f"/gelombang/{world.wave.id}/kemajuan"))


def test_review_queue(app, world, make_user, enrol):
    client, _actions = login_as(app, world.trainer)
    assert_fixed(app, world, make_user, enrol, "review queue", lambda _: client.get(f"/gelombang/{world.wave.id}/tugas"))


def test_verify(app, world, make_user, enrol):
    client = app.test_client()
    assert_fixed(app, world, make_user, enrol, "verify", lambda _: client.get(f"/verify/{world.graduate_code}"))
