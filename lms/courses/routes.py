from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import format_date, format_decimal, gettext as _, lazy_gettext as _l
from flask_login import current_user

from lms.courses import importer, rendering, services
from lms.courses.format import IMAGE_NAME_RE, SLUG_RE
from lms.core.db import begin_read, begin_write, utcnow
from lms.core.events import learner_progressed
from lms.core.forms import EmptyForm
from lms.extensions import db

bp = Blueprint("courses", __name__, url_prefix="/kursus")

ONE_YEAR = 365 * 24 * 3600
IMAGE_MIMETYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}

STATUS_LABELS = {
    services.NOT_STARTED: _l("Belum mulai"),
    "started": _l("Sedang dipelajari"),
    "completed": _l("Selesai"),
}

# The video placeholder's texts live in the stored lesson HTML in Indonesian;
# these are their translations (keys must equal rendering.PLACEHOLDER_TEXTS).
PLACEHOLDER_TRANSLATIONS = {
    rendering.PLAY_LABEL: _l("Putar video"),
    rendering.NOTE_LABEL: _l("Video baru dimuat setelah Anda menekan tombol (memakai kuota data)."),
    rendering.OPEN_LABELS["youtube"]: _l("Tonton di YouTube"),
    rendering.OPEN_LABELS["tiktok"]: _l("Tonton di TikTok"),
}


def _translate_placeholder(text: str) -> str:
    return str(PLACEHOLDER_TRANSLATIONS.get(text, text))


def _format_day(text: str | None) -> str | None:
    """ "2026-11-28" → "28 November 2026"; "2023-02" → "Februari 2023" (reader's language)."""
    if not text:
        return None
    try:
        if len(text) == 7:
            year, month = map(int, text.split("-"))
            return format_date(date(year, month, 1), "MMMM y")
        return format_date(date.fromisoformat(text), "long")
    except ValueError:
        return text


@bp.get("")
def catalogue():
    courses, history = services.catalogue(current_user)
    hours = {c.slug: format_decimal(c.estimated_hours, format="#,##0.#") for c in courses}
    return render_template("courses/catalogue.html", courses=courses, history=history, hours=hours)


@bp.get("/<course_slug>")
def course(course_slug: str):
    page = services.course_page(current_user, course_slug)
    if page is None:
        abort(404)
    return render_template(
        "courses/course.html", page=page, status_labels=STATUS_LABELS,
        intro_html=rendering.localise_placeholders(page.intro_html, _translate_placeholder),
        intro_has_video="data-video-provider" in page.intro_html,
    )


@bp.get("/<course_slug>/<module_slug>")
def lesson(course_slug: str, module_slug: str):
    user = current_user._get_current_object()
    found = services.lesson_for(user, course_slug, module_slug)
    if found is None or (found.retired and found.status == services.NOT_STARTED):
        abort(404)
    position = None if found.retired else services.position_in_course(course_slug, module_slug)
    if found.status == services.NOT_STARTED:
        # Opening a lesson marks it started: the one write of this GET.
        begin_write()
        services.mark_started(user, course_slug, module_slug, utcnow())
        db.session.commit()
        begin_read()  # rendering reloads the user: no write lock for that
    meta = found.meta
    sources = [{**source, "date_text": _format_day(source.get("date"))} for source in meta.get("sources", [])]
    return render_template(
        "courses/lesson.html",
        lesson=found,
        position=position,
        body_html=rendering.localise_placeholders(found.body_html, _translate_placeholder),
        objectives=meta.get("objectives", []),
        duration=meta.get("duration_minutes"),
        sources=sources,
        verified_on=_format_day(meta.get("verified_on")),
        time_sensitive=bool(meta.get("time_sensitive")),
        status_label=STATUS_LABELS[found.status] if found.status != services.NOT_STARTED else STATUS_LABELS["started"],
        completed=found.status == "completed",
        can_complete=found.can_complete,
        updated_since=found.updated_since_completed,
        form=EmptyForm(),
    )


@bp.post("/<course_slug>/<module_slug>/selesai")
def complete(course_slug: str, module_slug: str):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    now = utcnow()
    changed = services.mark_completed(current_user, course_slug, module_slug, now)
    if changed is None:
        abort(404)
    if changed:
        learner_progressed.send(current_app._get_current_object(), user_id=current_user.id, now=now)
    db.session.commit()
    if changed:
        flash(_("Modul ditandai selesai. Bagus!"), "success")
    else:
        flash(_("Modul ini sudah ditandai selesai."), "info")
    return redirect(url_for("courses.lesson", course_slug=course_slug, module_slug=module_slug) + "#sinau-selesai")


@bp.get("/<course_slug>/berkas/<filename>")
def asset(course_slug: str, filename: str):
    """A course's image, straight from the curriculum folder: images only,
    cached a year on the phone (lesson URLs carry ?v=<hash> from the import,
    so a changed image gets a new URL). Behind the login like the lessons, so
    the cache is private."""
    if not SLUG_RE.match(course_slug) or not IMAGE_NAME_RE.match(filename):
        abort(404)
    extension = filename.rsplit(".", 1)[1].lower()
    folder = Path(current_app.config["LMS_COURSES_PATH"]).resolve() / course_slug
    if (folder / filename).is_file():
        response = send_from_directory(
            folder, filename, mimetype=IMAGE_MIMETYPES[extension], conditional=True, max_age=ONE_YEAR,
        )
    else:
        # Not in the curriculum folder: an image uploaded in the browser, if
        # a package registered where those live (importer.register_image_source).
        serve = importer.image_source(current_app)
        response = serve(course_slug, filename) if serve is not None else None
        if response is None:
            abort(404)
    response.cache_control.public = False
    response.cache_control.private = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
