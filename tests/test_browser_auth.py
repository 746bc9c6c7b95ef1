"""A phone-sized Chromium walks through registration, login, language and logout."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_register_login_switch_language_logout(page, live_server):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Masuk ke Sinau"
    page.get_by_role("link", name="Daftar di sini").click()

    # A mistake first: the error summary appears and nothing typed is lost.
    page.get_by_label("Nama lengkap").fill("Ṣāliḥah Rahmawati")
    page.get_by_label("Nomor HP (WhatsApp)").fill("0812 9988 7766")
    page.get_by_label("Kata sandi").fill("rujak cingur sore hari")
    page.get_by_label("Kecamatan tempat tinggal").select_option("sukun")
    page.get_by_label("Tahun lahir").fill("1961")
    page.get_by_role("button", name="Daftar").click()
    assert page.locator(".error-summary").is_visible()
    assert "menyetujui pemberitahuan privasi" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Nama lengkap").input_value() == "Ṣāliḥah Rahmawati"

    page.get_by_label("Kata sandi").fill("rujak cingur sore hari")
    page.get_by_label("Saya sudah membaca dan menyetujui").check()
    page.get_by_role("button", name="Daftar").click()
    assert "Halo, Ṣāliḥah Rahmawati" in page.locator("h1").inner_text()

    page.get_by_role("button", name="Keluar").click()
    assert page.locator("h1").inner_text() == "Masuk ke Sinau"

    page.get_by_label("Nomor HP atau email").fill("+62 812-9988-7766")
    page.get_by_label("Kata sandi").fill("rujak cingur sore hari")
    page.get_by_role("button", name="Masuk").click()
    assert "Halo, Ṣāliḥah Rahmawati" in page.locator("h1").inner_text()

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Hello, Ṣāliḥah Rahmawati" in page.locator("h1").inner_text()
    # The choice is remembered for the account: it survives logging out and in.
    page.get_by_role("button", name="Log out").click()
    assert page.locator("h1").inner_text() == "Sign in to Sinau"

    # Nothing on the page overflows a 390 px wide phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert errors == []
