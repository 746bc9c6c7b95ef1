"""Trainers' quiz statistics: per trainee, per question (facility index), fixed queries."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from lms.extensions import db
from lms.quizzes import services, statistics

from .conftest import QUIZ_MODULE

QUIZ = """
pass_mark: 50
questions:
  - id: mudah
    type: single
    text: Soal mudah
    options:
      - text: Ya
        correct: true
      - text: Tidak
    explanation: -.
  - id: sedang
    type: truefalse
    text: Soal sedang
    answer: true
    explanation: -.
  - id: sulit
    type: short
    text: Soal sulit
    answers: [jawaban]
    explanation: -.
"""
T0 = datetime(2026, 12, 1, 9, 0)


def take(app, user, answers: dict, minutes: int = 0, late: bool = False) -> None:
    with app.app_context():
        now = T0 + timedelta(minutes=minutes)
        started = services.start_attempt(user, QUIZ_MODULE, now)
        if late:
            attempt = services.get_attempt(user, started.attempt_id)
            attempt.deadline_at = now
            db.session.flush()
            now += timedelta(minutes=5)
        services.submit_attempt(user, started.attempt_id, answers, now)
        db.session.commit()


RIGHT = {"mudah": "o1", "sedang": "true", "sulit": "Jawaban"}


@pytest.fixture
def taken(app, make_user, make_quiz):
    make_quiz(QUIZ)
    ani, budi, citra = (make_user(name=n) for n in ("Ani", "Budi", "Citra"))
    trainer = make_user(role="trainer", name="Pelatih Dewi")
    take(app, ani, {"mudah": "o1", "sedang": "true", "sulit": "salah"})
    take(app, ani, RIGHT, minutes=10)
    take(app, budi, {"mudah": "o2", "sedang": "true"})
    take(app, citra, {"mudah": "o1", "sedang": "false"})
    take(app, citra, RIGHT, minutes=20, late=True)  # expired: left out of the facility index
    take(app, trainer, {"mudah": "o2", "sedang": "false"})  # staff trying it out: not counted
    return {"ani": ani, "budi": budi, "citra": citra, "trainer": trainer}


def test_facility_index_and_trainee_rows(app, taken):
    with app.app_context():
        stats = statistics.statistics(QUIZ_MODULE)
    assert stats.submitted == 4
    assert [(q.id, q.answered, q.facility, q.weak) for q in stats.questions] == [
        ("mudah", 4, 75.0, False), ("sedang", 4, 75.0, False), ("sulit", 4, 25.0, True),
    ]
    rows = {r.name: (r.attempts, r.best_percent, r.passed) for r in stats.trainees}
    assert rows["Ani"] == (2, pytest.approx(100.0), True)
    assert rows["Budi"] == (1, pytest.approx(100 / 3, abs=1e-3), False)
    assert rows["Citra"] == (2, pytest.approx(100 / 3, abs=1e-3), False)
    assert "Pelatih Dewi" not in rows


def test_statistics_page(client, auth, taken):
    auth.login(taken["trainer"].login_name)
    page = client.get(f"/kuis/{QUIZ_MODULE}/statistik").get_data(as_text=True)
    assert "Ani" in page and "Budi" in page and "Citra" in page
    weak = re.findall(r'<tr class="is-weak">(.*?)</tr>', page, re.S)
    assert len(weak) == 1 and "Soal sulit" in weak[0] and "25%" in weak[0] and "Sulit" in weak[0]
    assert page.count("75%") == 2 and "33,3%" in page
    # The trainer's own intro page links to the statistics.
    assert f"/kuis/{QUIZ_MODULE}/statistik" in client.get(f"/kuis/{QUIZ_MODULE}").get_data(as_text=True)


def test_trainees_may_not_see_statistics(client, auth, make_user, taken):
    auth.login(taken["ani"].login_name)
    assert client.get(f"/kuis/{QUIZ_MODULE}/statistik").status_code == 403
    assert "/statistik" not in client.get(f"/kuis/{QUIZ_MODULE}").get_data(as_text=True)
    auth.logout()
    auth.login(make_user(role="admin").login_name)
    assert client.get(f"/kuis/{QUIZ_MODULE}/statistik").status_code == 200
    assert client.get("/kuis/tidak-ada/statistik").status_code == 404


def count_statements(app, client, url) -> int:
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(statements)


def test_statistics_issue_a_fixed_number_of_queries(app, client, auth, make_user, taken):
    auth.login(taken["trainer"].login_name)
    url = f"/kuis/{QUIZ_MODULE}/statistik"
    client.get(url)
    few = count_statements(app, client, url)
    for n in range(6):
        take(app, make_user(), RIGHT if n % 2 else {"mudah": "o1"}, minutes=30 + n)
    assert count_statements(app, client, url) == few
