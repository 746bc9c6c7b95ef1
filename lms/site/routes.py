from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.auth.services import set_locale
from lms.completion import services as completion
from lms.core import db as dbmod
from lms.core.access import public
from lms.core.forms import EmptyForm
from lms.core.i18n import remember_locale
from lms.core.urls import safe_next
from lms.courses import services as courses
from lms.exercises import overview as exercise_overview
from lms.extensions import db
from lms.waves import overview as wave_overview

bp = Blueprint("site", __name__)


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    return redirect(url_for("auth.login"))


@bp.get("/beranda")
def home():
    return render_template(
        "site/home.html",
        show_admin=current_user.is_admin,
        show_staff=current_user.is_staff,
        next_module=courses.next_module_for(current_user),
        waves=wave_overview.home_summary(current_user, dbmod.utcnow()),
        wave_progress=completion.home_progress(current_user, dbmod.utcnow()),
        exercise_home=exercise_overview.home_summary(current_user),
    )


@bp.get("/healthz")
@public
def healthz():
    ok = dbmod.ping()
    return jsonify(status="ok" if ok else "unavailable", database="ok" if ok else "unreachable"), (200 if ok else 503)


@bp.post("/bahasa")
@public
def set_language():
    form = EmptyForm()
    lang = request.form.get("lang", "")
    if form.validate_on_submit() and remember_locale(lang) and current_user.is_authenticated:
        set_locale(current_user, lang)
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("site.index"))


@bp.get("/privasi")
@public
def privacy():
    return render_template("site/privacy.html", version=current_app.config["PRIVACY_NOTICE_VERSION"])


# Menu entries: (endpoint, label, who sees it). Endpoints that are not
# registered (a package not installed yet) are skipped.
NAV_ITEMS = (
    ("courses.catalogue", _l("Kursus"), "all"),
    ("waves.mine", _l("Gelombang"), "all"),
    ("certificates.mine", _l("Sertifikat saya"), "all"),
    ("exercises.queues", _l("Tugas"), "staff"),
    ("authoring.index", _l("Tulis materi"), "staff"),
    ("exercises.opd_report", _l("Laporan OPD"), "admin"),
    ("admin.users", _l("Pengguna"), "admin"),
    ("agencies.index", _l("OPD"), "admin"),
    ("admin.audit_log", _l("Log audit"), "admin"),
)


def _nav() -> dict:
    try:
        signed_in = current_user.is_authenticated
        role = current_user.role if signed_in else None
    except Exception:  # noqa: BLE001 - the database may be down on an error page
        return {"signed_in": False, "staff": False, "links": []}
    links = []
    for endpoint, label, who in NAV_ITEMS:
        if endpoint not in current_app.view_functions:
            continue
        if who == "all" or who == role or (who == "staff" and role in ("admin", "trainer")):
            links.append({"url": url_for(endpoint), "label": label})
    return {"signed_in": signed_in, "staff": role in ("admin", "trainer"), "links": links}


@bp.app_context_processor
def _layout():
    return {
        "lang_form": EmptyForm(formdata=None),  # never reads the request: the 413 page renders too
        "languages": (("id", "Bahasa Indonesia"), ("en", "English")),
        "current_lang": str(get_locale() or "id"),
        "nav": _nav(),
    }
