"""In Chromium at a phone viewport: hostile lessons run nothing, videos load
nothing from third parties until tapped."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import TEST_PASSWORD
from .test_rendering import write_hostile_course

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

# Injected by the browser driver (not subject to the page's CSP): records
# every blocked inline script or handler, so a pass proves the sanitiser
# stopped them, not only the Content-Security-Policy.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || ""));
});
"""


def log_in(page, base_url: str, login: str) -> None:
    page.goto(base_url + "/masuk")
    page.fill("#login", login)
    page.fill("#password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/beranda")


def test_hostile_module_shows_no_dialog_and_runs_no_script(page, live_server, make_user, courses_dir, do_import):
    write_hostile_course(courses_dir)
    do_import(courses_dir)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH_CSP)
    log_in(page, live_server.url, make_user().login_name)
    page.goto(live_server.url + "/kursus/kursus-berbahaya/modul-berbahaya")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Modul berbahaya"
    for selector in (".lesson-body h2", ".lesson-body td", ".lesson-body a", ".lesson-body img", ".lesson-body p"):
        for element in page.locator(selector).all()[:10]:
            if element.is_visible():
                element.hover()
    page.locator(".lesson-body p").first.click()
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__violations") == []
    assert page.evaluate("""document.querySelectorAll(
        '.lesson-body script, .lesson-body iframe, .lesson-body svg, .lesson-body object, .lesson-body embed,'
        + '.lesson-body form, .lesson-body style, .lesson-body [onclick], .lesson-body [onerror], .lesson-body [onload]'
    ).length""") == 0


def test_video_placeholder_loads_nothing_until_tapped(page, live_server, make_user, courses_dir, do_import):
    shutil.copytree(ROOT / "courses" / "contoh-kursus", courses_dir / "contoh-kursus")
    do_import(courses_dir)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(WATCH_CSP)
    log_in(page, live_server.url, make_user().login_name)

    page.goto(live_server.url + "/kursus/contoh-kursus/mengenal-sinau")
    page.wait_for_load_state("networkidle")
    button = page.locator("button[data-video-provider=youtube]")
    assert "Putar video" in button.inner_text() and button.is_visible()
    assert page.locator("iframe").count() == 0
    before_tap = list(requests)
    assert before_tap and all(url.startswith(live_server.url) for url in before_tap), before_tap
    assert any("/kursus/contoh-kursus/berkas/layar-sinau.png" in url for url in before_tap)

    with page.expect_request(lambda request: "youtube-nocookie.com" in request.url):
        button.click()
    frame = page.locator(".video-frame iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1"
    assert page.locator("button[data-video-provider=youtube]").count() == 0

    requests.clear()
    page.goto(live_server.url + "/kursus/contoh-kursus/belajar-hemat-kuota")
    page.wait_for_load_state("networkidle")
    assert all(url.startswith(live_server.url) for url in requests), requests
    page.locator("button[data-video-provider=tiktok]").click()
    assert page.locator(".video-frame iframe").get_attribute("src") == "https://www.tiktok.com/embed/v2/7301234567890123456"
    assert page.evaluate("window.__violations") == []


def test_mark_complete_in_the_browser(page, live_server, make_user, courses_dir, do_import):
    shutil.copytree(ROOT / "courses" / "contoh-kursus", courses_dir / "contoh-kursus")
    do_import(courses_dir)
    log_in(page, live_server.url, make_user().login_name)
    page.get_by_role("link", name="Mulai modul").click()
    page.wait_for_url("**/kursus/contoh-kursus/mengenal-sinau")
    page.get_by_role("button", name="Tandai selesai").click()
    page.wait_for_url("**/kursus/contoh-kursus/mengenal-sinau#sinau-selesai")
    assert page.get_by_text("Anda sudah menyelesaikan modul ini.").is_visible()
    page.goto(live_server.url + "/kursus")
    assert page.get_by_text("1 dari 3 modul selesai").is_visible()
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
