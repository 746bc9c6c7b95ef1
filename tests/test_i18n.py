"""Every string a person reads has an English translation; Indonesian is the default."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from .conftest import csrf_token

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    method_map = [("lms/**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS, options_map={"templates/**.html": {}}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_an_english_translation():
    with open(ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh, locale="en")
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]: (all(m.string) if isinstance(m.string, tuple) else m.string)
        for m in catalog
        if m.id
    }
    missing = sorted(m for m in _source_messages() if not translated.get(m))
    assert missing == [], "untranslated (run make translations-update): " + "; ".join(missing[:20])


def test_default_language_is_indonesian(client):
    html = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Masuk ke Sinau" in html


def test_language_switch_is_remembered_per_user(app, auth, make_user, client):
    user = make_user(name="Pak Budi")
    auth.login(user.login_name)
    client.post("/bahasa", data={"csrf_token": csrf_token(client), "lang": "en"})
    assert "Hello, Pak Budi" in client.get("/beranda").get_data(as_text=True)
    auth.logout()
    fresh = app.test_client()
    assert '<html lang="id">' in fresh.get("/masuk").get_data(as_text=True)
    type(auth)(fresh).login(user.login_name)
    assert "Hello, Pak Budi" in fresh.get("/beranda").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.post("/bahasa", data={"csrf_token": csrf_token(client), "lang": "xx"})
    assert '<html lang="id">' in client.get("/masuk").get_data(as_text=True)


def test_wtforms_messages_are_ours(client):
    client.post("/bahasa", data={"csrf_token": csrf_token(client), "lang": "id"})
    html = client.post("/daftar", data={"csrf_token": csrf_token(client, "/daftar"), "kecamatan": "atlantis"}).get_data(as_text=True)
    assert "Pilih salah satu dari daftar" in html or "Pilih kecamatan Anda" in html
    assert "Not a valid choice" not in html and "This field is required" not in html
