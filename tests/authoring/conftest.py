"""Authoring fixtures: a curriculum folder with one course whose first module
has a quiz, an exercise and an image; a trainer, a second trainer, a trainee."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from lms.extensions import db

from ..conftest import AuthActions, csrf_token
from ..courses.helpers import import_tree, module_text, tiny_png, write_course

COURSE = "kursus-tulis"
M1 = "modul-tulis"
M2 = "modul-kedua"

QUIZ = """
```quiz
pass_mark: 70
attempts: 0
questions:
  - id: pilar-aman
    type: single
    text: Pilar mana yang nilainya paling rendah?
    options:
      - text: Aman
        correct: true
        feedback: Benar.
      - text: Budaya
    explanation: Pilar Aman paling rendah.
  - id: ciri-hoaks
    type: multiple
    text: Mana saja ciri hoaks?
    options:
      - text: Meminta disebarkan
        correct: true
      - text: Ada tautan resmi
      - text: Judul memancing emosi
        correct: true
    explanation: Dua ciri.
  - id: foto-lama
    type: truefalse
    text: Foto lama bisa menyesatkan.
    answer: true
    explanation: Ya.
  - id: situs
    type: short
    text: Nama situs cek fakta?
    answers: [cekfakta.com, {text: cek fakta, weight: 50, feedback: Hampir.}]
    explanation: cekfakta.com
  - id: kecamatan
    type: numeric
    text: Jumlah kecamatan di Kota Malang?
    answer: 5
    explanation: Lima.
  - id: istilah
    type: matching
    text: Pasangkan.
    pairs:
      - left: takarir
        right: caption
      - left: unggah
        right: upload
    explanation: Padanan.
```
"""

EXERCISE = """
```exercise
slug: tugas-tulis
title: Video tips
submit: [link, text]
tracks: [umum]
pass_score: 2
instructions: |
  Buat video **pendek**.
rubric:
  - criterion: Pembuka
    levels:
      - {label: Belum ada, points: 0}
      - {label: Ada, sebagian salah, points: 1}
      - {label: Kuat, points: 2}
```
"""

BODY = """
![Diagram empat pilar](pilar.png)

Teks dengan salah ketik: literasi digial.

[[video https://www.youtube.com/watch?v=dQw4w9WgXcQ | Video contoh | 3:20]]

!!! tip "Tips"
    Saring sebelum sharing.
"""


@pytest.fixture
def courses_dir(tmp_path):
    path = tmp_path / "courses"
    path.mkdir()
    return path


@pytest.fixture
def app_config(base_config, courses_dir):
    return {**base_config, "LMS_COURSES_PATH": str(courses_dir)}


def write_curriculum(courses_dir):
    folder = write_course(courses_dir, COURSE, modules=[
        (M1, module_text(M1, title="Modul Tulis", order=1, body=BODY + QUIZ + EXERCISE)),
        (M2, module_text(M2, title="Modul Kedua", order=2)),
    ], title="Kursus Tulis")
    (folder / "pilar.png").write_bytes(tiny_png(4, 3))
    return folder


@pytest.fixture
def curriculum(app, courses_dir):
    """The curriculum imported as import-courses does (course introductions recorded)."""
    from lms.authoring import services
    from lms.core.db import utcnow

    write_curriculum(courses_dir)
    result = import_tree(app, courses_dir, validators=_validators(app))
    with app.app_context():
        services.record_file_import(result, utcnow())
        db.session.commit()
    return courses_dir


def _validators(app):
    from lms.courses import importer

    return importer.block_validators(app)


@dataclass
class People:
    trainer: object
    trainer2: object
    trainee: object
    admin: object


@pytest.fixture
def people(make_user):
    return People(
        trainer=make_user(role="trainer", name="Rina Pelatih"),
        trainer2=make_user(role="trainer", name="Bagus Pelatih"),
        trainee=make_user(role="trainee", name="Siti Peserta"),
        admin=make_user(role="admin", name="Admin Uji"),
    )


def login(app, user):
    client = app.test_client()
    auth = AuthActions(client)
    response = auth.login(user.login_name)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


_INPUT = re.compile(r'<input\b[^>]*>', re.S)
_TEXTAREA = re.compile(r'<textarea\b([^>]*)>(.*?)</textarea>', re.S)
_SELECT = re.compile(r'<select\b([^>]*)>(.*?)</select>', re.S)
_ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')


def _attrs(tag: str) -> dict:
    return {name: value for name, value in _ATTR.findall(tag)}


def form_data(html: str) -> dict:
    """The values a browser would submit from the editor form (no buttons, no files)."""
    import html as html_module

    start = html.index('id="editor-form"')
    end = html.index("</form>", start)
    part = html[start:end]
    data: dict[str, list[str]] = {}
    for tag in _INPUT.findall(part):
        attrs = _attrs(tag[6:])
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            continue
        data.setdefault(name, []).append(html_module.unescape(attrs.get("value", "y" if kind == "checkbox" else "")))
    for attrs_text, content in _TEXTAREA.findall(part):
        name = _attrs(attrs_text).get("name")
        if name:
            data.setdefault(name, []).append(html_module.unescape(content.removeprefix("\r\n").removeprefix("\n")))
    for attrs_text, content in _SELECT.findall(part):
        name = _attrs(attrs_text).get("name")
        options = re.findall(r'<option\b([^>]*)>', content)
        chosen = [o for o in options if "selected" in _attrs(o)] or options[:1]
        if name and chosen:
            data.setdefault(name, []).append(html_module.unescape(_attrs(chosen[0]).get("value", "")))
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def editor_form(client, slug: str = M1) -> dict:
    response = client.get(f"/tulis/modul/{slug}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return form_data(response.get_data(as_text=True))


def post_editor(client, slug: str, data: dict, action: str = "save", **kwargs):
    payload = dict(data)
    payload["action"] = action
    return client.post(f"/tulis/modul/{slug}", data=payload, **kwargs)


__all__ = ["COURSE", "M1", "M2", "csrf_token", "editor_form", "form_data", "login", "post_editor"]
