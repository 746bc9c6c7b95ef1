"""Practical exercise pages: the trainee's page, screenshots, the trainers'
review queue and review, the OPD report and the public gallery."""
from __future__ import annotations

import functools

import markdown
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from lms.core.access import admin_required, public, staff_required
from lms.core.db import begin_read, begin_write, utcnow
from lms.core.events import learner_progressed
from lms.core.exports import csv_bytes, xlsx_bytes
from lms.core.forms import EmptyForm
from lms.courses import rendering
from lms.courses.format import Video
from lms.exercises import forms, images, links, reports, reviewing, services
from lms.exercises.models import APPROVED, GALLERY_OFF, GALLERY_ON, REVIEWED, REVISE, SUBMITTED, WAITING, WITHDREW
from lms.extensions import db
from lms.waves import services as waves

bp = Blueprint("exercises", __name__)

STATUS_LABELS = services.STATUS_LABELS
FILTER_LABELS = {WAITING: _l("Menunggu"), REVISE: _l("Perlu revisi"), APPROVED: _l("Lulus")}
ACTION_LABELS = {
    SUBMITTED: _l("Dikirim"),
    WITHDREW: _l("Ditarik peserta"),
    REVIEWED: _l("Dinilai"),
    GALLERY_ON: _l("Setuju tampil di galeri"),
    GALLERY_OFF: _l("Batal tampil di galeri"),
}
TRACK_LABELS = {"umum": _l("Umum"), "opd": _l("ASN / OPD"), "lansia": _l("Lansia")}
KIND_LABELS = {"link": _l("tautan video"), "text": _l("jawaban tertulis"), "image": _l("tangkapan layar")}
BLOCKED_MESSAGES = {
    services.CANNOT_STAFF: _l("Halaman ini untuk peserta. Pelatih menilai kiriman dari antrean tugas gelombang."),
    services.CANNOT_RETIRED: services.MSG_RETIRED,
    services.CANNOT_NO_WAVE: services.MSG_NO_WAVE,
}
PLACEHOLDER_TRANSLATIONS = {
    rendering.PLAY_LABEL: _l("Putar video"),
    rendering.NOTE_LABEL: _l("Video baru dimuat setelah Anda menekan tombol (memakai kuota data)."),
    rendering.OPEN_LABELS["youtube"]: _l("Tonton di YouTube"),
    rendering.OPEN_LABELS["tiktok"]: _l("Tonton di TikTok"),
}


# --- presentation helpers ---------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _instructions(text: str) -> str:
    """Exercise instructions as safe HTML: Markdown, then the lessons' nh3 allow-list."""
    raw = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    return rendering.sanitise(raw).strip()


def instructions_html(text: str) -> Markup:
    return rendering.trusted(_instructions(text or ""))


def _translate(text: str) -> str:
    return str(PLACEHOLDER_TRANSLATIONS.get(text, text))


def video_html(provider: str | None, video_id: str | None, url: str | None, title: str) -> Markup | None:
    """The tap-to-load placeholder (static/js/video.js), rebuilt from the
    stored, re-checked id; None for links without an embeddable id."""
    if not provider or not url:
        return None
    link = links.rebuild(provider, video_id or "", url)
    if link is None or not link.embeddable:
        return None
    html = rendering.video_placeholder(Video(0, link.provider, link.video_id, title, None, link.url))
    return rendering.trusted(rendering.localise_placeholders(html, _translate))


def _attach_error(form, error: services.ExerciseError) -> None:
    target = getattr(form, error.field, None) if error.field and form is not None else None
    if target is not None and hasattr(target, "errors"):
        target.errors = list(target.errors) + [error.message]
    else:
        flash(error.message, "error")


def _exercise_or_404(module_slug: str) -> services.Exercise:
    return services.get_exercise(module_slug) or abort(404)


def _managed_wave(wave_id: int):
    wave = waves.get_wave(wave_id)
    if wave is None or not waves.can_manage(current_user, wave):
        abort(404)  # a wave this trainer does not run does not exist for them
    return wave


