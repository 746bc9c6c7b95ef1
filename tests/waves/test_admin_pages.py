"""The admin's wave form, the learning path and the demo data."""
from __future__ import annotations

import re
from datetime import datetime

from lms.audit.models import AuditEvent
from lms.core.db import utcnow
from lms.auth.models import User
from lms.extensions import db
from lms.waves import attendance, services
from lms.waves.models import Announcement, ClassSession, Enrolment, LearningPathItem, Wave

from .conftest import login_as, text_of

FORM = {
    "name": "Gelombang 3 — Tahap 1",
    "programme": "Pelatihan Influencer Kota Malang 2026",
    "stage": "1",
    "code": "g03",
    "track": "lansia",
    "starts_on": "2026-03-02",
    "ends_on": "2026-03-06",
    "venue": "Ruang Sidang Balai Kota",
    "capacity": "40",
    "registration_opens_at": "2026-02-01T08:00",
    "registration_closes_at": "2026-02-27T17:00",
    "hours": "32",
    "attendance_min_percent": "80",
    "quizzes_required": "y",
    "path_text": "literasi-digital-dasar/kenali-hoaks\nkreator-tiktok/ide-konten",
}


def test_admin_creates_and_edits_a_wave(app, make_user):
    admin = make_user(role="admin")
    trainer = make_user(role="trainer", name="Rina")
    make_user(role="trainee", name="Bukan Pelatih")
    client, actions = login_as(app, admin)
    page = text_of(client.get("/admin/gelombang/baru"))
    assert "Rina" in page and "Bukan Pelatih" not in page
    assert 'value="50"' in page and 'value="75"' in page  # defaults
    response = actions.post("/admin/gelombang/baru", {**FORM, "trainer_ids": [str(trainer.id)]})
    assert response.status_code == 302
    with app.app_context():
        wave = db.session.scalar(db.select(Wave))
        assert wave.code == "G03" and wave.track == "lansia" and wave.capacity == 40
        # Typed in WIB (UTC+7), stored as naive UTC.
        assert wave.registration_opens_at == datetime(2026, 2, 1, 1, 0)
        assert wave.registration_closes_at == datetime(2026, 2, 27, 10, 0)
        assert wave.quizzes_required and not wave.exercises_required
        assert [t.id for t in wave.trainers] == [trainer.id]
        path = [(p.course_slug, p.module_slug, p.position) for p in services.learning_path(wave)]
        assert path == [("literasi-digital-dasar", "kenali-hoaks", 1), ("kreator-tiktok", "ide-konten", 2)]
        assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.target_type == "wave")) == "wave.created"
        wave_id = wave.id
    edit_page = client.get(f"/admin/gelombang/{wave_id}/ubah").get_data(as_text=True)
    assert 'value="2026-02-01T08:00"' in edit_page  # shown back in local time
    assert "literasi-digital-dasar/kenali-hoaks" in edit_page
    trainer_client, _ = login_as(app, trainer)
    assert trainer_client.get(f"/gelombang/{wave_id}").status_code == 200


def test_wave_form_errors_are_indonesian(app, make_user, make_wave):
    make_wave(code="G01")
    _client, actions = login_as(app, make_user(role="admin"))
    bad = {**FORM, "code": "g01", "ends_on": "2026-03-01", "capacity": "banyak", "track": "vip", "starts_on": "kemarin"}
    html = text_of(actions.post("/admin/gelombang/baru", bad))
    assert "Ada yang perlu diperbaiki" in html
    assert "Tulis angka saja" in html and "Pilih salah satu dari daftar" in html and "Tulis tanggal seperti" in html
    assert "Not a valid" not in html and "This field is required" not in html
    dup = text_of(actions.post("/admin/gelombang/baru", {**FORM, "code": "g01"}))
    assert "Kode G01 sudah dipakai gelombang lain." in dup
    closes = text_of(actions.post("/admin/gelombang/baru", {**FORM, "registration_closes_at": "2026-01-01T08:00"}))
    assert "Pendaftaran harus ditutup setelah dibuka." in closes
    path = text_of(actions.post("/admin/gelombang/baru", {**FORM, "path_text": "tanpa-garis-miring"}))
    assert "Tulis tiap modul sebagai kursus/modul" in path
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Wave.id))) == 1


