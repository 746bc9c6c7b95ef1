"""Seats, the waitlist and automatic promotion; the public registration list."""
from __future__ import annotations

from lms.audit.models import AuditEvent
from lms.core.db import utcnow
from lms.extensions import db
from lms.waves.models import Enrolment

from ..conftest import csrf_token
from .conftest import login_as, text_of


def _statuses(app, wave_id):
    with app.app_context():
        rows = db.session.scalars(db.select(Enrolment).where(Enrolment.wave_id == wave_id).order_by(Enrolment.id))
        return {e.user_id: e.status for e in rows}


def test_public_list_shows_seats_left_to_anonymous_visitors(app, client, make_wave, make_user, enrol):
    wave = make_wave(capacity=5, name="Gelombang Terbuka")
    make_wave(name="Gelombang Tertutup", open_registration=False)
    enrol(wave, make_user())
    enrol(wave, make_user())
    response = client.get("/gelombang")
    assert response.status_code == 200
    html = text_of(response)
    assert "Gelombang Terbuka" in html and "Gelombang Tertutup" not in html
    assert "Sisa 3 kursi dari 5" in html
    assert "Masuk untuk mendaftar" in html
    assert 'action="/gelombang/' not in html  # no apply form for anonymous visitors


def test_anonymous_must_log_in_to_apply(app, client, make_wave):
    wave = make_wave()
    response = client.post(f"/gelombang/{wave.id}/daftar", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert _statuses(app, wave.id) == {}


def test_waitlist_and_promotion_on_withdraw_and_removal(app, make_wave, make_user, auth):
    wave = make_wave(capacity=2)
    people = [make_user(name=f"Calon {i}") for i in range(4)]
    clients = [login_as(app, p) for p in people]
    for _client, actions in clients:
        assert actions.post(f"/gelombang/{wave.id}/daftar").status_code == 302
    statuses = _statuses(app, wave.id)
    assert [statuses[p.id] for p in people] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    fourth_page = text_of(clients[3][0].get("/gelombang/saya"))
    assert "Anda di daftar tunggu nomor 2" in fourth_page

    # The first withdraws (confirmation page first); the third moves up.
    first_client, first = clients[0]
    assert "Ya, saya mundur" in text_of(first_client.get(f"/gelombang/{wave.id}/mundur"))
    assert first.post(f"/gelombang/{wave.id}/mundur").status_code == 302
    statuses = _statuses(app, wave.id)
    assert statuses[people[0].id] == "withdrawn" and statuses[people[2].id] == "enrolled"
    assert "Anda di daftar tunggu nomor 1" in text_of(clients[3][0].get("/gelombang/saya"))

    third_client, third = clients[2]
    home = text_of(third_client.get("/beranda"))
    assert f"Selamat, Anda mendapat kursi di {wave.name}" in home
    with app.app_context():
        notice_id = db.session.scalar(db.select(Enrolment.id).where(Enrolment.user_id == people[2].id))
    third.post(f"/gelombang/kursi/{notice_id}/tutup")
    assert "Selamat, Anda mendapat kursi" not in text_of(third_client.get("/beranda"))
    # Someone else's notice cannot be dismissed.
    assert clients[3][1].post(f"/gelombang/kursi/{notice_id}/tutup").status_code == 404

    # An admin removes the second (soft, with a reason); the fourth moves up.
    admin = make_user(role="admin")
    auth.login(admin.login_name)
    with app.app_context():
        second_id = db.session.scalar(db.select(Enrolment.id).where(Enrolment.user_id == people[1].id))
    page = text_of(auth.client.get(f"/gelombang/{wave.id}/peserta/{second_id}/keluarkan"))
    assert "Alasan" in page
    refused = auth.post(f"/gelombang/{wave.id}/peserta/{second_id}/keluarkan", {"reason": ""})
    assert "Tulis alasannya." in text_of(refused)
    auth.post(f"/gelombang/{wave.id}/peserta/{second_id}/keluarkan", {"reason": "Tidak pernah hadir"})
    statuses = _statuses(app, wave.id)
    assert statuses[people[1].id] == "removed" and statuses[people[3].id] == "enrolled"
    with app.app_context():
        removed = db.session.get(Enrolment, second_id)
        assert removed.reason == "Tidak pernah hadir" and removed.left_at is not None
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "wave.enrolment.removed"))
        assert event.actor_id == admin.id and event.detail["reason"] == "Tidak pernah hadir"
    # A removed person cannot simply apply again.
    clients[1][1].post(f"/gelombang/{wave.id}/daftar")
    assert _statuses(app, wave.id)[people[1].id] == "removed"