def _page(exercise, state, form=None, gallery_form=None):
    latest = state.latest
    approved = state.approved
    items = []
    for s in state.attempts:
        items.append({
            "submission": s,
            "status_label": STATUS_LABELS.get(s.status, s.status),
            "video": video_html(s.video_provider, s.video_id, s.video_url, s.exercise_title),
            "image_url": url_for("exercises.image", module_slug=exercise.module_slug, token=s.image.token) if s.image_id else None,
            "history": [{"event": e, "label": ACTION_LABELS.get(e.action, e.action),
                         "to_label": STATUS_LABELS.get(e.to_status, e.to_status)} for e in state.history.get(s.id, [])],
        })
    if gallery_form is None and state.can_share and approved.gallery_consent_at is None:
        gallery_form = forms.GalleryForm(formdata=None, name=(current_user.name or "").split(" ")[0])
    blocked_message = BLOCKED_MESSAGES.get(state.blocked)
    if state.blocked == services.CANNOT_NO_WAVE and exercise.spec.tracks:
        blocked_message = _l("%(message)s (Tugas ini untuk jalur: %(tracks)s.)", message=services.MSG_NO_WAVE,
                             tracks=", ".join(str(TRACK_LABELS.get(t, t)) for t in exercise.spec.tracks))
    return render_template(
        "exercises/submission.html",
        exercise=exercise,
        spec=exercise.spec,
        instructions=instructions_html(exercise.spec.instructions),
        kinds=[KIND_LABELS[k] for k in exercise.spec.submit],
        state=state,
        latest=latest,
        approved=approved,
        items=items,
        form=form,
        withdraw_form=EmptyForm() if state.can_withdraw else None,
        gallery_form=gallery_form,
        gallery_shown=approved is not None and approved.gallery_consent_at is not None,
        unshare_form=EmptyForm() if approved is not None and approved.gallery_consent_at is not None else None,
        blocked_message=blocked_message,
        status_labels=STATUS_LABELS,
        has_video=any(item["video"] for item in items),
    )




# --- the trainee's page -----------------------------------------------------------


@bp.route("/tugas/<module_slug>", methods=["GET", "POST"])
def submission(module_slug: str):
    user = current_user._get_current_object()
    upload = request.files.get("image") if request.method == "POST" else None
    if upload is not None and upload.filename:
        begin_read()  # re-encoding a screenshot takes a moment: no write lock meanwhile
    exercise = _exercise_or_404(module_slug)
    state = services.trainee_state(user, exercise)
    form = forms.SubmissionForm(exercise.spec.submit) if state.can_submit else None
    if request.method == "POST":
        if form is None:
            if not EmptyForm().validate_on_submit():
                abort(400)
            flash(_("Tugas ini tidak bisa dikirim sekarang."), "error")
            return redirect(url_for("exercises.submission", module_slug=module_slug))
        if form.validate_on_submit():
            clean = None
            if "image" in exercise.spec.submit and upload is not None and upload.filename:
                try:
                    clean = images.reencode(upload.read(images.MAX_BYTES + 1))
                except images.ImageError as error:
                    form.image.errors = list(form.image.errors) + [error.message]
            if not any(f.errors for f in form):
                begin_write()
                answer = services.Answer(
                    link=form.link.data if "link" in exercise.spec.submit else None,
                    text=form.text.data if "text" in exercise.spec.submit else None,
                    image=clean, note=form.note.data,
                )
                try:
                    services.submit(user, exercise, answer, utcnow())
                    db.session.commit()
                except services.ExerciseError as error:
                    db.session.rollback()
                    _attach_error(form, error)
                except IntegrityError:  # a double tap: the first one was saved
                    db.session.rollback()
                    flash(_("Tugas Anda sudah terkirim."), "info")
                    return redirect(url_for("exercises.submission", module_slug=module_slug))
                else:
                    flash(_("Tugas terkirim. Pelatih akan menilainya; hasilnya muncul di halaman ini dan di beranda."), "success")
                    return redirect(url_for("exercises.submission", module_slug=module_slug))
                state = services.trainee_state(user, exercise)
        return _page(exercise, state, form=form)
    return _page(exercise, state, form=form)


