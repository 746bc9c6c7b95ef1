from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse as parse_limit

from lms.auth import services as accounts
from lms.core.access import admin_required, public, roles_required, staff_required
from lms.core.db import begin_read, begin_write, utcnow
from lms.core.events import learner_progressed
from lms.core.forms import EmptyForm
from lms.extensions import db, limiter
from lms.waves import announcements, attendance, forms, importing, overview, services
from lms.waves.models import ENROLLED, REMOVED, WAITLISTED, WITHDRAWN

bp = Blueprint("waves", __name__)

trainee_required = roles_required("trainee")


# --- helpers -----------------------------------------------------------------


def _wave_or_404(wave_id: int):
    return services.get_wave(wave_id) or abort(404)


def _managed_wave(wave_id: int):
    """A wave the current staff member runs; any other is 'not found'."""
    wave = _wave_or_404(wave_id)
    if not services.can_manage(current_user, wave):
        abort(404)
    return wave


def _enrolment_in(wave, enrolment_id: int):
    enrolment = services.get_enrolment(enrolment_id)
    if enrolment is None or enrolment.wave_id != wave.id:
        abort(404)
    return enrolment


def _session_or_404(wave, session_id: int):
    return attendance.get_session(wave, session_id) or abort(404)


def _field_error(form, error: services.WaveError, aliases: dict | None = None) -> None:
    name = (aliases or {}).get(error.field, error.field)
    target = getattr(form, name, None) if name else None
    if target is not None and hasattr(target, "errors"):
        target.errors = list(target.errors) + [error.message]
    else:
        flash(error.message, "error")


def _flash_outcome(enrolment) -> None:
    if enrolment.status == ENROLLED:
        flash(_("Anda terdaftar di %(wave)s. Sampai jumpa di kelas!", wave=enrolment.wave.name), "success")
    else:
        flash(
            _("Kursi penuh. Anda di daftar tunggu nomor %(n)d untuk %(wave)s.", n=services.waitlist_position(enrolment), wave=enrolment.wave.name),
            "info",
        )


# --- public list and registration -------------------------------------------


@bp.get("/gelombang")
@public
def index():
    user = current_user if current_user.is_authenticated else None
    return render_template(
        "waves/index.html",
        waves=services.open_waves(utcnow(), user),
        signed_in=user is not None,
        can_apply=user is not None and user.role == "trainee",
        form=EmptyForm(),
        track_labels=forms.TRACK_LABELS,
    )


@bp.post("/gelombang/<int:wave_id>/daftar")
@trainee_required
def apply(wave_id: int):
    wave = _wave_or_404(wave_id)
    try:
        enrolment = services.apply(wave, current_user, utcnow())
    except services.WaveError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("waves.index"))
    db.session.commit()
    _flash_outcome(enrolment)
    return redirect(url_for("waves.mine"))


@bp.route("/gelombang/<int:wave_id>/mundur", methods=["GET", "POST"])
@trainee_required
def withdraw(wave_id: int):
    wave = _wave_or_404(wave_id)
    enrolment = services.enrolment_for(wave, current_user)
    if enrolment is None or enrolment.status not in (ENROLLED, WAITLISTED):
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        services.withdraw(enrolment, utcnow())
        db.session.commit()
        flash(_("Anda sudah mundur dari %(wave)s.", wave=wave.name), "success")
        return redirect(url_for("waves.mine"))
    return render_template("waves/withdraw.html", wave=wave, enrolment=enrolment, form=form)


@bp.get("/gelombang/saya")
def mine():
    if current_user.is_staff:
        waves = services.waves_for_staff(current_user)
        return render_template(
            "waves/staff_list.html",
            waves=waves,
            counts=services.seat_counts(w.id for w in waves),
            is_admin=current_user.is_admin,
            track_labels=forms.TRACK_LABELS,
        )
    return render_template(
        "waves/mine.html",
        items=overview.my_waves(current_user),
        notices=services.promotion_notices(current_user),
        status_labels=forms.STATUS_LABELS,
        track_labels=forms.TRACK_LABELS,
        form=EmptyForm(),
    )