def test_learning_path_checkboxes_when_courses_exist(app, make_user, make_wave, monkeypatch):
    catalogue = [
        services.ModuleChoice("literasi-digital-dasar", "kenali-hoaks", "Literasi Digital Dasar — Kenali hoaks"),
        services.ModuleChoice("literasi-digital-dasar", "jejak-digital", "Literasi Digital Dasar — Jejak digital"),
        services.ModuleChoice("kreator-tiktok", "ide-konten", "Kreator TikTok — Ide konten"),
    ]
    monkeypatch.setattr(services, "available_modules", lambda: catalogue)
    ref = make_wave()
    with app.app_context():
        services.set_learning_path(services.get_wave(ref.id), [("kreator-tiktok", "ide-konten")])
        db.session.commit()
    client, actions = login_as(app, make_user(role="admin"))
    page = client.get(f"/admin/gelombang/{ref.id}/ubah").get_data(as_text=True)
    assert "Literasi Digital Dasar — Jejak digital" in page and 'name="path_text"' not in page
    assert re.search(r'checked[^>]*value="kreator-tiktok/ide-konten"|value="kreator-tiktok/ide-konten"[^>]*checked', page)
    form = {**FORM, "code": ref.code, "path_modules": ["literasi-digital-dasar/kenali-hoaks", "kreator-tiktok/ide-konten"]}
    assert actions.post(f"/admin/gelombang/{ref.id}/ubah", form).status_code == 302
    with app.app_context():
        path = [(p.module_slug, p.position) for p in services.learning_path(services.get_wave(ref.id))]
    assert path == [("kenali-hoaks", 1), ("ide-konten", 2)]
    bad = actions.post(f"/admin/gelombang/{ref.id}/ubah", {**form, "path_modules": ["tidak/ada"]})
    assert "Pilih salah satu dari daftar" in text_of(bad)


def test_set_learning_path_replaces_in_order(app, make_wave):
    ref = make_wave()
    with app.app_context():
        wave = services.get_wave(ref.id)
        services.set_learning_path(wave, [("a", "m1"), ("a", "m2")])
        services.set_learning_path(wave, [("b", "m3"), ("a", "m1"), ("b", "m3")])
        db.session.commit()
        rows = db.session.scalars(db.select(LearningPathItem).order_by(LearningPathItem.position)).all()
        assert [(r.course_slug, r.module_slug, r.position) for r in rows] == [("b", "m3", 1), ("a", "m1", 2)]
        assert isinstance(services.available_modules(), list)


def test_demo_has_running_waves_and_is_idempotent(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["lms", "demo"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        g01 = services.find_wave_by_code("G01")
        g02 = services.find_wave_by_code("G02")
        assert g01.name == "Gelombang 1 — Tahap 1" and g01.track == "umum" and g02.track == "opd"
        assert [t.email for t in g01.trainers] == ["pelatih@sinau.demo"]
        assert len(services.enrolled_users(g01)) == 3
        head = db.session.scalar(db.select(User).where(User.is_opd_head))
        assert [u.id for u in services.enrolled_users(g02)] == [head.id]
        sessions = attendance.sessions_of(g01)
        assert len(sessions) == 1
        assert services.local_today(sessions[0].starts_at) == services.local_today(utcnow())
        assert db.session.scalar(db.select(db.func.count(Announcement.id))) == 1
        # G01: three trainees, G02: the OPD head, G00 (a completed wave with certificates): one.
        assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 5
        assert db.session.scalar(db.select(db.func.count(ClassSession.id))) == 1
    trainer_client = app.test_client()
    from lms.demo import DEMO_PASSWORD

    from ..conftest import AuthActions

    AuthActions(trainer_client).login("pelatih@sinau.demo", DEMO_PASSWORD)
    assert "Gelombang 1 — Tahap 1" in text_of(trainer_client.get("/gelombang/saya"))