@bp.post("/tugas/<module_slug>/tarik")
def withdraw(module_slug: str):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    exercise = _exercise_or_404(module_slug)
    attempts = services.attempts_of(user.id, module_slug)
    if not attempts:
        abort(404)
    submission = services.lock_submission(attempts[0].id)
    try:
        services.withdraw(user, submission, utcnow())
    except services.ExerciseError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Kiriman ditarik. Anda bisa mengirim versi baru kapan saja."), "success")
    return redirect(url_for("exercises.submission", module_slug=exercise.module_slug))


@bp.post("/tugas/<module_slug>/galeri")
def share(module_slug: str):
    user = current_user._get_current_object()
    exercise = _exercise_or_404(module_slug)
    state = services.trainee_state(user, exercise)
    if not state.can_share:
        abort(404)
    form = forms.GalleryForm()
    if form.validate_on_submit():
        try:
            services.set_gallery(user, state.approved, True, form.name.data, utcnow())
        except services.ExerciseError as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Video Anda tampil di galeri. Anda bisa membatalkannya kapan saja."), "success")
            return redirect(url_for("exercises.submission", module_slug=module_slug, _anchor="galeri"))
    return _page(exercise, state, gallery_form=form)


@bp.post("/tugas/<module_slug>/galeri/batal")
def unshare(module_slug: str):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    exercise = _exercise_or_404(module_slug)
    state = services.trainee_state(user, exercise)
    if state.approved is None:
        abort(404)
    services.set_gallery(user, state.approved, False, None, utcnow())
    db.session.commit()
    flash(_("Video Anda tidak lagi tampil di galeri."), "success")
    return redirect(url_for("exercises.submission", module_slug=module_slug, _anchor="galeri"))


@bp.get("/tugas/<module_slug>/gambar/<token>")
def image(module_slug: str, token: str):
    """A screenshot: only for its owner and the staff who may review it."""
    found = services.image_by_token(token)
    if found is None:
        abort(404)
    stored, submission = found
    if submission.module_slug != module_slug or not reviewing.can_view(current_user, submission):
        abort(404)
    response = Response(services.image_data(stored), mimetype=stored.mimetype)
    extension = "png" if stored.mimetype == "image/png" else "jpg"
    response.headers["Content-Disposition"] = f'inline; filename="tugas-{submission.id}.{extension}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# --- trainers: queues and review ----------------------------------------------------


@bp.get("/gelombang/tugas")
@staff_required
def queues():
    my_waves = waves.waves_for_staff(current_user)
    counts = reviewing.waiting_counts([w.id for w in my_waves])
    return render_template("exercises/queues.html", waves=my_waves, counts=counts)


@bp.get("/gelombang/<int:wave_id>/tugas")
@staff_required
def queue(wave_id: int):
    wave = _managed_wave(wave_id)
    status = request.args.get("status", WAITING)
    if status not in reviewing.QUEUE_FILTERS:
        status = WAITING
    return render_template(
        "exercises/queue.html", wave=wave, rows=reviewing.queue(wave, status), status=status,
        filters=FILTER_LABELS, status_labels=STATUS_LABELS,
    )


