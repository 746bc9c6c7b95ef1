"""Sessions and attendance: the minute code, its window, the roster."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lms.auth.models import User
from lms.core.db import utcnow
from lms.extensions import db
from lms.waves import attendance, services
from lms.waves.models import Attendance, ClassSession

from .conftest import login_as, text_of

SECRET = "ab" * 32
START = datetime(2026, 3, 2, 1, 0)  # 08.00 WIB
END = datetime(2026, 3, 2, 4, 0)


def test_code_is_valid_this_minute_and_the_previous_one_only(app, make_wave, make_session):
    wave = make_wave()
    session_id = make_session(wave, START, END, secret=SECRET)
    with app.app_context():
        session = db.session.get(ClassSession, session_id)
        now = START + timedelta(minutes=40, seconds=5)
        code = attendance.current_code(session, now)
        assert len(code) == 6 and code.isdigit()
        assert attendance.verify_code(session, code, now)
        assert attendance.verify_code(session, f"{code[:3]} {code[3:]}", now + timedelta(seconds=30))
        assert attendance.verify_code(session, code, now + timedelta(minutes=1))  # previous minute
        assert not attendance.verify_code(session, code, now + timedelta(minutes=2))
        assert not attendance.verify_code(session, code, now - timedelta(minutes=1))  # a future code
        assert not attendance.verify_code(session, "000000" if code != "000000" else "111111", now)
        # Each minute has its own code, from the session's own secret.
        assert attendance.current_code(session, now + timedelta(minutes=1)) != code


def test_code_works_only_around_the_session(app, make_wave, make_session):
    wave = make_wave()
    session_id = make_session(wave, START, END, secret=SECRET)
    with app.app_context():
        session = db.session.get(ClassSession, session_id)
        for moment, ok in (
            (START - timedelta(minutes=16), False),
            (START - timedelta(minutes=14), True),
            (END + timedelta(minutes=14), True),
            (END + timedelta(minutes=16), False),
        ):
            assert attendance.verify_code(session, attendance.current_code(session, moment), moment) is ok, moment


def test_check_in_service(app, make_wave, make_user, make_session, enrol):
    wave, other_wave = make_wave(), make_wave()
    mine = make_session(wave, START, END, secret=SECRET)
    theirs = make_session(other_wave, START, END, secret="cd" * 32)
    trainee, outsider, waiting = make_user(), make_user(), make_user()
    enrol(wave, trainee)
    enrol(other_wave, outsider)
    now = START + timedelta(minutes=5)
    with app.app_context():
        session = db.session.get(ClassSession, mine)
        code = attendance.current_code(session, now)
        me = db.session.get(User, trainee.id)
        first = attendance.check_in(me, code, now)
        assert first.session.id == mine and not first.already and first.attendance.method == "code"
        second = attendance.check_in(me, attendance.current_code(session, now + timedelta(minutes=3)), now + timedelta(minutes=3))
        assert second.already and second.attendance.id == first.attendance.id
        db.session.commit()
        # A trainee of another wave cannot use this wave's code…
        with pytest.raises(services.WaveError):
            attendance.check_in(db.session.get(User, outsider.id), code, now)
        # …nor can someone who holds no seat at all, nor anyone after two minutes.
        with pytest.raises(services.WaveError):
            attendance.check_in(db.session.get(User, waiting.id), code, now)
        with pytest.raises(services.WaveError):
            attendance.check_in(db.session.get(User, outsider.id), attendance.current_code(db.session.get(ClassSession, theirs), now), now + timedelta(minutes=2))
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 1


def test_check_in_page_and_projector(app, make_wave, make_user, make_session, enrol):
    trainer = make_user(role="trainer")
    wave = make_wave(trainers=[trainer])
    session_id = make_session(wave)  # running now
    trainee = make_user()
    enrol(wave, trainee)
    trainer_client, _ = login_as(app, trainer)
    page = text_of(trainer_client.get(f"/gelombang/{wave.id}/sesi/{session_id}/layar"))
    assert "js/waves.js" in page and "<script>" not in page
    state = trainer_client.get(f"/gelombang/{wave.id}/sesi/{session_id}/kode").get_json()
    assert state["open"] is True and len(state["code"]) == 6 and state["count"] == 0 and state["enrolled"] == 1
    client, actions = login_as(app, trainee)
    assert "Kode presensi" in text_of(client.get("/presensi"))
    wrong = actions.post("/presensi", {"code": "12345"})
    assert "Kode salah" in text_of(wrong)
    response = actions.post("/presensi", {"code": state["code"]}, follow_redirects=True)
    assert "kehadiran Anda di Pertemuan Uji tercatat" in text_of(response)
    again = actions.post("/presensi", {"code": state["code"]}, follow_redirects=True)
    assert "sudah tercatat sebelumnya" in text_of(again)
    assert trainer_client.get(f"/gelombang/{wave.id}/sesi/{session_id}/kode").get_json()["count"] == 1


@pytest.fixture
def app_config(base_config):
    return {**base_config, "RATELIMIT_CHECKIN": "3 per minute"}


def test_wrong_codes_are_rate_limited_per_person(app, make_wave, make_user, make_session, enrol):
    wave = make_wave()
    session_id = make_session(wave)
    trainee, neighbour = make_user(), make_user()
    enrol(wave, trainee)
    enrol(wave, neighbour)
    _client, actions = login_as(app, trainee)
    for _ in range(3):
        assert actions.post("/presensi", {"code": "000001"}).status_code == 200
    assert actions.post("/presensi", {"code": "000001"}).status_code == 429
    # The person next to them, on the same Wi-Fi, is not blocked.
    with app.app_context():
        code = attendance.current_code(db.session.get(ClassSession, session_id), utcnow())
    _c2, other = login_as(app, neighbour)
    assert other.post("/presensi", {"code": code}).status_code == 302


def test_roster_ticking(app, make_wave, make_user, make_session, enrol):
    trainer = make_user(role="trainer")
    wave = make_wave(trainers=[trainer])
    session_id = make_session(wave)
    a, b = make_user(name="Ani"), make_user(name="Budi")
    stranger = make_user(name="Orang Lain")
    enrol(wave, a)
    enrol(wave, b)
    client, actions = login_as(app, trainer)
    page = text_of(client.get(f"/gelombang/{wave.id}/sesi/{session_id}/presensi"))
    assert "Ani" in page and "Budi" in page and "Orang Lain" not in page
    url = f"/gelombang/{wave.id}/sesi/{session_id}/presensi"
    actions.post(url, {"present": [str(a.id), str(b.id), str(stranger.id)]})
    with app.app_context():
        present = dict(db.session.execute(db.select(Attendance.user_id, Attendance.method)).all())
    assert present == {a.id: "roster", b.id: "roster"}
    response = actions.post(url, {"present": [str(a.id)]}, follow_redirects=True)
    assert "1 dari 2 peserta hadir" in text_of(response)
    with app.app_context():
        assert list(db.session.scalars(db.select(Attendance.user_id))) == [a.id]
        summary = attendance.attendance_summary(services.get_wave(wave.id), utcnow())
    assert summary[a.id].percent == 100.0 and summary[b.id].percent == 0.0


def test_session_form_takes_local_time(app, make_wave, make_user):
    trainer = make_user(role="trainer")
    wave = make_wave(trainers=[trainer])
    _client, actions = login_as(app, trainer)
    response = actions.post(
        f"/gelombang/{wave.id}/sesi/baru", {"title": "Pertemuan 2", "day": "2026-03-09", "start_time": "08:00", "end_time": "07:00"}
    )
    assert "Jam selesai harus setelah jam mulai" in text_of(response)
    actions.post(
        f"/gelombang/{wave.id}/sesi/baru", {"title": "Pertemuan 2", "day": "2026-03-09", "start_time": "08:00", "end_time": "11:30"}
    )
    with app.app_context():
        session = db.session.scalar(db.select(ClassSession))
    assert (session.starts_at, session.ends_at) == (datetime(2026, 3, 9, 1, 0), datetime(2026, 3, 9, 4, 30))
    assert len(session.secret) == 64
