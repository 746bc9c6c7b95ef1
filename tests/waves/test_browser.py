"""A phone-sized Chromium: the projector page refreshes its count by itself."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lms.core.db import utcnow
from lms.extensions import db
from lms.waves import attendance
from lms.waves.models import ClassSession

from .conftest import login_as

pytestmark = pytest.mark.browser


def test_projector_updates_itself(app, page, live_server, make_wave, make_user, make_session, enrol, tmp_path):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    trainer = make_user(role="trainer", login="pelatih@contoh.id")
    wave = make_wave(trainers=[trainer])
    session_id = make_session(wave)
    trainee = make_user()
    enrol(wave, trainee)

    page.goto(live_server.url + "/masuk")
    page.get_by_label("Nomor HP atau email").fill(trainer.login_name)
    page.get_by_label("Kata sandi").fill("kopi tubruk di alun-alun tugu")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/gelombang/{wave.id}/sesi/{session_id}/layar")
    shown = page.locator("[data-code]").inner_text().replace(" ", "")
    assert re.fullmatch(r"\d{6}", shown)
    assert page.locator("[data-count]").inner_text() == "0"

    _client, actions = login_as(app, trainee)
    with app.app_context():
        code = attendance.current_code(db.session.get(ClassSession, session_id), utcnow())
    assert actions.post("/presensi", {"code": code}).status_code == 302
    expect(page.locator("[data-count]")).to_have_text("1", timeout=9000)  # polled, no reload
    page.screenshot(path=str(tmp_path / "projector.png"), full_page=True)
    assert errors == []