@bp.post("/gelombang/kursi/<int:enrolment_id>/tutup")
def dismiss_notice(enrolment_id: int):
    enrolment = services.get_enrolment(enrolment_id)
    if enrolment is None or enrolment.user_id != current_user.id:
        abort(404)
    services.dismiss_notice(enrolment, utcnow())
    db.session.commit()
    return redirect(url_for("site.home"))


# --- check-in with the projector code ----------------------------------------


def _check_in_limit():
    return parse_limit(current_app.config.get("RATELIMIT_CHECKIN", "10 per 10 minutes"))


def _check_in_key() -> tuple[str, ...]:
    return (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "waves-check-in", str(current_user.id))


@bp.route("/presensi", methods=["GET", "POST"])
@trainee_required
def check_in():
    form = forms.CheckInForm()
    if form.validate_on_submit():
        # Only wrong codes count against the limit (per person, not per IP:
        # a whole class shares the venue's Wi-Fi).
        if not limiter.limiter.test(_check_in_limit(), *_check_in_key()):
            abort(429)
        now = utcnow()
        try:
            result = attendance.check_in(current_user, form.code.data, now)
        except services.WaveError as error:
            db.session.rollback()
            limiter.limiter.hit(_check_in_limit(), *_check_in_key())
            form.code.errors = list(form.code.errors) + [error.message]
        else:
            if not result.already:
                learner_progressed.send(current_app._get_current_object(), user_id=current_user.id, now=now)
            db.session.commit()
            if result.already:
                flash(_("Kehadiran Anda di %(session)s sudah tercatat sebelumnya.", session=result.session.title), "info")
            else:
                flash(_("Terima kasih, kehadiran Anda di %(session)s tercatat.", session=result.session.title), "success")
            return redirect(url_for("waves.mine"))
    return render_template("waves/check_in.html", form=form)


# --- staff pages -------------------------------------------------------------


@bp.get("/gelombang/<int:wave_id>")
@staff_required
def detail(wave_id: int):
    wave = _managed_wave(wave_id)
    rows = services.roster(wave)
    sessions = attendance.sessions_of(wave)
    return render_template(
        "waves/detail.html",
        wave=wave,
        enrolled=[e for e in rows if e.status == ENROLLED],
        waiting=services.waitlist(wave),
        gone=[e for e in rows if e.status in (WITHDRAWN, REMOVED)],
        sessions=sessions,
        attendance=attendance.attendance_counts(sessions),
        announcements=announcements.announcements_of(wave),
        path=services.learning_path(wave),
        announcement_form=forms.AnnouncementForm(),
        form=EmptyForm(),
        is_admin=current_user.is_admin,
        track_labels=forms.TRACK_LABELS,
        status_labels=forms.STATUS_LABELS,
        source_labels=forms.SOURCE_LABELS,
        now=utcnow(),
    )


@bp.post("/gelombang/<int:wave_id>/pengumuman")
@staff_required
def announce(wave_id: int):
    wave = _managed_wave(wave_id)
    form = forms.AnnouncementForm()
    if form.validate_on_submit():
        announcements.post_announcement(wave, current_user, form.title.data, form.body.data, utcnow())
        db.session.commit()
        flash(_("Pengumuman terkirim ke peserta gelombang ini."), "success")
    else:
        for field in (form.title, form.body):
            for message in field.errors:
                flash(message, "error")
    return redirect(url_for("waves.detail", wave_id=wave.id, _anchor="pengumuman"))


@bp.post("/gelombang/<int:wave_id>/pengumuman/<int:announcement_id>/hapus")
@staff_required
def delete_announcement(wave_id: int, announcement_id: int):
    wave = _managed_wave(wave_id)
    announcement = announcements.get_announcement(wave, announcement_id) or abort(404)
    announcements.delete_announcement(announcement, current_user, utcnow())
    db.session.commit()
    flash(_("Pengumuman dihapus."), "success")
    return redirect(url_for("waves.detail", wave_id=wave.id, _anchor="pengumuman"))


