"""Certificate pages: the trainee's list and downloads, staff issuing and bulk
downloads, admin revocation and design, and the public verification and
Open Badges 2.0 documents."""
from __future__ import annotations

import json
import tempfile
import zipfile

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from lms.certificates import badges, documents, forms, pdf, services
from lms.core.access import admin_required, public, staff_required
from lms.core.db import utcnow
from lms.core.events import wave_completed
from lms.core.forms import EmptyForm
from lms.extensions import db, limiter
from lms.waves import services as waves

bp = Blueprint("certificates", __name__)

JSON_LD = "application/ld+json"


def init_app(app) -> None:
    wave_completed.connect(services.on_wave_completed, app)


def _base_url() -> str:
    return current_app.config["LMS_BASE_URL"]


def _public_limit() -> str:
    return current_app.config.get("RATELIMIT_VERIFY", "30 per minute")


# One budget per IP for everything that looks a certificate up by code or serial.
public_lookup_limit = limiter.shared_limit(_public_limit, scope="certificates-public")


@bp.after_request
def _no_index(response: Response) -> Response:
    # Certificates are personal: no page of this blueprint belongs in a search engine.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _viewable(certificate_id: int):
    certificate = services.get(certificate_id)
    if certificate is None or not services.can_view(current_user, certificate):
        abort(404)
    return certificate


def _managed_wave(wave_id: int):
    wave = waves.get_wave(wave_id)
    if wave is None or not waves.can_manage(current_user, wave):
        abort(404)  # a wave this trainer is not assigned to does not exist for them
    return wave


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_ld(doc: dict, filename: str | None = None) -> Response:
    response = Response(json.dumps(doc, ensure_ascii=False, indent=2), mimetype=JSON_LD)
    response.headers["Access-Control-Allow-Origin"] = "*"  # public, no credentials: backpacks may fetch it
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the trainee's side ------------------------------------------------------------


@bp.get("/sertifikat")
def mine():
    base = _base_url()
    certificates = services.of_user(current_user)
    return render_template(
        "certificates/mine.html",
        items=[(c, services.verify_url(base, c.code)) for c in certificates],
        managed_waves=waves.waves_for_staff(current_user) if current_user.is_staff else [],
        show_design=current_user.is_admin,
    )


@bp.get("/sertifikat/<int:certificate_id>.pdf")
def download_pdf(certificate_id: int):
    certificate = _viewable(certificate_id)
    if not certificate.valid and certificate.user_id == current_user.id and not current_user.is_staff:
        abort(404)  # a revoked certificate is not handed out again to its holder
    job = documents.pdf_jobs([certificate], _base_url())[0]
    db.session.commit()  # end the read transaction before rendering
    return _download(job.render(), job.filename, "application/pdf")


@bp.get("/sertifikat/<int:certificate_id>/open-badge.json")
def download_assertion(certificate_id: int):
    certificate = _viewable(certificate_id)
    return _json_ld(badges.assertion(certificate, _base_url()), "open-badge-" + documents.file_name(certificate, "json"))


# --- staff: one wave's certificates ------------------------------------------------------


@bp.get("/gelombang/<int:wave_id>/sertifikat")
@staff_required
def wave_list(wave_id: int):
    wave = _managed_wave(wave_id)
    certificates = services.of_wave(wave)
    return render_template(
        "certificates/wave.html",
        wave=wave,
        certificates=certificates,
        valid_count=sum(1 for c in certificates if c.valid),
        pending=services.pending(wave, utcnow()),
        can_revoke=current_user.is_admin,
    )


@bp.route("/gelombang/<int:wave_id>/sertifikat/terbitkan", methods=["GET", "POST"])
@staff_required
def issue(wave_id: int):
    wave = _managed_wave(wave_id)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        created = services.issue_wave(wave, current_user, utcnow())
        db.session.commit()
        if created:
            flash(_("%(n)d sertifikat diterbitkan.", n=len(created)), "success")
        else:
            flash(_("Tidak ada sertifikat baru: semua peserta yang lulus sudah memilikinya."), "info")
        return redirect(url_for("certificates.wave_list", wave_id=wave.id))
    return render_template("certificates/issue.html", wave=wave, people=services.pending(wave, utcnow()), form=form)


@bp.get("/gelombang/<int:wave_id>/sertifikat.zip")
@staff_required
def wave_zip(wave_id: int):
    wave = _managed_wave(wave_id)
    jobs = documents.pdf_jobs(services.of_wave(wave, valid_only=True), _base_url())
    code = wave.code
    db.session.commit()  # end the read transaction: rendering takes a while
    # Written to a temporary file, not memory: a wave's PDFs held in a BytesIO raised
    # a worker's resident memory for good (docs/performance.md). The PDFs' streams are
    # compressed already, so the archive stores them as they are.
    archive_file = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_STORED) as archive:
        for job in jobs:
            archive.writestr(job.filename, job.render())
    archive_file.seek(0)
    return send_file(archive_file, mimetype="application/zip", as_attachment=True,
                     download_name=f"sertifikat-{code}.zip", max_age=0)


@bp.get("/gelombang/<int:wave_id>/sertifikat/daftar")
@staff_required
def wave_print(wave_id: int):
    wave = _managed_wave(wave_id)
    return render_template("certificates/print.html", wave=wave, certificates=services.of_wave(wave), now=utcnow())


