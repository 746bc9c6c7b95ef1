"""In Chromium at a phone viewport: a trainer fixes a typo, watches the live
preview follow, publishes; a trainee in another browser context sees the fix."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import TEST_PASSWORD
from .conftest import COURSE, M1

pytestmark = pytest.mark.browser


def log_in(page, base_url: str, login: str) -> None:
    page.goto(base_url + "/masuk")
    page.fill("#login", login)
    page.fill("#password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/beranda")


def test_trainer_fixes_a_typo_and_the_trainee_sees_it(page, live_server, curriculum, people):
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server.url, people.trainer.login_name)
    page.goto(f"{live_server.url}/tulis/modul/{M1}")
    preview = page.locator("[data-preview]")
    assert "literasi digial" in preview.inner_text()
    assert page.locator("[data-md-toolbar]").is_visible()  # the toolbar appears with JavaScript
    assert page.locator("[data-preview-button]").is_hidden()

    body = page.locator("textarea[name=body]")
    text = body.input_value()
    body.fill(text.replace("literasi digial", "literasi digital"))
    expect(preview).not_to_contain_text("digial")
    expect(preview).to_contain_text("literasi digital.")

    # The toolbar inserts Markdown at the cursor; the preview renders it as a heading.
    body.evaluate("el => { el.focus(); el.setSelectionRange(0, 0); }")
    page.locator("[data-md=heading]").click()
    page.keyboard.type("Pembuka")
    expect(preview.locator("h2").first).to_have_text("Pembuka")
    assert body.input_value().startswith("## Pembuka\n\n")

    # The question form shows only the fields of its type.
    assert page.locator("#quiz-section").get_attribute("open") is not None  # the module has a quiz
    expect(page.locator("#quiz-questions-2 [data-kinds='truefalse']")).to_be_visible()
    expect(page.locator("#quiz-questions-2 [data-kinds='single multiple']")).to_be_hidden()
    page.select_option("#quiz-questions-2-kind", "single")
    expect(page.locator("#quiz-questions-2 [data-kinds='single multiple']")).to_be_visible()
    page.select_option("#quiz-questions-2-kind", "truefalse")

    page.locator("button[value=publish]").click()
    page.wait_for_url(f"**/tulis/modul/{M1}")
    assert "Versi 2 diterbitkan" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    trainee_context = page.context.browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        trainee_page = trainee_context.new_page()
        trainee_page.set_default_timeout(10_000)
        log_in(trainee_page, live_server.url, people.trainee.login_name)
        trainee_page.goto(f"{live_server.url}/kursus/{COURSE}/{M1}")
        lesson = trainee_page.locator(".lesson-body").inner_text()
        assert "literasi digital." in lesson and "digial" not in lesson and "Pembuka" in lesson
        assert trainee_page.goto(f"{live_server.url}/tulis/modul/{M1}").status == 403
    finally:
        trainee_context.close()
    assert problems == []
