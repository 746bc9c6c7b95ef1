"""The public lookups are rate-limited per IP (shared storage: Redis when REDIS_URL is set)."""
from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_VERIFY": "3 per minute"}


def test_verify_is_rate_limited_per_ip(app, setting, graduate, issue):
    _cid, code, _serial = issue(setting.wave, graduate())
    client = app.test_client()
    statuses = [client.get(f"/verify/{code}").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get(f"/verify/{code}")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"]
    # Serial lookups and assertions draw on the same budget: guessing serials is no way round it.
    assert client.get("/verify", query_string={"serial": "SINAU/2026/G03/0002"}).status_code == 429
    assert client.get(f"/badges/assertions/{code}.json").status_code == 429
    # Another address has its own budget.
    other = app.test_client()
    assert other.get(f"/verify/{code}", environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 200
