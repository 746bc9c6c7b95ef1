"""Wires login sessions into Flask-Login and guards every request.

- The cookie carries a random session token; the user loader refuses tokens
  that were revoked (logout, password change, deactivation) or are too old.
- The idle timeout uses a signed timestamp in the session cookie.
- Every endpoint needs a login unless its view is marked `@public`.
"""
from __future__ import annotations

import time

from flask import Flask, current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from lms.auth import services
from lms.core.db import end_read_phase, set_write_intent, utcnow

SEEN_KEY = "seen"
ALWAYS_ALLOWED = {"static", "auth.change_password", "auth.logout", "site.set_language", "site.healthz"}


def init_app(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk terlebih dahulu.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(token: str):
        seen = session.get(SEEN_KEY, 0)
        idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
        if time.time() - seen > idle:
            return None
        return services.load_session_user(token, utcnow(), current_app.config["SESSION_ABSOLUTE_TIMEOUT"])

    @app.before_request
    def _gate():
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        endpoint = request.endpoint
        if endpoint is None or endpoint == "static":
            set_write_intent(writes)
            return None
        view = app.view_functions.get(endpoint)
        if getattr(view, "is_public", False):
            set_write_intent(writes)
            return None
        # Load the user in a read transaction, so a POST's write transaction
        # (BEGIN IMMEDIATE on SQLite) starts only when the view needs it.
        set_write_intent(False)
        authenticated = current_user.is_authenticated
        if writes:
            end_read_phase()
            set_write_intent(True)
        if not authenticated:
            return login_manager.unauthorized()
        now = time.time()
        if now - session.get(SEEN_KEY, 0) > 60:
            session[SEEN_KEY] = now
        if current_user.must_change_password and endpoint not in ALWAYS_ALLOWED:
            return redirect(url_for("auth.change_password"))
        return None


def mark_seen() -> None:
    session[SEEN_KEY] = time.time()
