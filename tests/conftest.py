"""Shared fixtures, flaskr style: `app`, `client`, `auth`, plus builders.

The suite runs on SQLite by default. With TEST_DATABASE_URL pointing at a
PostgreSQL server it creates a database with a unique name there, runs the
migrations into it and drops it at the end. With REDIS_URL set, rate limits
are counted in Redis (under a key prefix unique to this run).
"""
from __future__ import annotations

import os
import re
import threading
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from lms import create_app
from lms.extensions import db, limiter

TEST_PASSWORD = "kopi tubruk di alun-alun tugu"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url)
    name = f"sinau_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def base_config(database_url, tmp_path_factory):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "LMS_UPLOAD_PATH": str(tmp_path_factory.mktemp("uploads")),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_KEY_PREFIX": "sinau-test-" + uuid.uuid4().hex[:8],
        "LMS_BASE_URL": "http://sinau.test",
    }


@pytest.fixture(scope="session")
def _schema(base_config):
    from flask_migrate import upgrade

    app = create_app(dict(base_config))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return True


@pytest.fixture
def app_config(base_config):
    """Per-test configuration; tests may change it before using `app`."""
    return dict(base_config)


@pytest.fixture
def app(_schema, app_config):
    app = create_app(app_config)
    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        _empty_tables()
        limiter.reset()
        db.engine.dispose()


def _empty_tables():
    db.session.remove()
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, url: str = "/privasi") -> str:
    """A CSRF token valid for this client's session (read from a page's form)."""
    response = client.get(url)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@dataclass
class AuthActions:
    client: object

    def login(self, login: str, password: str = TEST_PASSWORD, follow_redirects: bool = False):
        token = csrf_token(self.client, "/masuk")
        return self.client.post(
            "/masuk", data={"csrf_token": token, "login": login, "password": password}, follow_redirects=follow_redirects
        )

    def logout(self):
        return self.client.post("/keluar", data={"csrf_token": csrf_token(self.client)})

    def post(self, url: str, data: dict | None = None, **kwargs):
        """POST with a valid CSRF token, like a browser submitting a form."""
        payload = {"csrf_token": csrf_token(self.client), **(data or {})}
        return self.client.post(url, data=payload, **kwargs)


@pytest.fixture
def auth(client):
    return AuthActions(client)


_HASH_CACHE: dict[str, str] = {}


def password_hash(password: str = TEST_PASSWORD) -> str:
    if password not in _HASH_CACHE:
        from lms.auth.passwords import hash_password

        _HASH_CACHE[password] = hash_password(password)
    return _HASH_CACHE[password]


@pytest.fixture
def make_user(app):
    """Builder: make_user(role="trainer", name=..., login=...) → User (committed)."""
    from lms.auth import services
    from lms.core.db import utcnow

    counter = iter(range(10_000_000))

    def build(role: str = "trainee", name: str | None = None, login: str | None = None, password: str = TEST_PASSWORD, **extra):
        n = next(counter)
        login = login or f"0812{n:08d}"
        kind, value = services.normalise_login(login)
        with app.app_context():
            user = services.create_user(
                services.NewAccount(
                    name=name or f"Peserta Uji {n}", password=password, role=role,
                    phone=value if kind == "phone" else None, email=value if kind == "email" else None,
                    kecamatan=extra.pop("kecamatan", "klojen"), birth_year=extra.pop("birth_year", 1980),
                    consent_version="test", **extra,
                ),
                password_hash(password),
                utcnow(),
            )
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        user.login_name = login
        return user

    return build


# --- a real server for browser and concurrency tests ----------------------


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server):
    """A Chromium page at a phone viewport (390×844), driven by Playwright."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (LMS_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("Chromium not installed; .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()
