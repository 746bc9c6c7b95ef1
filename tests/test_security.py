"""Security basics (SECURITY.md A, B, D, H, I): each test fails if its protection goes."""
from __future__ import annotations

import re
import statistics
import time

import pytest

from lms import create_app
from lms.auth.models import LoginEvent, UserSession
from lms.config import ConfigError
from lms.extensions import db

from .conftest import TEST_PASSWORD, csrf_token

REQUIRED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_security_headers(response):
    for name, value in REQUIRED_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"


def test_headers_on_ok_page(client):
    response = client.get("/masuk")
    assert response.status_code == 200
    assert_security_headers(response)


def test_headers_on_404(client):
    response = client.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    assert_security_headers(response)
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_headers_on_500_without_stack_trace(app, client):
    @app.get("/_boom")
    def boom():  # pragma: no cover - body only raises
        raise RuntimeError("secret internal detail")

    boom.is_public = True
    response = client.get("/_boom")
    assert response.status_code == 500
    assert_security_headers(response)
    body = response.get_data(as_text=True)
    assert "Terjadi kesalahan" in body
    assert "secret internal detail" not in body and "Traceback" not in body


def test_error_page_in_english_when_chosen(client):
    client.post("/bahasa", data={"csrf_token": csrf_token(client), "lang": "en"})
    response = client.get("/tidak-ada")
    assert "Page not found" in response.get_data(as_text=True)


def test_logged_in_pages_are_not_cached(auth, make_user, client):
    user = make_user()
    auth.login(user.login_name)
    assert client.get("/beranda").headers["Cache-Control"] == "no-store"


def test_static_files_are_cacheable(client):
    with client.get("/static/css/sinau.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")


# --- CSRF -------------------------------------------------------------------


