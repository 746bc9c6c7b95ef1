"""The last seats, fought over by real concurrent requests against a threaded server.

Each thread is one phone: its own cookie jar, its own login, its own CSRF
token. All wait at a barrier, then apply at the same moment.
"""
from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from lms.extensions import db
from lms.waves.models import Enrolment

from ..conftest import TEST_PASSWORD

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def app_config(base_config):
    # Twenty logins from one IP in a few seconds: lift the per-IP login limit.
    return {**base_config, "RATELIMIT_LOGIN": "1000 per minute"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Phone:
    """One browser: a cookie jar and no automatic redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str) -> str:
        status, html = self.request(path)
        assert status == 200, (path, status)
        return _CSRF.search(html).group(1)

    def login(self, login: str) -> None:
        status, _ = self.request("/masuk", {"csrf_token": self.token("/masuk"), "login": login, "password": TEST_PASSWORD})
        assert status == 302, f"login {login}: {status}"


def _race(live_server, wave_id: int, logins: list[str]) -> tuple[list, float]:
    phones = [Phone(live_server.url) for _ in logins]
    tokens = []
    for phone, login in zip(phones, logins):
        phone.login(login)
        tokens.append(phone.token("/gelombang"))
    barrier = threading.Barrier(len(phones))
    results: list = [None] * len(phones)

    def tap(i: int) -> None:
        barrier.wait()
        try:
            results[i] = phones[i].request(f"/gelombang/{wave_id}/daftar", {"csrf_token": tokens[i]})[0]
        except Exception as error:  # noqa: BLE001 - counted and reported below
            results[i] = repr(error)

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(len(phones))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, time.perf_counter() - started


@pytest.mark.slow
def test_twenty_people_five_seats(app, live_server, make_wave, make_user):
    wave = make_wave(capacity=5)
    people = [make_user(name=f"Pelamar {i:02d}") for i in range(20)]
    results, seconds = _race(live_server, wave.id, [p.login_name for p in people])
    with app.app_context():
        statuses = list(db.session.scalars(db.select(Enrolment.status).where(Enrolment.wave_id == wave.id)))
        dialect = db.engine.dialect.name
    enrolled, waitlisted = statuses.count("enrolled"), statuses.count("waitlisted")
    errors = [r for r in results if r != 302]
    print(
        f"\nrace [{dialect}]: {len(results)} requests in {seconds:.2f} s → "
        f"{enrolled} enrolled, {waitlisted} waitlisted, {len(errors)} errors {errors or ''}"
    )
    assert errors == []
    assert (enrolled, waitlisted, len(statuses)) == (5, 15, 20)


@pytest.mark.slow
def test_one_person_tapping_five_times_at_once(app, live_server, make_wave, make_user):
    wave = make_wave(capacity=5)
    person = make_user()
    results, _seconds = _race(live_server, wave.id, [person.login_name] * 5)
    assert results == [302] * 5
    with app.app_context():
        rows = db.session.scalars(db.select(Enrolment).where(Enrolment.wave_id == wave.id)).all()
    assert [(r.user_id, r.status) for r in rows] == [(person.id, "enrolled")]
