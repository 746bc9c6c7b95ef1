"""A phone-sized Chromium walks through registration, login, language and logout."""
from __future__ import annotations

import pytest

from .conftest import TEST_PASSWORD

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


def test_trainer_turns_on_two_step_login_on_a_phone(page, live_server, make_user, app):
    """The QR code fits a phone and shows under the strict CSP; the key can be typed
    instead; the next login asks for the code."""
    from lms.auth import totp
    from lms.core.db import utcnow

    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    trainer = make_user(role="trainer", name="Pak Yusuf Pelatih")

    page.goto(live_server.url + "/masuk")
    page.get_by_label("Nomor HP atau email").fill(trainer.login_name)
    page.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Kata sandi").click()
    page.get_by_role("link", name="Verifikasi dua langkah (aplikasi autentikator) »").click()
    page.get_by_role("button", name="Aktifkan verifikasi dua langkah").click()

    qr = page.locator(".qr-box img")
    page.wait_for_function("() => { const img = document.querySelector('.qr-box img'); return img.complete && img.naturalWidth > 0; }")
    box = qr.bounding_box()
    assert box and 150 <= box["width"] <= 390, box
    assert page.evaluate("document.querySelector('.qr-box img').naturalWidth") > 0  # loaded under the CSP
    secret = page.locator(".secret-key code").inner_text().replace(" ", "")
    page.get_by_label("Kode dari aplikasi autentikator").fill(totp.code_at(secret, totp.step_at(utcnow()) - 1))
    page.get_by_role("button", name="Aktifkan").click()
    assert page.locator("h1").inner_text() == "Simpan kode cadangan Anda"
    assert page.locator(".recovery-codes li").count() == 8

    page.get_by_role("button", name="Keluar").click()
    page.get_by_label("Nomor HP atau email").fill(trainer.login_name)
    page.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    assert page.locator("h1").inner_text() == "Satu langkah lagi"
    page.get_by_label("Kode verifikasi").fill(totp.code_at(secret, totp.step_at(utcnow())))
    page.get_by_role("button", name="Masuk").click()
    assert "Pak Yusuf Pelatih" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
