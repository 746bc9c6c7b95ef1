"""Language selection: Indonesian first, English second.

The chosen language lives in the session (and on the user's row, so it
follows them to another phone); reading it never touches the database.
"""
from __future__ import annotations

from flask import current_app, session

SESSION_KEY = "lang"


def select_locale() -> str:
    lang = session.get(SESSION_KEY)
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_locale(lang: str) -> bool:
    if lang not in current_app.config["LANGUAGES"]:
        return False
    session[SESSION_KEY] = lang
    return True