def test_double_tap_apply_is_idempotent(app, make_wave, make_user):
    wave = make_wave(capacity=1)
    first, other = make_user(), make_user()
    client, actions = login_as(app, first)
    for _ in range(3):
        assert actions.post(f"/gelombang/{wave.id}/daftar").status_code == 302
    _client2, actions2 = login_as(app, other)
    actions2.post(f"/gelombang/{wave.id}/daftar")
    actions2.post(f"/gelombang/{wave.id}/daftar")
    with app.app_context():
        rows = db.session.scalars(db.select(Enrolment).where(Enrolment.wave_id == wave.id)).all()
        assert sorted((r.user_id, r.status) for r in rows) == sorted([(first.id, "enrolled"), (other.id, "waitlisted")])
    assert "Anda sudah terdaftar di gelombang ini" in text_of(client.get("/gelombang"))


def test_opd_wave_refuses_a_trainee_without_an_agency(app, make_wave, make_user):
    from lms.agencies import services as agencies

    with app.app_context():
        agencies.seed()
        db.session.commit()
        agency_id = agencies.find_by_name("Diskominfo").id
    wave = make_wave(track="opd")
    citizen = make_user(name="Warga Biasa")
    civil_servant = make_user(name="Bu ASN", agency_id=agency_id)
    client, actions = login_as(app, citizen)
    response = actions.post(f"/gelombang/{wave.id}/daftar", follow_redirects=True)
    assert "khusus ASN perangkat daerah (OPD)" in text_of(response)
    _c, asn = login_as(app, civil_servant)
    asn.post(f"/gelombang/{wave.id}/daftar")
    assert _statuses(app, wave.id) == {civil_servant.id: "enrolled"}


def test_closed_registration_is_refused(app, make_wave, make_user):
    wave = make_wave(open_registration=False)
    _client, actions = login_as(app, make_user())
    response = actions.post(f"/gelombang/{wave.id}/daftar", follow_redirects=True)
    assert "Pendaftaran gelombang ini sedang tidak dibuka" in text_of(response)
    assert _statuses(app, wave.id) == {}


def test_admin_approves_from_the_waitlist_and_moves_people(app, auth, make_wave, make_user, enrol):
    full = make_wave(capacity=1, name="Gelombang Penuh")
    other = make_wave(capacity=1, name="Gelombang Lain")
    seated, waiting, third = make_user(), make_user(name="Bu Menunggu"), make_user()
    enrol(full, seated)
    enrol(full, waiting)
    enrol(other, third)
    admin = make_user(role="admin")
    auth.login(admin.login_name)
    with app.app_context():
        waiting_id = db.session.scalar(db.select(Enrolment.id).where(Enrolment.user_id == waiting.id))
        seated_id = db.session.scalar(db.select(Enrolment.id).where(Enrolment.user_id == seated.id))
    detail = text_of(auth.client.get(f"/gelombang/{full.id}"))
    assert "Daftar tunggu (1)" in detail and "1. Bu Menunggu" in detail
    auth.post(f"/gelombang/{full.id}/peserta/{waiting_id}/setujui")
    assert _statuses(app, full.id)[waiting.id] == "enrolled"  # above capacity, on purpose
    # Move the first to the other wave, which is full: they wait there.
    auth.post(f"/gelombang/{full.id}/peserta/{seated_id}/pindah", {"target": str(other.id)})
    assert _statuses(app, full.id)[seated.id] == "removed"
    seated_client, _ = login_as(app, seated)
    mine = text_of(seated_client.get("/gelombang/saya"))
    assert "Dipindah ke Gelombang Lain" in mine and "Anda di daftar tunggu nomor 1" in mine
    assert _statuses(app, other.id) == {third.id: "enrolled", seated.id: "waitlisted"}
    with app.app_context():
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"wave.enrolment.approved", "wave.enrolment.moved"} <= actions


def test_raising_capacity_promotes_the_waitlist(app, make_wave, make_user, enrol):
    from lms.waves import services

    wave = make_wave(capacity=1)
    a, b, c = make_user(), make_user(), make_user()
    for person in (a, b, c):
        enrol(wave, person)
    with app.app_context():
        current = services.get_wave(wave.id)
        data = services.WaveData(
            name=current.name, programme=current.programme, code=current.code, track=current.track,
            starts_on=current.starts_on, ends_on=current.ends_on, capacity=2,
        )
        services.save_wave(current, data, None, utcnow())
        db.session.commit()
    assert _statuses(app, wave.id) == {a.id: "enrolled", b.id: "enrolled", c.id: "waitlisted"}