@bp.route("/gelombang/<int:wave_id>/tugas/<int:submission_id>", methods=["GET", "POST"])
@staff_required
def review(wave_id: int, submission_id: int):
    wave = _managed_wave(wave_id)
    submission = reviewing.get_submission(submission_id)
    if submission is None or submission.wave_id != wave.id:
        abort(404)
    exercise = _exercise_or_404(submission.module_slug)
    form = forms.review_form(exercise.spec.criteria)
    if request.method == "POST":
        if submission.status != WAITING:
            if not EmptyForm().validate_on_submit():
                abort(400)
            flash(_("Kiriman ini sudah dinilai atau ditarik peserta."), "info")
            return redirect(url_for("exercises.review", wave_id=wave.id, submission_id=submission.id))
        if form.validate_on_submit():
            now = utcnow()
            locked = services.lock_submission(submission.id)
            try:
                reviewing.review(current_user, locked, exercise, form.choices(), form.feedback.data, form.decision.data, now)
            except services.ExerciseError as error:
                db.session.rollback()
                _attach_error(form, error)
            else:
                if locked.status == APPROVED:
                    learner_progressed.send(current_app._get_current_object(), user_id=locked.user_id, now=now)
                db.session.commit()
                if locked.status == APPROVED:
                    flash(_("Tugas %(name)s dinyatakan lulus (skor %(score)d).", name=locked.user.name, score=locked.score), "success")
                else:
                    flash(_("Tugas %(name)s dikembalikan untuk revisi.", name=locked.user.name), "success")
                return redirect(url_for("exercises.queue", wave_id=wave.id))
        submission = reviewing.get_submission(submission_id)
    attempts = services.attempts_of(submission.user_id, submission.module_slug)
    history = services.history_of([s.id for s in attempts])
    earlier = [s for s in attempts if s.id != submission.id]
    return render_template(
        "exercises/review.html",
        wave=wave,
        submission=submission,
        person=submission.user,
        exercise=exercise,
        spec=exercise.spec,
        instructions=instructions_html(exercise.spec.instructions),
        form=form,
        can_review=submission.status == WAITING,
        video=video_html(submission.video_provider, submission.video_id, submission.video_url, submission.exercise_title),
        image_url=url_for("exercises.image", module_slug=submission.module_slug, token=submission.image.token) if submission.image_id else None,
        earlier=earlier,
        history=[{"event": e, "label": ACTION_LABELS.get(e.action, e.action), "to_label": STATUS_LABELS.get(e.to_status, e.to_status)}
                 for s in attempts for e in history.get(s.id, [])],
        status_labels=STATUS_LABELS,
        decision_labels=forms.DECISION_LABELS,
    )


# --- the OPD report ------------------------------------------------------------------


def _report_filters() -> tuple[int | None, int | None]:
    wave_id = request.args.get("gelombang", type=int)
    stage = request.args.get("tahap", type=int)
    return wave_id, stage


@bp.get("/laporan/opd")
@admin_required
def opd_report():
    wave_id, stage = _report_filters()
    report = reports.opd_report(wave_id, stage)
    return render_template("exercises/opd_report.html", report=report, wave_id=wave_id, stage=stage)


def _report_table(report: reports.OpdReport):
    header = [_("Perangkat daerah"), _("Nama perangkat daerah"), _("Peran"), _("Nama"), _("Gelombang"),
              _("Tugas dikirim"), _("Tugas lulus"), _("Video lulus"), _("OPD selesai")]
    rows = []
    for agency in report.agencies:
        for person in agency.people:
            rows.append([
                agency.abbreviation, agency.name, _("Kepala OPD") if person.is_head else _("Staf"), person.name,
                ", ".join(person.waves), len(person.submitted), len(person.approved),
                " ".join(url for _title, url in person.videos), _("Ya") if agency.done else _("Belum"),
            ])
    return header, rows


@bp.get("/laporan/opd.csv")
@admin_required
def opd_report_csv():
    header, rows = _report_table(reports.opd_report(*_report_filters()))
    return _download(csv_bytes(header, rows), "laporan-opd.csv", "text/csv; charset=utf-8")


@bp.get("/laporan/opd.xlsx")
@admin_required
def opd_report_xlsx():
    header, rows = _report_table(reports.opd_report(*_report_filters()))
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(xlsx_bytes(header, rows, sheet="Laporan OPD"), "laporan-opd.xlsx", mimetype)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the public gallery ----------------------------------------------------------------


@bp.get("/galeri")
@public
def gallery():
    page = max(1, request.args.get("halaman", 1, type=int) or 1)
    items, has_next = reports.gallery(page)
    cards = [{"item": item, "video": video_html(item.provider, item.video_id, item.url, item.title)} for item in items]
    return render_template("exercises/gallery.html", cards=cards, page=page, has_next=has_next)
