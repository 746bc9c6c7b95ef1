"""Only trainers and admins reach the editor; every change needs the CSRF token."""
from __future__ import annotations

import re

import pytest

from ..conftest import AuthActions, csrf_token
from .conftest import COURSE, M1, login


def _urls(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("authoring."):
            continue
        url = rule.rule.replace("<slug>", M1).replace("<course_slug>", COURSE).replace("<int:number>", "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, url))
    return found


def test_the_editor_has_the_expected_routes(app):
    urls = {url for _method, url in _urls(app)}
    assert {"/tulis", f"/tulis/modul/{M1}", "/tulis/pratinjau", f"/tulis/modul/{M1}/riwayat",
            f"/tulis/modul/{M1}/riwayat/beda", f"/tulis/modul/{M1}/riwayat/1/pulihkan",
            f"/tulis/kursus/{COURSE}/gambar", "/tulis/kursus/baru", f"/tulis/kursus/{COURSE}",
            f"/tulis/kursus/{COURSE}/modul-baru"} <= urls


def test_trainees_get_403_on_every_editor_url(app, curriculum, people):
    client = login(app, people.trainee)
    actions = AuthActions(client)
    for method, url in _urls(app):
        response = client.get(url) if method == "GET" else actions.post(url, {"title": "x", "body": "x"})
        assert response.status_code == 403, (method, url, response.status_code)


def test_anonymous_visitors_are_sent_to_the_login(app, curriculum):
    client = app.test_client()
    for method, url in _urls(app):
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
        else:
            assert client.post(url).status_code == 400, url  # no CSRF token
            token = csrf_token(client, "/masuk")
            response = client.post(url, data={"csrf_token": token})
            assert response.status_code == 302 and "/masuk" in response.headers["Location"], url


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_trainers_and_admins_use_the_editor_and_see_it_in_the_menu(app, curriculum, people, role):
    client = login(app, people.trainer if role == "trainer" else people.admin)
    home = client.get("/beranda").get_data(as_text=True)
    assert re.search(r'<a href="/tulis">Tulis materi</a>', home)
    for url in ("/tulis", f"/tulis/modul/{M1}", f"/tulis/modul/{M1}/riwayat", f"/tulis/kursus/{COURSE}",
                "/tulis/kursus/baru", f"/tulis/kursus/{COURSE}/modul-baru"):
        assert client.get(url).status_code == 200, url
    assert client.get("/tulis/modul/tidak-ada").status_code == 404
    assert client.get("/tulis/kursus/tidak-ada").status_code == 404


def test_trainees_do_not_see_the_menu_entry(app, curriculum, people):
    assert "/tulis" not in login(app, people.trainee).get("/beranda").get_data(as_text=True)


def test_changes_without_the_csrf_token_are_refused(app, curriculum, people):
    client = login(app, people.trainer)
    for url in (f"/tulis/modul/{M1}", f"/tulis/modul/{M1}/riwayat/1/pulihkan", f"/tulis/kursus/{COURSE}",
                "/tulis/kursus/baru", f"/tulis/kursus/{COURSE}/gambar"):
        assert client.post(url, data={"action": "save", "body": "x"}).status_code == 400, url
