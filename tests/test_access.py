"""Who may reach what: the public list, the login gate and role checks."""
from __future__ import annotations

import re

import pytest

# Every endpoint anyone may open without logging in. Adding a public route
# means adding it here, on purpose.
PUBLIC_ENDPOINTS = {
    "static",
    "site.index",
    "site.healthz",
    "site.set_language",
    "site.privacy",
    "auth.login",
    "auth.register",
    "auth.second_step",  # /masuk/kode: the code after a right password; needs the signed pending marker, rate-limited
    "waves.index",  # the open waves with seats left, for anyone deciding to join
    "certificates.verify",  # /verify/<code>: anyone holding the link or QR checks a certificate (rate-limited, noindex)
    "certificates.lookup",  # /verify?serial=…: the serial printed on paper leads to the same page (rate-limited)
    "certificates.assertion",  # Open Badges 2.0 hosted assertion, fetched by backpacks and verifiers (rate-limited)
    "certificates.badge_class",  # Open Badges 2.0 BadgeClass of a wave: no personal data
    "certificates.issuer",  # Open Badges 2.0 issuer profile of Diskominfo Kota Malang
    "exercises.gallery",  # /galeri: approved videos whose makers consented; only the name they chose, no contact data
}


def _sample_url(rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{arg}>", "1" if "int:" in rule.rule else "x", url)
    return url


def test_every_route_is_public_by_list_or_login_protected(app):
    client = app.test_client()
    public_seen = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, "is_public", False) or rule.endpoint == "static":
            public_seen.add(rule.endpoint)
            assert rule.endpoint in PUBLIC_ENDPOINTS, f"{rule.endpoint} is public but not on the list"
            continue
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if method == "GET":
                assert response.status_code == 302, f"{method} {url} ({rule.endpoint}) answered {response.status_code}"
                assert "/masuk" in response.headers["Location"]
            else:
                # Anonymous POSTs are refused: by CSRF (400) before the login gate.
                assert response.status_code in (302, 400), f"{method} {url} answered {response.status_code}"
    assert public_seen == PUBLIC_ENDPOINTS


@pytest.mark.parametrize("role", ["trainee", "trainer"])
@pytest.mark.parametrize("url", ["/admin/pengguna", "/admin/pengguna/1", "/admin/opd/", "/admin/opd/baru", "/admin/audit"])
def test_admin_pages_refuse_other_roles(auth, make_user, client, role, url):
    user = make_user(role=role)
    auth.login(user.login_name)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_admin_actions_refuse_other_roles(app, auth, make_user, role):
    victim = make_user()
    user = make_user(role=role)
    auth.login(user.login_name)
    assert auth.post(f"/admin/pengguna/{victim.id}/peran", {"role": "admin"}).status_code == 403
    assert auth.post(f"/admin/pengguna/{victim.id}/status", {"active": "0"}).status_code == 403
    assert auth.post(f"/admin/pengguna/{victim.id}/atur-ulang-sandi").status_code == 403
    from lms.auth.models import User
    from lms.extensions import db

    with app.app_context():
        fresh = db.session.get(User, victim.id)
        assert fresh.role == "trainee" and fresh.active


def test_admin_sees_pages(auth, make_user, client):
    admin = make_user(role="admin")
    auth.login(admin.login_name)
    for url in ("/admin/pengguna", f"/admin/pengguna/{admin.id}", "/admin/opd/", "/admin/opd/baru", "/admin/audit"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/pengguna/999999").status_code == 404
