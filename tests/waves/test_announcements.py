"""Announcements reach the trainees of their own wave only."""
from __future__ import annotations

from lms.core.db import utcnow
from lms.extensions import db

from .conftest import login_as, text_of


def test_announcements_only_for_that_waves_trainees(app, make_wave, make_user, enrol):
    trainer = make_user(role="trainer")
    wave = make_wave(trainers=[trainer], capacity=1)
    other = make_wave()
    member, waiting, outsider = make_user(name="Anggota"), make_user(name="Menunggu"), make_user(name="Orang Luar")
    enrol(wave, member)
    enrol(wave, waiting)  # full: waitlisted
    enrol(other, outsider)
    _tc, trainer_actions = login_as(app, trainer)
    body = "Besok kumpul jam 08.00 di Balai Kota.\nBawa <b>HP</b> & charger."
    response = trainer_actions.post(f"/gelombang/{wave.id}/pengumuman", {"title": "Jadwal besok", "body": body}, follow_redirects=True)
    assert "Pengumuman terkirim" in text_of(response)

    member_client, _ = login_as(app, member)
    mine = member_client.get("/gelombang/saya").get_data(as_text=True)
    assert "Jadwal besok" in mine
    assert "Balai Kota.\nBawa &lt;b&gt;HP&lt;/b&gt; &amp; charger." in mine  # escaped, line break kept
    assert "<b>HP</b>" not in mine
    assert "Jadwal besok" in text_of(member_client.get("/beranda"))
    assert "Gelombang Anda" in text_of(member_client.get("/beranda"))

    for person in (waiting, outsider):
        client, _ = login_as(app, person)
        assert "Jadwal besok" not in text_of(client.get("/gelombang/saya"))
        assert "Jadwal besok" not in text_of(client.get("/beranda"))

    from lms.auth.models import User
    from lms.waves import announcements

    with app.app_context():
        titles = [a.title for a in announcements.announcements_for(db.session.get(User, member.id), utcnow())]
        assert titles == ["Jadwal besok"]
        assert announcements.announcements_for(db.session.get(User, outsider.id), utcnow()) == []


def test_empty_announcement_is_refused(app, make_wave, make_user):
    trainer = make_user(role="trainer")
    wave = make_wave(trainers=[trainer])
    _c, actions = login_as(app, trainer)
    response = actions.post(f"/gelombang/{wave.id}/pengumuman", {"title": "", "body": ""}, follow_redirects=True)
    assert "Isi judul pengumuman." in text_of(response)
