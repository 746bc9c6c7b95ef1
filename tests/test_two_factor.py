"""Two-step login for staff: an authenticator app (TOTP, RFC 6238) plus recovery codes."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from lms.audit.models import AuditEvent
from lms.auth import totp
from lms.auth.models import LoginEvent, TotpCredential, User
from lms.core.db import utcnow
from lms.extensions import db

from .conftest import TEST_PASSWORD, AuthActions


# --- the algorithm ------------------------------------------------------------


def test_rfc6238_reference_values():
    """RFC 6238 appendix B (SHA-1, ASCII key "12345678901234567890"), last 6 of the 8 digits."""
    secret = totp.base64.b32encode(b"12345678901234567890").decode()
    for when, expected in ((59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")):
        step = totp.step_at(datetime(1970, 1, 1) + timedelta(seconds=when))
        assert totp.code_at(secret, step) == expected


def test_codes_match_within_one_step_and_only_once():
    secret, now = totp.new_secret(), datetime(2026, 12, 4, 8, 0, 0)
    step = totp.step_at(now)
    assert totp.matching_step(secret, totp.code_at(secret, step), now, 0) == step
    assert totp.matching_step(secret, totp.code_at(secret, step - 1), now, 0) == step - 1  # typed as it changed
    assert totp.matching_step(secret, totp.code_at(secret, step + 2), now, 0) is None  # too far ahead
    assert totp.matching_step(secret, totp.code_at(secret, step), now, step) is None  # already used
    spaced = totp.code_at(secret, step)[:3] + " " + totp.code_at(secret, step)[3:]
    assert totp.matching_step(secret, spaced, now, 0) == step
    assert totp.matching_step(secret, "12345", now, 0) is None and totp.matching_step(secret, "abcdef", now, 0) is None


def test_provisioning_uri_and_recovery_codes():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "pelatih@sinau.demo", "Sinau Kota Malang")
    assert uri.startswith("otpauth://totp/Sinau%20Kota%20Malang:pelatih@sinau.demo?")
    assert "secret=JBSWY3DPEHPK3PXP" in uri and "issuer=Sinau+Kota+Malang" in uri and "digits=6" in uri
    codes = totp.new_recovery_codes()
    assert len(codes) == 8 == len(set(codes))
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    assert totp.recovery_hash(codes[0].upper().replace("-", " ")) == totp.recovery_hash(codes[0])


# --- setting it up --------------------------------------------------------------


def _secret(app, user) -> str:
    with app.app_context():
        return db.session.get(TotpCredential, user.id).secret


def _current_code(secret: str, offset: int = 0) -> str:
    return totp.code_at(secret, totp.step_at(utcnow()) + offset)


def enable(app, client, auth) -> tuple[str, list[str]]:
    """Through the pages: start, read the key, confirm with a code. Returns (secret, recovery codes)."""
    assert auth.post("/akun/keamanan/aktifkan").status_code == 302
    page = client.get("/akun/keamanan/atur").get_data(as_text=True)
    secret = _secret(app, client.user)
    assert totp.grouped(secret) in page and 'src="/akun/keamanan/atur/qr.svg"' in page
    qr = client.get("/akun/keamanan/atur/qr.svg")
    assert qr.mimetype == "image/svg+xml" and qr.data.startswith(b"<svg") and qr.headers["Cache-Control"] == "no-store"
    done = auth.post("/akun/keamanan/atur", {"code": _current_code(secret, -1)}).get_data(as_text=True)
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done)
    assert len(codes) == 8, done
    return secret, codes


@pytest.fixture
def trainer_client(app, make_user, client, auth):
    user = make_user(role="trainer", name="Bu Ratna Pelatih")
    auth.login(user.login_name)
    client.user = user
    return client


def test_trainer_sets_up_the_app_and_gets_recovery_codes(app, trainer_client, auth):
    page = trainer_client.get("/akun/keamanan").get_data(as_text=True)
    assert "Aktifkan verifikasi dua langkah" in page
    assert "/akun/keamanan" in trainer_client.get("/akun/kata-sandi").get_data(as_text=True)
    secret, codes = enable(app, trainer_client, auth)
    with app.app_context():
        credential = db.session.get(TotpCredential, trainer_client.user.id)
        assert credential.confirmed_at is not None
        assert credential.recovery_hashes == [totp.recovery_hash(c) for c in codes]  # only hashes are kept
        assert not any(code in str(credential.recovery_hashes) for code in codes)
        assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.action == "two_factor.enabled"))
    assert "Aktif" in trainer_client.get("/akun/keamanan").get_data(as_text=True)
    # The codes were shown once: the status page does not show them again.
    assert codes[0] not in trainer_client.get("/akun/keamanan").get_data(as_text=True)


def test_wrong_first_code_keeps_the_setup_and_says_why(app, trainer_client, auth):
    auth.post("/akun/keamanan/aktifkan")
    secret = _secret(app, trainer_client.user)
    wrong = "000000" if _current_code(secret) != "000000" else "111111"
    response = auth.post("/akun/keamanan/atur", {"code": wrong})
    html = response.get_data(as_text=True)
    assert "Kode tidak cocok" in html and "error-summary" in html and totp.grouped(secret) in html
    with app.app_context():
        assert db.session.get(TotpCredential, trainer_client.user.id).confirmed_at is None


def test_trainees_do_not_get_the_pages(app, auth, client, make_user):
    auth.login(make_user().login_name)
    assert client.get("/akun/keamanan").status_code == 404
    assert auth.post("/akun/keamanan/aktifkan").status_code == 404
    assert client.get("/akun/keamanan/atur").status_code == 404
    assert client.get("/akun/keamanan/atur/qr.svg").status_code == 404
    assert "/akun/keamanan" not in client.get("/akun/kata-sandi").get_data(as_text=True)


def test_setup_needs_csrf(trainer_client):
    assert trainer_client.post("/akun/keamanan/aktifkan").status_code == 400


# --- logging in with it --------------------------------------------------------------


def _login(app, user, password=None):
    fresh = app.test_client()
    actions = AuthActions(fresh)
    response = actions.login(user.login_name, **({"password": password} if password else {}))
    return fresh, actions, response


def test_login_needs_the_code_after_the_password(app, trainer_client, auth):
    secret, _codes = enable(app, trainer_client, auth)
    user = trainer_client.user
    phone, actions, response = _login(app, user)
    assert response.status_code == 302 and response.headers["Location"].endswith("/masuk/kode")
    assert phone.get("/beranda").status_code == 302  # not logged in yet
    with app.app_context():
        assert db.session.scalar(db.select(LoginEvent.outcome).order_by(LoginEvent.id.desc())) == "password"
    page = phone.get("/masuk/kode").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page
    # The code enable() used was step-1; the current one is new.
    code = _current_code(secret)
    response = actions.post("/masuk/kode", {"code": code})
    assert response.status_code == 302 and response.headers["Location"].endswith("/beranda")
    assert "Bu Ratna Pelatih" in phone.get("/beranda").get_data(as_text=True)
    # The same code does not open a second session elsewhere (no replay).
    other, other_actions, _ = _login(app, user)
    html = other_actions.post("/masuk/kode", {"code": code}).get_data(as_text=True)
    assert "Kode tidak cocok" in html
    assert other.get("/beranda").status_code == 302


def test_wrong_codes_count_towards_the_lockout(app, trainer_client, auth):
    secret, _codes = enable(app, trainer_client, auth)
    user = trainer_client.user
    phone, actions, _ = _login(app, user)
    right = _current_code(secret)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        actions.post("/masuk/kode", {"code": wrong})
    html = actions.post("/masuk/kode", {"code": right}).get_data(as_text=True)
    assert "Kode tidak cocok" in html  # locked: even the right code is refused now
    assert phone.get("/beranda").status_code == 302
    with app.app_context():
        outcomes = db.session.scalars(db.select(LoginEvent.outcome).where(LoginEvent.user_id == user.id)).all()
    assert outcomes.count("failure") == app.config["LOCKOUT_THRESHOLD"] and outcomes[-1] == "locked"


def test_a_recovery_code_works_once(app, trainer_client, auth):
    _secret_value, codes = enable(app, trainer_client, auth)
    user = trainer_client.user
    phone, actions, _ = _login(app, user)
    response = actions.post("/masuk/kode", {"code": codes[3].upper()}, follow_redirects=True)
    assert "Sisa kode cadangan: 7" in response.get_data(as_text=True)
    assert phone.get("/beranda").status_code == 200
    again, again_actions, _ = _login(app, user)
    assert "Kode tidak cocok" in again_actions.post("/masuk/kode", {"code": codes[3]}).get_data(as_text=True)


def test_the_code_page_without_a_password_step_sends_back_to_login(app, client, trainer_client, auth):
    enable(app, trainer_client, auth)
    stranger = app.test_client()
    response = stranger.get("/masuk/kode")
    assert response.status_code == 302 and response.headers["Location"].endswith("/masuk")


def test_the_pending_step_expires(app, trainer_client, auth, monkeypatch):
    secret, _codes = enable(app, trainer_client, auth)
    phone, actions, _ = _login(app, trainer_client.user)
    from lms.auth import routes

    monkeypatch.setattr(routes, "PENDING_SECONDS", -1)
    response = actions.post("/masuk/kode", {"code": _current_code(secret)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/masuk")
    assert phone.get("/beranda").status_code == 302


def test_wrong_password_never_reaches_the_code_step(app, trainer_client, auth):
    enable(app, trainer_client, auth)
    _phone, _actions, response = _login(app, trainer_client.user, password="bukan kata sandinya sama sekali")
    assert response.status_code == 200 and "tidak cocok" in response.get_data(as_text=True)


def test_login_without_the_app_is_unchanged(app, make_user):
    user = make_user(role="trainer")
    _phone, _actions, response = _login(app, user)
    assert response.headers["Location"].endswith("/beranda")


# --- switching it off ----------------------------------------------------------------


def test_turning_it_off_needs_the_password(app, trainer_client, auth):
    enable(app, trainer_client, auth)
    response = auth.post("/akun/keamanan/matikan", {"password": "salah sekali kata sandinya"})
    assert response.status_code == 400 and "Kata sandi saat ini salah" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(TotpCredential, trainer_client.user.id) is not None
    assert auth.post("/akun/keamanan/matikan", {"password": TEST_PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.get(TotpCredential, trainer_client.user.id) is None
    _phone, _actions, response = _login(app, trainer_client.user)
    assert response.headers["Location"].endswith("/beranda")


def test_admin_switches_it_off_for_a_lost_phone(app, trainer_client, auth, make_user):
    enable(app, trainer_client, auth)
    admin = make_user(role="admin")
    admin_client, admin_actions, _ = _login(app, admin)
    page = admin_client.get(f"/admin/pengguna/{trainer_client.user.id}").get_data(as_text=True)
    assert "Matikan verifikasi dua langkah" in page
    assert admin_actions.post(f"/admin/pengguna/{trainer_client.user.id}/dua-langkah/matikan").status_code == 302
    with app.app_context():
        assert db.session.get(TotpCredential, trainer_client.user.id) is None
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "two_factor.disabled"))
        assert event.actor_id == admin.id and event.target_id == trainer_client.user.id


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_only_admins_switch_it_off_for_others(app, trainer_client, auth, make_user, role):
    enable(app, trainer_client, auth)
    _other, other_actions, _ = _login(app, make_user(role=role))
    assert other_actions.post(f"/admin/pengguna/{trainer_client.user.id}/dua-langkah/matikan").status_code == 403
    with app.app_context():
        assert db.session.get(TotpCredential, trainer_client.user.id).confirmed_at is not None


def test_services_refuse_a_second_setup(app, make_user):
    from lms.auth import services, two_factor

    user = make_user(role="admin")
    with app.test_request_context():  # the refusal's message is translated
        person = db.session.get(User, user.id)
        credential = two_factor.start_two_factor(person, utcnow())
        two_factor.confirm_two_factor(person, totp.code_at(credential.secret, totp.step_at(utcnow())), utcnow())
        with pytest.raises(services.AccountError):
            two_factor.start_two_factor(person, utcnow())


def test_someone_demoted_to_trainee_can_still_switch_it_off(app, trainer_client, auth, make_user):
    enable(app, trainer_client, auth)
    with app.app_context():
        db.session.get(User, trainer_client.user.id).role = "trainee"
        db.session.commit()
    phone, actions, _ = _login(app, trainer_client.user)
    with app.app_context():
        secret = db.session.get(TotpCredential, trainer_client.user.id).secret
    actions.post("/masuk/kode", {"code": _current_code(secret)})
    assert "Matikan verifikasi dua langkah" in phone.get("/akun/keamanan").get_data(as_text=True)
    assert actions.post("/akun/keamanan/matikan", {"password": TEST_PASSWORD}).status_code == 302
    assert phone.get("/akun/keamanan").status_code == 404  # a trainee without one: nothing to set up
