"""Error pages in the user's language, and 503 when the database is down."""
from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Permintaan tidak valid"), _l("Ada yang salah dengan permintaan ini. Muat ulang halaman lalu coba lagi.")),
    403: (_l("Akses ditolak"), _l("Anda tidak punya izin untuk membuka halaman ini.")),
    404: (_l("Halaman tidak ditemukan"), _l("Halaman yang Anda cari tidak ada atau sudah dipindahkan.")),
    405: (_l("Cara akses tidak diizinkan"), _l("Halaman ini tidak bisa dibuka dengan cara tersebut.")),
    413: (_l("Berkas terlalu besar"), _l("Berkas yang Anda kirim melebihi batas ukuran. Perkecil lalu coba lagi.")),
    429: (_l("Terlalu banyak percobaan"), _l("Mohon tunggu sebentar, lalu coba lagi.")),
    500: (_l("Terjadi kesalahan"), _l("Maaf, terjadi kesalahan di server. Tim kami sudah dicatat; coba lagi nanti.")),
    503: (_l("Layanan sedang tidak tersedia"), _l("Sinau sedang sibuk atau dalam perbaikan. Coba lagi beberapa menit lagi.")),
}


def render_error(code: int):
    title, message = MESSAGES.get(code, MESSAGES[500])
    try:
        body = render_template("errors/error.html", code=code, title=title, message=message)
    except Exception:  # noqa: BLE001 - last resort: never fail while failing
        log.exception("error page could not be rendered")
        body = f"<!doctype html><title>{code}</title><h1>{code}</h1>"
    return body, code


def _db_unavailable(error):
    log.error("database unavailable: %s", error.__class__.__name__)
    from lms.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001
        pass
    body, code = render_error(503)
    return body, code, {"Retry-After": "30"}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 503:
            body, code = render_error(503)
            return body, code, {"Retry-After": "30"}
        body, code = render_error(error.code or 500)
        headers = {}
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        if error.code == 429:
            headers["Retry-After"] = "60"
        return body, code, headers

    @app.errorhandler(OperationalError)
    def _operational(error):
        return _db_unavailable(error)

    @app.errorhandler(DBAPIError)
    def _dbapi(error):
        if getattr(error, "connection_invalidated", False):
            return _db_unavailable(error)
        log.exception("database error")
        return render_error(500)

    @app.errorhandler(Exception)
    def _unhandled(error):
        if isinstance(error, HTTPException):
            return _http(error)
        log.exception("unhandled error")
        return render_error(500)