# --- admin: revoke and re-issue ----------------------------------------------------------------


@bp.route("/admin/sertifikat/<int:certificate_id>/cabut", methods=["GET", "POST"])
@admin_required
def revoke(certificate_id: int):
    certificate = services.get(certificate_id) or abort(404)
    if not certificate.valid:
        flash(_("Sertifikat ini sudah dicabut."), "info")
        return redirect(url_for("certificates.wave_list", wave_id=certificate.wave_id))
    form = forms.RevokeForm()
    if form.validate_on_submit():
        try:
            if form.reissue.data:
                new = services.reissue(certificate, current_user, form.reason.data, utcnow())
            else:
                services.revoke(certificate, current_user, form.reason.data, utcnow())
                new = None
        except services.CertificateError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) if error.field else None
            if target is not None:
                target.errors = list(target.errors) + [error.message]
            else:
                flash(error.message, "error")
        else:
            wave_id = certificate.wave_id
            serial = certificate.serial
            new_serial = new.serial if new else None
            db.session.commit()
            if new_serial:
                flash(_("Sertifikat %(old)s dicabut; penggantinya %(new)s.", old=serial, new=new_serial), "success")
            else:
                flash(_("Sertifikat %(serial)s dicabut.", serial=serial), "success")
            return redirect(url_for("certificates.wave_list", wave_id=wave_id))
    return render_template("certificates/revoke.html", certificate=certificate, form=form)


# --- admin: the design ------------------------------------------------------------------------------


def _design_form(row):
    form = forms.DesignForm()
    if request.method == "GET":
        source = documents.pdf_design(row)
        for name in ("heading", "heading_en", "awarded", "awarded_en", "body", "body_en", "issuer_name", "issuer_title", "place"):
            getattr(form, name).data = getattr(source, name)
    return form


def _design_data(form) -> documents.DesignData:
    return documents.DesignData(
        heading=form.heading.data, heading_en=form.heading_en.data, awarded=form.awarded.data,
        awarded_en=form.awarded_en.data, body=form.body.data, body_en=form.body_en.data,
        issuer_name=form.issuer_name.data, issuer_title=form.issuer_title.data, place=form.place.data,
        signature=form.signature.upload(), logo=form.logo.upload(),
        remove_signature=form.remove_signature.data, remove_logo=form.remove_logo.data,
    )


@bp.route("/admin/sertifikat/templat", methods=["GET", "POST"])
@admin_required
def design():
    row = services.current_design()
    form = _design_form(row)
    if form.validate_on_submit():
        preview = request.form.get("action") == "preview"
        try:
            if preview:
                draft = documents.build_design(_design_data(form), row)
            else:
                documents.save_design(_design_data(form), current_user, utcnow())
        except services.CertificateError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) if error.field else None
            if target is not None:
                target.errors = list(target.errors) + [error.message]
            else:
                flash(error.message, "error")
        else:
            if preview:  # the unsaved form as a PDF; nothing is stored
                design = documents.pdf_design(draft)
                db.session.rollback()
                return _preview_pdf(design)
            db.session.commit()
            flash(_("Templat sertifikat disimpan. Sertifikat yang terbit mulai sekarang memakainya."), "success")
            return redirect(url_for("certificates.design"))
    return render_template(
        "certificates/design.html",
        form=form,
        row=row,
        has_signature=bool(row and row.signature_png),
        has_logo=bool(row and row.logo_png),
    )


def _preview_pdf(design) -> Response:
    content = documents.sample_content(_base_url(), services.local_date(utcnow()))
    response = Response(pdf.render(content, design), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="pratinjau-sertifikat.pdf"'
    return response


@bp.get("/admin/sertifikat/templat/pratinjau.pdf")
@admin_required
def design_preview():
    design = documents.pdf_design(services.current_design())
    db.session.commit()
    return _preview_pdf(design)


# --- public: verification and Open Badges ---------------------------------------------------------


@bp.get("/verify/<code>")
@public
@public_lookup_limit
def verify(code: str):
    certificate = services.by_code(code) or abort(404)
    base = _base_url()
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        signatory=documents.signatory(certificate),
        assertion_url=badges.assertion_url(base, certificate.code),
        verify_url=services.verify_url(base, certificate.code),
    )


@bp.get("/verify")
@public
@public_lookup_limit
def lookup():
    raw = request.args.get("serial")
    if raw is None:
        return render_template("certificates/lookup.html", serial="", not_found=False)
    certificate = services.by_serial(raw)
    if certificate is not None:
        return redirect(url_for("certificates.verify", code=certificate.code))
    return render_template("certificates/lookup.html", serial=raw[:60], not_found=True), 404


@bp.get("/badges/assertions/<code>.json")
@public
@public_lookup_limit
def assertion(code: str):
    certificate = services.by_code(code) or abort(404)
    return _json_ld(badges.assertion(certificate, _base_url()))


@bp.get("/badges/classes/<code>.json")
@public
def badge_class(code: str):
    wave = waves.find_wave_by_code(code) if len(code) <= 12 else None
    if wave is None or wave.code != code:
        abort(404)
    return _json_ld(badges.badge_class(wave, _base_url()))


@bp.get("/badges/issuer.json")
@public
def issuer():
    return _json_ld(badges.issuer_profile(_base_url(), current_app.config.get("LMS_ISSUER_URL", badges.ISSUER_URL)))