@bp.route("/gelombang/<int:wave_id>/sesi/baru", methods=["GET", "POST"])
@bp.route("/gelombang/<int:wave_id>/sesi/<int:session_id>/ubah", methods=["GET", "POST"])
@staff_required
def edit_session(wave_id: int, session_id: int | None = None):
    wave = _managed_wave(wave_id)
    session = _session_or_404(wave, session_id) if session_id is not None else None
    data = None
    if session is not None and request.method == "GET":
        start, end = services.utc_to_local(session.starts_at), services.utc_to_local(session.ends_at)
        data = {"title": session.title, "day": start.date(), "start_time": start.time(), "end_time": end.time()}
    form = forms.SessionForm(data=data)
    if form.validate_on_submit():
        starts = services.local_to_utc(datetime.combine(form.day.data, form.start_time.data))
        ends = services.local_to_utc(datetime.combine(form.day.data, form.end_time.data))
        try:
            attendance.save_session(wave, session, form.title.data, starts, ends, current_user, utcnow())
        except services.WaveError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("Sesi tersimpan."), "success")
            return redirect(url_for("waves.detail", wave_id=wave.id, _anchor="sesi"))
    return render_template("waves/session_form.html", wave=wave, session=session, form=form)


@bp.post("/gelombang/<int:wave_id>/sesi/<int:session_id>/hapus")
@staff_required
def delete_session(wave_id: int, session_id: int):
    wave = _managed_wave(wave_id)
    session = _session_or_404(wave, session_id)
    attendance.delete_session(session, current_user, utcnow())
    db.session.commit()
    flash(_("Sesi dihapus."), "success")
    return redirect(url_for("waves.detail", wave_id=wave.id, _anchor="sesi"))


@bp.route("/gelombang/<int:wave_id>/sesi/<int:session_id>/presensi", methods=["GET", "POST"])
@staff_required
def roster(wave_id: int, session_id: int):
    wave = _managed_wave(wave_id)
    session = _session_or_404(wave, session_id)
    form = EmptyForm()
    if form.validate_on_submit():
        ticked = [int(v) for v in request.form.getlist("present") if v.isdigit()]
        now = utcnow()
        added, removed = attendance.set_roster(session, ticked, current_user, now)
        for user_id in ticked if added else ():
            learner_progressed.send(current_app._get_current_object(), user_id=user_id, now=now)
        db.session.commit()
        flash(_("Presensi tersimpan: %(a)d ditambah, %(r)d dihapus.", a=added, r=removed), "success")
        return redirect(url_for("waves.roster", wave_id=wave.id, session_id=session.id))
    lines = attendance.session_roster(session)
    return render_template(
        "waves/roster.html", wave=wave, session=session, lines=lines, present=sum(line.present for line in lines), form=form
    )


@bp.get("/gelombang/<int:wave_id>/sesi/<int:session_id>/layar")
@staff_required
def projector(wave_id: int, session_id: int):
    wave = _managed_wave(wave_id)
    session = _session_or_404(wave, session_id)
    return render_template("waves/projector.html", wave=wave, session=session, state=_code_state(session))


@bp.get("/gelombang/<int:wave_id>/sesi/<int:session_id>/kode")
@staff_required
def code(wave_id: int, session_id: int):
    wave = _managed_wave(wave_id)
    session = _session_or_404(wave, session_id)
    return jsonify(_code_state(session))


def _code_state(session) -> dict:
    now = utcnow()
    is_open = attendance.in_check_in_window(session, now)
    code = attendance.current_code(session, now) if is_open else ""
    return {
        "open": is_open,
        "code": code,
        "display": f"{code[:3]} {code[3:]}" if code else "— — —",
        "seconds_left": attendance.seconds_to_next_code(now),
        "count": attendance.attendance_count(session),
        "enrolled": len(services.enrolled_users(session.wave)),
    }


