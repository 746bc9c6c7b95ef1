"""The sample course's quiz on a phone: fail, try again, pass (Chromium, 390×844)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import TEST_PASSWORD
from ..courses.helpers import import_tree

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "courses" / "contoh-kursus"


def tap(page, question: int, text: str) -> None:
    """Tap an answer row by its words, as a thumb would (the whole row is the target)."""
    page.locator(f"#soal-{question} .quiz-choice label").get_by_text(text, exact=True).click()


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_sample_quiz_fail_retry_pass(app, page, live_server, make_user):
    from lms.courses import importer

    import_tree(app, SAMPLE, validators=importer.block_validators(app))
    user = make_user(name="Siti Aminah", login="081234500001")
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(live_server.url + "/masuk")
    page.fill("#login", user.login_name)
    page.fill("#password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/beranda")

    page.goto(live_server.url + "/kursus/contoh-kursus/mengenal-sinau")
    page.get_by_role("link", name="Kerjakan kuis").click()
    page.wait_for_url("**/kuis/mengenal-sinau")
    fits_the_phone(page)
    page.get_by_role("button", name="Mulai kuis").click()
    page.wait_for_url("**/kuis/percobaan/*")
    assert page.locator("[data-quiz-clock]").is_visible()  # the countdown runs (time limit 15 minutes)
    fits_the_phone(page)

    # First try: mostly wrong.
    tap(page, 1, "Kata sandi")
    tap(page, 4, "Benar")
    page.fill("#soal-5 input", "Beranda")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/hasil")
    assert page.locator("h1").inner_text() == "Belum lulus"
    fits_the_phone(page)
    retry = page.get_by_role("button", name="Coba lagi")
    assert retry.is_visible()
    # show_answers: immediately — the review is there.
    assert page.locator(".quiz-review-item").count() == 8

    # Second try: every answer right.
    retry.click()
    page.wait_for_url("**/kuis/percobaan/*")
    tap(page, 1, "Lanjutkan belajar")
    tap(page, 2, "Belum mulai")
    tap(page, 2, "Sedang dipelajari")
    tap(page, 3, "Video baru dimuat setelah tombol ditekan")
    tap(page, 3, "Gambar kecil dan disimpan di HP")
    tap(page, 4, "Salah")
    page.fill("#soal-5 input", "kursus")
    page.fill("#soal-6 input", "3")
    page.fill("#soal-7 input", "10")
    page.get_by_label("Beranda", exact=True).select_option(label="Kartu Lanjutkan belajar")
    page.locator("#soal-8 select").nth(1).select_option(label="Daftar semua kursus")
    page.locator("#soal-8 select").nth(2).select_option(label="Mengganti kata sandi")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/hasil")
    assert page.locator("h1").inner_text() == "Lulus"
    assert "100%" in page.locator(".quiz-score").inner_text()
    fits_the_phone(page)
    assert problems == []
