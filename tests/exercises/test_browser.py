"""In Chromium at a phone viewport: the exercise page and the rubric review
fit the screen, run no inline script, and the rubric shows the running score."""
from __future__ import annotations

import os

import pytest

from lms.exercises.models import Submission
from lms.extensions import db

from ..conftest import TEST_PASSWORD
from .conftest import M1

pytestmark = pytest.mark.browser

WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || ""));
});
"""
SHOTS = os.environ.get("LMS_SCREENSHOTS")  # a folder, to look at the pages by eye


def _log_in(page, base_url: str, login: str) -> None:
    page.goto(base_url + "/masuk")
    page.fill("#login", login)
    page.fill("#password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/beranda")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_submit_then_review_on_a_phone(app, world, page, live_server):
    page.add_init_script(WATCH_CSP)
    _log_in(page, live_server.url, world.trainee.login_name)
    page.goto(f"{live_server.url}/tugas/{M1}")
    assert _fits(page)
    page.fill("#link", "https://youtu.be/dQw4w9WgXcQ")
    page.fill("#note", "Video pertama saya")
    page.locator("#kirim button[type=submit]").click()
    page.wait_for_url(f"**/tugas/{M1}")
    page.wait_for_load_state("networkidle")
    assert page.locator(".exercise-menunggu").first.is_visible()
    assert page.locator("button.video-play").count() == 1  # tap-to-load: no player yet
    assert page.locator("iframe").count() == 0
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/trainee.png", full_page=True)
    assert page.evaluate("window.__violations") == []

    with app.app_context():
        submission_id = db.session.scalar(db.select(Submission.id))
    page.context.clear_cookies()
    _log_in(page, live_server.url, world.trainer.login_name)
    page.goto(f"{live_server.url}/gelombang/{world.wave.id}/tugas/{submission_id}")
    assert _fits(page)
    options = page.locator(".rubric-criterion .level-option")
    assert options.count() == 6
    assert all(box["height"] >= 44 for box in (o.bounding_box() for o in options.all()))
    page.locator("label[for=c0-2]").click()
    page.locator("label[for=c1-1]").click()
    assert page.locator("[data-score]").inner_text() == "3"
    page.locator("label[for=decision-0]").click()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/review.png", full_page=True)
    page.locator(".review-card button[type=submit]").click()
    page.wait_for_url(f"**/gelombang/{world.wave.id}/tugas")
    page.wait_for_load_state("networkidle")  # let the favicon request finish before the server stops
    assert page.evaluate("window.__violations") == []
    with app.app_context():
        assert db.session.get(Submission, submission_id).status == "lulus"