def test_csrf_missing_token_rejected(client, make_user):
    user = make_user()
    response = client.post("/masuk", data={"login": user.login_name, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert_security_headers(response)


def test_csrf_forged_token_rejected(client, make_user):
    user = make_user()
    client.get("/masuk")
    response = client.post("/masuk", data={"csrf_token": "forged." + "A" * 40, "login": user.login_name, "password": TEST_PASSWORD})
    assert response.status_code == 400


def test_csrf_token_from_other_session_rejected(app, make_user):
    user = make_user()
    other = app.test_client()
    token = csrf_token(other, "/masuk")
    mine = app.test_client()
    mine.get("/masuk")
    response = mine.post("/masuk", data={"csrf_token": token, "login": user.login_name, "password": TEST_PASSWORD})
    assert response.status_code == 400


def test_logout_requires_csrf(auth, make_user, client):
    user = make_user()
    auth.login(user.login_name)
    assert client.post("/keluar").status_code == 400
    assert client.get("/beranda").status_code == 200


# --- sessions -----------------------------------------------------------------


def _session_cookie(client):
    cookie = client.get_cookie("sinau_session")
    assert cookie is not None
    return cookie.value


def test_cookie_replay_after_logout_refused(app, auth, make_user, client):
    user = make_user()
    auth.login(user.login_name)
    stolen = _session_cookie(client)
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("sinau_session", stolen)
    response = replay.get("/beranda")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


def test_password_change_kills_other_sessions(app, auth, make_user, client):
    user = make_user()
    other_device = app.test_client()
    AuthOther = type(auth)
    AuthOther(other_device).login(user.login_name)
    assert other_device.get("/beranda").status_code == 200
    auth.login(user.login_name)
    old_cookie = _session_cookie(client)
    auth.post("/akun/kata-sandi", {"current": TEST_PASSWORD, "new": "nasi pecel sukun pagi hari"})
    assert client.get("/beranda").status_code == 200  # this device continues with a new session
    assert other_device.get("/beranda").status_code == 302
    replay = app.test_client()
    replay.set_cookie("sinau_session", old_cookie)
    assert replay.get("/beranda").status_code == 302


def test_deactivation_kills_sessions(app, auth, make_user, client):
    admin = make_user(role="admin")
    trainee = make_user()
    trainee_client = app.test_client()
    type(auth)(trainee_client).login(trainee.login_name)
    auth.login(admin.login_name)
    auth.post(f"/admin/pengguna/{trainee.id}/status", {"active": "0"})
    assert trainee_client.get("/beranda").status_code == 302
    assert type(auth)(app.test_client()).login(trainee.login_name).status_code == 200  # cannot log in


def test_new_session_identifier_at_login(app, auth, make_user, client):
    user = make_user()
    client.get("/masuk")
    before = client.get_cookie("sinau_session")
    auth.login(user.login_name)
    after = _session_cookie(client)
    assert before is None or before.value != after
    with app.app_context():
        assert db.session.query(UserSession).count() == 1


def test_idle_timeout(app, auth, make_user, client):
    from datetime import timedelta

    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(seconds=0)
    user = make_user()
    auth.login(user.login_name)
    time.sleep(0.01)
    assert client.get("/beranda").status_code == 302


def test_absolute_timeout(app, auth, make_user, client):
    from datetime import timedelta

    user = make_user()
    auth.login(user.login_name)
    with app.app_context():
        for row in db.session.scalars(db.select(UserSession)):
            row.created_at -= timedelta(days=30)
        db.session.commit()
    assert client.get("/beranda").status_code == 302


def test_session_cookie_flags(auth, make_user, client):
    user = make_user()
    response = auth.login(user.login_name)
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


# --- lockout, enumeration, rate limits -----------------------------------------


def test_lockout_after_ten_failures(app, auth, make_user):
    user = make_user()
    for _ in range(10):
        assert auth.login(user.login_name, "kata sandi yang salah").status_code == 200
    # Right password, but the account is locked for 15 minutes.
    response = auth.login(user.login_name)
    assert response.status_code == 200
    assert "tidak cocok" in response.get_data(as_text=True)
    with app.app_context():
        outcomes = db.session.scalars(db.select(LoginEvent.outcome).order_by(LoginEvent.id)).all()
    assert outcomes[-1] == "locked"


def test_lockout_expires(app, auth, make_user):
    from datetime import timedelta

    user = make_user()
    for _ in range(10):
        auth.login(user.login_name, "kata sandi yang salah")
    with app.app_context():
        for event in db.session.scalars(db.select(LoginEvent)):
            event.at -= timedelta(minutes=16)
        db.session.commit()
    assert auth.login(user.login_name).status_code == 302


def _failure_html(auth, login):
    html = auth.login(login, "kata sandi yang salah").get_data(as_text=True)
    return re.sub(r'value="[^"]*"', "", html)  # CSRF token and echoed login differ


def test_no_account_enumeration_message(auth, make_user):
    user = make_user()
    assert _failure_html(auth, user.login_name) == _failure_html(auth, "081299999999")


def test_no_account_enumeration_timing(auth, make_user):
    user = make_user()
    auth.login("081299999998", "x" * 10)  # warm the dummy hash

    def timed(login):
        start = time.perf_counter()
        auth.login(login, "kata sandi yang salah")
        return time.perf_counter() - start

    known = statistics.median(timed(user.login_name) for _ in range(3))
    unknown = statistics.median(timed("081299999999") for _ in range(3))
    # Both spend a full scrypt verification; without the dummy hash the unknown
    # account answers in ~1 ms against ~50+ ms.
    assert unknown > known * 0.5
    assert unknown < known * 2


@pytest.fixture
def strict_limits(app_config):
    app_config["RATELIMIT_LOGIN"] = "3 per minute"
    app_config["RATELIMIT_REGISTER"] = "2 per minute"
    return app_config


def test_login_rate_limit_per_ip(strict_limits, app, client):
    codes = [client.post("/masuk", data={"csrf_token": csrf_token(client, "/masuk"), "login": "081200000001", "password": "salah salah"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    # Another address is not affected.
    other = client.post("/masuk", data={"csrf_token": csrf_token(client, "/masuk"), "login": "081200000001", "password": "x"},
                        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_rate_limit_page_is_translated_with_headers(strict_limits, app, client):
    for _ in range(4):
        response = client.post("/masuk", data={"csrf_token": csrf_token(client, "/masuk"), "login": "081200000001", "password": "salah salah"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]
    assert_security_headers(response)


def test_register_rate_limit(strict_limits, app, client):
    codes = [client.post("/daftar", data={"csrf_token": csrf_token(client, "/daftar")}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_rate_limit_storage_follows_redis_url(app):
    import os

    storage = app.config["RATELIMIT_STORAGE_URI"]
    if os.environ.get("REDIS_URL"):
        assert storage.startswith("redis://")
    else:
        assert storage == "memory://"


# --- passwords ---------------------------------------------------------------------


@pytest.mark.parametrize("password", ["123456", "password", "malang123", "Malang 2026!", "pelatihan", "diskominfo", "Arema-1987", "sinau123"])
def test_blocklisted_passwords_refused(password):
    from lms.auth.passwords import policy_errors

    assert policy_errors(password)


@pytest.mark.parametrize("password", ["kopi tubruk malang 2026", "Ṣāliḥah suka bakso bakar", "      spasi juga boleh     ", "x" * 200])
def test_long_passphrases_and_unicode_accepted(password):
    from lms.auth.passwords import policy_errors

    assert policy_errors(password) == []


def test_password_not_truncated(app):
    from lms.auth.passwords import hash_password, verify

    long = "a" * 100 + "b"
    assert not verify(hash_password(long), "a" * 100 + "c")


# --- configuration ------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "short", "dev-only-secret-key-change-me-in-production-0000"])
def test_production_refuses_weak_secret_key(monkeypatch, key, tmp_path):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError):
        create_app()


def test_production_starts_with_strong_key(monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_sqlite_pragmas(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_sqlite_write_transactions_begin_immediate(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        statements = []
        from sqlalchemy import event

        def capture(conn, cursor, statement, *args):
            statements.append(statement)

        # "begin" is emitted through exec_driver_sql, so it shows up here.
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            from lms.core.db import set_write_intent

            set_write_intent(True)
            db.session.execute(db.text("SELECT 1"))
            db.session.commit()
            set_write_intent(False)
            db.session.execute(db.text("SELECT 1"))
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
            set_write_intent(True)
        assert "BEGIN IMMEDIATE" in statements
        assert "BEGIN" in statements


def test_development_key_is_random_per_instance_and_kept(monkeypatch, tmp_path):
    """No key is written in the repository: development makes one in its instance folder."""
    monkeypatch.delenv("LMS_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "a"))
    first = create_app().config["SECRET_KEY"]
    assert len(first) == 64 and create_app().config["SECRET_KEY"] == first  # kept across restarts and workers
    assert oct((tmp_path / "a" / ".dev-secret-key").stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "b"))
    assert create_app().config["SECRET_KEY"] != first
