"""Who may open which wave page: roles (403) and assignment (404)."""
from __future__ import annotations

import pytest

from lms.extensions import db
from lms.waves.models import Announcement, ClassSession, Enrolment

from .conftest import login_as, text_of


@pytest.fixture
def setup(app, make_wave, make_user, make_session, enrol):
    assigned = make_user(role="trainer", name="Pelatih Bertugas")
    stranger = make_user(role="trainer", name="Pelatih Lain")
    wave = make_wave(trainers=[assigned])
    session_id = make_session(wave)
    trainee = make_user()
    enrol(wave, trainee)
    with app.app_context():
        enrolment_id = db.session.scalar(db.select(Enrolment.id))
    return {"wave": wave, "session": session_id, "assigned": assigned, "stranger": stranger, "trainee": trainee, "enrolment": enrolment_id}


def _staff_gets(s):
    w, sid = s["wave"].id, s["session"]
    return [
        f"/gelombang/{w}",
        f"/gelombang/{w}/sesi/baru",
        f"/gelombang/{w}/sesi/{sid}/ubah",
        f"/gelombang/{w}/sesi/{sid}/presensi",
        f"/gelombang/{w}/sesi/{sid}/layar",
        f"/gelombang/{w}/sesi/{sid}/kode",
    ]


def _staff_posts(s):
    w, sid = s["wave"].id, s["session"]
    return [
        (f"/gelombang/{w}/pengumuman", {"title": "Halo", "body": "Isi"}),
        (f"/gelombang/{w}/sesi/baru", {"title": "X", "day": "2026-03-09", "start_time": "08:00", "end_time": "09:00"}),
        (f"/gelombang/{w}/sesi/{sid}/presensi", {"present": "1"}),
        (f"/gelombang/{w}/sesi/{sid}/hapus", {}),
    ]


def test_assigned_trainer_sees_the_wave(app, setup):
    client, _ = login_as(app, setup["assigned"])
    for url in _staff_gets(setup):
        assert client.get(url).status_code == 200, url
    listing = text_of(client.get("/gelombang/saya"))
    assert "Gelombang saya" in listing and setup["wave"].name in listing


def test_unassigned_trainer_gets_404_on_pages_and_actions(app, setup):
    client, actions = login_as(app, setup["stranger"])
    for url in _staff_gets(setup):
        assert client.get(url).status_code == 404, url
    for url, data in _staff_posts(setup):
        assert actions.post(url, data).status_code == 404, url
    assert setup["wave"].name not in text_of(client.get("/gelombang/saya"))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Announcement.id))) == 0
        assert db.session.scalar(db.select(db.func.count(ClassSession.id))) == 1


def test_trainee_gets_403_on_staff_pages(app, setup):
    client, actions = login_as(app, setup["trainee"])
    w, e = setup["wave"].id, setup["enrolment"]
    for url in _staff_gets(setup) + ["/admin/gelombang/baru", f"/admin/gelombang/{w}/ubah", f"/admin/gelombang/{w}/impor"]:
        assert client.get(url).status_code == 403, url
    for url, data in _staff_posts(setup) + [(f"/gelombang/{w}/peserta/{e}/setujui", {}), (f"/gelombang/{w}/peserta/{e}/keluarkan", {"reason": "x"})]:
        assert actions.post(url, data).status_code == 403, url


def test_admin_only_actions_refuse_trainers(app, setup):
    client, actions = login_as(app, setup["assigned"])
    w, e = setup["wave"].id, setup["enrolment"]
    for url in ("/admin/gelombang/baru", f"/admin/gelombang/{w}/ubah", f"/admin/gelombang/{w}/impor", f"/gelombang/{w}/peserta/{e}/keluarkan"):
        assert client.get(url).status_code == 403, url
    assert actions.post(f"/gelombang/{w}/peserta/{e}/setujui").status_code == 403
    assert actions.post(f"/gelombang/{w}/peserta/{e}/keluarkan", {"reason": "x"}).status_code == 403
    # Trainers do not apply to waves either.
    assert actions.post(f"/gelombang/{w}/daftar").status_code == 403


def test_someone_elses_wave_or_enrolment_is_404(app, setup, make_wave, make_user):
    other = make_wave()
    admin_client, admin = login_as(app, make_user(role="admin"))
    e = setup["enrolment"]
    assert admin_client.get(f"/gelombang/{other.id}/peserta/{e}/keluarkan").status_code == 404
    assert admin_client.get("/gelombang/999999").status_code == 404
    trainee_client, trainee = login_as(app, make_user())
    assert trainee_client.get(f"/gelombang/{setup['wave'].id}/mundur").status_code == 404  # not enrolled there