# --- admin: waves, seats, bulk enrolment ---------------------------------------


def _wave_form_data(wave) -> dict:
    path = services.learning_path(wave)
    local = services.utc_to_local
    return {
        "name": wave.name, "programme": wave.programme, "stage": wave.stage, "code": wave.code, "track": wave.track,
        "starts_on": wave.starts_on, "ends_on": wave.ends_on, "venue": wave.venue, "capacity": wave.capacity,
        "registration_opens_at": local(wave.registration_opens_at) if wave.registration_opens_at else None,
        "registration_closes_at": local(wave.registration_closes_at) if wave.registration_closes_at else None,
        "hours": wave.hours, "attendance_min_percent": wave.attendance_min_percent,
        "quizzes_required": wave.quizzes_required, "exercises_required": wave.exercises_required,
        "trainer_ids": [t.id for t in wave.trainers],
        "path_modules": [f"{p.course_slug}/{p.module_slug}" for p in path],
        "path_text": "\n".join(f"{p.course_slug}/{p.module_slug}" for p in path),
    }


@bp.route("/admin/gelombang/baru", methods=["GET", "POST"])
@bp.route("/admin/gelombang/<int:wave_id>/ubah", methods=["GET", "POST"])
@admin_required
def edit(wave_id: int | None = None):
    wave = _wave_or_404(wave_id) if wave_id is not None else None
    modules = services.available_modules()
    data = _wave_form_data(wave) if wave is not None and request.method == "GET" else None
    form = forms.WaveForm(services.eligible_trainers(), modules, data=data)
    if form.validate_on_submit():
        local = services.local_to_utc
        values = services.WaveData(
            name=form.name.data, programme=form.programme.data, stage=form.stage.data, code=form.code.data,
            track=form.track.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data, venue=form.venue.data or "",
            capacity=form.capacity.data, hours=form.hours.data, attendance_min_percent=form.attendance_min_percent.data,
            registration_opens_at=local(form.registration_opens_at.data) if form.registration_opens_at.data else None,
            registration_closes_at=local(form.registration_closes_at.data) if form.registration_closes_at.data else None,
            quizzes_required=form.quizzes_required.data, exercises_required=form.exercises_required.data,
            trainer_ids=form.trainer_ids.data or [],
        )
        try:
            if modules:
                path = [tuple(key.split("/", 1)) for key in form.path_modules.data or []]
            else:
                path = services.parse_learning_path(form.path_text.data)
            saved = services.save_wave(wave, values, current_user, utcnow())
            if path or wave is not None:  # a new wave without a choice keeps its track's default path
                services.set_learning_path(saved, path)
        except services.WaveError as error:
            db.session.rollback()
            _field_error(form, error, {"path": "path_modules" if modules else "path_text"})
        else:
            db.session.commit()
            flash(_("Gelombang %(code)s tersimpan.", code=saved.code), "success")
            return redirect(url_for("waves.detail", wave_id=saved.id))
    return render_template("waves/edit.html", form=form, wave=wave, has_catalogue=bool(modules))


@bp.post("/gelombang/<int:wave_id>/peserta/<int:enrolment_id>/setujui")
@admin_required
def approve(wave_id: int, enrolment_id: int):
    wave = _wave_or_404(wave_id)
    enrolment = _enrolment_in(wave, enrolment_id)
    try:
        services.approve(enrolment, current_user, utcnow())
    except services.WaveError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s mendapat kursi.", name=enrolment.user.name), "success")
    return redirect(url_for("waves.detail", wave_id=wave.id, _anchor="peserta"))


