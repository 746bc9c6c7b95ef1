"""Acceptance: the demo's OPD head makes the OPD video, the trainer asks for a
revision, then approves it, and the OPD report shows Dispendukcapil as done."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lms.core.db import utcnow
from lms.extensions import db

from ..conftest import AuthActions

ROOT = Path(__file__).resolve().parents[2]
MODULE = "konten-layanan-publik"


@pytest.fixture
def app_config(base_config):
    return {**base_config, "LMS_COURSES_PATH": str(ROOT / "courses")}


@pytest.fixture
def demo(app):
    from lms.courses import importer
    from lms.demo import DEMO_PASSWORD, create_demo_data

    with app.app_context():
        result = importer.import_courses(ROOT / "courses", utcnow(), validators=importer.block_validators(app))
        assert result.ok, [str(p) for p in result.problems]
        db.session.commit()
        create_demo_data(utcnow())
        db.session.commit()
    return DEMO_PASSWORD


def _login(app, login, password):
    client = app.test_client()
    actions = AuthActions(client)
    assert actions.login(login, password).status_code == 302, login
    return client, actions


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_opd_head_video_revised_then_approved_makes_the_agency_done(app, demo):
    head, head_actions = _login(app, "081234500003", demo)
    trainer, trainer_actions = _login(app, "pelatih@sinau.demo", demo)
    admin, _ = _login(app, "admin@sinau.demo", demo)

    # The head opens the exercise from the lesson and sends a TikTok link.
    page = head.get(f"/tugas/{MODULE}").get_data(as_text=True)
    assert "Video 45–60 detik Kepala OPD" in page and 'name="link"' in page and 'name="image"' not in page
    response = head_actions.post(f"/tugas/{MODULE}", {
        "link": "https://www.tiktok.com/@dispendukcapil.malang/video/7301234567890123456?is_from_webapp=1",
        "note": "Video layanan KTP-el, privasi masih tertutup.",
    })
    assert response.status_code == 302

    # The trainer finds it in G02's queue and asks for a revision using the rubric.
    queues = _text(trainer.get("/gelombang/tugas"))
    wave_id = int(re.search(r'href="/gelombang/(\d+)/tugas">\s*<strong>G02', trainer.get("/gelombang/tugas").get_data(as_text=True)).group(1))
    assert "1 kiriman menunggu penilaian" in queues
    queue = trainer.get(f"/gelombang/{wave_id}/tugas").get_data(as_text=True)
    assert "Dr. Hendra Kusuma" in queue and "Dispendukcapil" in queue
    first = int(re.search(rf'/gelombang/{wave_id}/tugas/(\d+)', queue).group(1))
    review = trainer.get(f"/gelombang/{wave_id}/tugas/{first}").get_data(as_text=True)
    assert 'data-video-provider="tiktok"' in review and 'data-video-id="7301234567890123456"' in review
    assert review.count('type="radio"') == 3 + 4 + 3 + 2 + 3 + 2  # five criteria's levels + two decisions
    response = trainer_actions.post(f"/gelombang/{wave_id}/tugas/{first}", {
        "c0": "2", "c1": "1", "c2": "1", "c3": "1", "c4": "2", "decision": "perlu-revisi",
        "feedback": "Alurnya belum lengkap: tambahkan cara akses layanan dan perbaiki takarir.",
    })
    assert response.status_code == 302

    # The head reads the feedback and sends the revised video.
    page = _text(head.get(f"/tugas/{MODULE}"))
    assert "Perlu revisi" in page and "tambahkan cara akses layanan" in page and "Skor 9 dari 12" in page
    assert "Perlu revisi" in _text(head.get("/beranda"))
    response = head_actions.post(f"/tugas/{MODULE}", {"link": "https://vm.tiktok.com/ZMhvqRevisi2/"})
    assert response.status_code == 302

    # The trainer approves it.
    queue = trainer.get(f"/gelombang/{wave_id}/tugas").get_data(as_text=True)
    second = int(re.search(rf'/gelombang/{wave_id}/tugas/(\d+)', queue).group(1))
    assert second != first
    response = trainer_actions.post(f"/gelombang/{wave_id}/tugas/{second}", {
        "c0": "2", "c1": "3", "c2": "2", "c3": "1", "c4": "2", "decision": "lulus", "feedback": "Bagus sekali.",
    })
    assert response.status_code == 302
    page = _text(head.get(f"/tugas/{MODULE}"))
    assert "Selamat! Tugas Anda lulus." in page and "Skor 12 dari 12" in page

    # The OPD report shows Dispendukcapil as done, with the approved video.
    report = admin.get("/laporan/opd").get_data(as_text=True)
    section = re.search(r'<section class="card opd-agency([^"]*)">\s*<h2>Dispendukcapil(.*?)</section>', report, re.S)
    assert section and "is-done" in section.group(1)
    assert "Selesai" in section.group(2) and "https://vm.tiktok.com/ZMhvqRevisi2/" in section.group(2)
    assert "Dr. Hendra Kusuma" in section.group(2)