@bp.route("/gelombang/<int:wave_id>/peserta/<int:enrolment_id>/keluarkan", methods=["GET", "POST"])
@admin_required
def remove(wave_id: int, enrolment_id: int):
    wave = _wave_or_404(wave_id)
    enrolment = _enrolment_in(wave, enrolment_id)
    form = forms.RemoveForm()
    if form.validate_on_submit():
        try:
            promoted = services.remove(enrolment, current_user, form.reason.data, utcnow())
        except services.WaveError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s dikeluarkan dari gelombang ini.", name=enrolment.user.name), "success")
            for moved_up in promoted:
                flash(_("%(name)s naik dari daftar tunggu.", name=moved_up.user.name), "info")
            return redirect(url_for("waves.detail", wave_id=wave.id, _anchor="peserta"))
    return render_template("waves/remove.html", wave=wave, enrolment=enrolment, form=form)


@bp.route("/gelombang/<int:wave_id>/peserta/<int:enrolment_id>/pindah", methods=["GET", "POST"])
@admin_required
def move(wave_id: int, enrolment_id: int):
    wave = _wave_or_404(wave_id)
    enrolment = _enrolment_in(wave, enrolment_id)
    form = forms.MoveForm(services.other_waves(wave))
    if form.validate_on_submit():
        target = _wave_or_404(form.target.data)
        try:
            moved = services.move(enrolment, target, current_user, utcnow())
        except services.WaveError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(
                _("%(name)s dipindah ke %(wave)s (%(status)s).", name=moved.user.name, wave=target.name, status=forms.STATUS_LABELS[moved.status]),
                "success",
            )
            return redirect(url_for("waves.detail", wave_id=wave.id, _anchor="peserta"))
    return render_template("waves/move.html", wave=wave, enrolment=enrolment, form=form)


@bp.route("/admin/gelombang/<int:wave_id>/impor", methods=["GET", "POST"])
@admin_required
def import_upload(wave_id: int):
    wave = _wave_or_404(wave_id)
    form = forms.ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            pending = importing.preview_import(wave, current_user, upload.filename, upload.read(), utcnow())
        except services.WaveError as error:
            db.session.rollback()
            form.file.errors = list(form.file.errors) + [error.message]
        else:
            db.session.commit()
            return redirect(url_for("waves.import_preview", wave_id=wave.id, import_id=pending.id))
    return render_template("waves/import_upload.html", wave=wave, form=form)


@bp.get("/admin/gelombang/<int:wave_id>/impor/<int:import_id>")
@admin_required
def import_preview(wave_id: int, import_id: int):
    wave = _wave_or_404(wave_id)
    pending = importing.get_import(wave, import_id, current_user) or abort(404)
    if pending.confirmed_at is not None:
        flash(_("Impor ini sudah dikonfirmasi."), "info")
        return redirect(url_for("waves.detail", wave_id=wave.id))
    return render_template(
        "waves/import_preview.html", wave=wave, pending=pending, preview=importing.describe_import(pending), form=EmptyForm()
    )


@bp.post("/admin/gelombang/<int:wave_id>/impor/<int:import_id>/konfirmasi")
@admin_required
def import_confirm(wave_id: int, import_id: int):
    begin_read()  # find who needs an account, hash their passwords, then write
    wave = _wave_or_404(wave_id)
    pending = importing.get_import(wave, import_id, current_user) or abort(404)
    if pending.confirmed_at is None:
        plain = {line: accounts.generate_one_time_password() for line in importing.lines_needing_accounts(pending)}
        hashes = importing.hash_passwords(plain)
        begin_write()
        sheet = importing.confirm_import(pending, current_user, {k: (plain[k], hashes[k]) for k in plain}, utcnow())
        if sheet is not None:
            db.session.commit()
            return render_template(
                "waves/import_sheet.html", wave=wave, sheet=sheet, status_labels=forms.STATUS_LABELS,
                created=sum(1 for row in sheet if row.password),
            )
        db.session.rollback()
    flash(_("Impor ini sudah dikonfirmasi. Kata sandi sementara hanya ditampilkan sekali; buat yang baru dari halaman pengguna."), "info")
    return redirect(url_for("waves.detail", wave_id=wave.id))
