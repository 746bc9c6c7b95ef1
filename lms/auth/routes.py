from __future__ import annotations

import io
import time

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from lms.agencies import services as agencies
from lms.auth import forms, passwords, services, totp, two_factor
from lms.auth.models import User
from lms.auth.session_loader import mark_seen
from lms.core.access import public
from lms.core.db import begin_read, begin_write, utcnow
from lms.core.forms import EmptyForm
from lms.core.i18n import SESSION_KEY as LANG_KEY
from lms.core.urls import safe_next
from lms.extensions import db, limiter

bp = Blueprint("auth", __name__)

GENERIC_LOGIN_FAILURE = _l("Nomor HP/email atau kata sandi tidak cocok. Setelah 10 kali gagal, akun dikunci 15 menit.")
CODE_FAILURE = _l("Kode tidak cocok atau sudah dipakai. Ketik kode yang sedang tampil di aplikasi. Setelah 10 kali gagal, akun dikunci 15 menit.")
# Between a right password and the code: who, since when, where to go after. Signed
# (Flask's session cookie), so it cannot be forged; it opens nothing by itself.
PENDING_KEY = "second_step"
PENDING_SECONDS = 300
ISSUER = "Sinau Kota Malang"


def _start_session(user, token: str) -> None:
    lang = session.get(LANG_KEY)
    session.clear()  # a fresh session at login: nothing carried over but the language
    session[LANG_KEY] = user.locale or lang or current_app.config["BABEL_DEFAULT_LOCALE"]
    user._session_token = token
    mark_seen()
    login_user(user)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _register_limit() -> str:
    return current_app.config["RATELIMIT_REGISTER"]


@bp.route("/masuk", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = forms.LoginForm()
    if form.validate_on_submit():
        now = utcnow()
        begin_read()  # look up, then check the hash, holding no write lock
        candidate = services.login_candidate(
            form.login.data, now, current_app.config["LOCKOUT_THRESHOLD"], current_app.config["LOCKOUT_WINDOW"]
        )
        ok = services.check_credentials(candidate, form.password.data)
        second_step = ok and two_factor.two_factor_enabled(candidate.user)
        begin_write()
        token = services.record_login(candidate, ok, request.remote_addr, now, second_step=second_step)
        db.session.commit()
        if second_step:
            current_app.logger.info("login password ok, code needed user=%s ip=%s", candidate.user.id, request.remote_addr)
            session[PENDING_KEY] = {"uid": candidate.user.id, "at": time.time(), "next": request.args.get("next")}
            return redirect(url_for("auth.second_step"))
        if ok and token:
            current_app.logger.info("login success user=%s ip=%s", candidate.user.id, request.remote_addr)
            _start_session(candidate.user, token)
            return redirect(safe_next(request.args.get("next")) or url_for("site.home"))
        current_app.logger.info(
            "login failure user=%s ip=%s locked=%s",
            candidate.user.id if candidate.user else None, request.remote_addr, candidate.locked,
        )
        form.password.errors.append(GENERIC_LOGIN_FAILURE)
    return render_template("auth/login.html", form=form)


@bp.route("/masuk/kode", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def second_step():
    """The code from the authenticator app, after a right password."""
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    pending = session.get(PENDING_KEY) or {}
    if not pending.get("uid") or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        flash(_("Waktu untuk memasukkan kode sudah habis. Silakan masuk lagi."), "info")
        return redirect(url_for("auth.login"))
    form = forms.LoginCodeForm()
    if form.validate_on_submit():
        now = utcnow()
        begin_write()  # checking the code spends it: one transaction, the row locked
        user = db.session.get(User, pending["uid"])
        if user is None:
            abort(404)
        used, token = two_factor.complete_login(user, form.code.data, request.remote_addr, now,
                                                current_app.config["LOCKOUT_THRESHOLD"], current_app.config["LOCKOUT_WINDOW"])
        db.session.commit()
        if used is not None and token:
            current_app.logger.info("login success user=%s ip=%s second_step=%s", user.id, request.remote_addr, used)
            session.pop(PENDING_KEY, None)
            _start_session(user, token)
            if used == two_factor.RECOVERY:
                flash(_("Anda masuk dengan kode cadangan. Sisa kode cadangan: %(n)d. Atur ulang aplikasi autentikator bila HP Anda hilang.",
                        n=two_factor.recovery_codes_left(user)), "info")
            return redirect(safe_next(pending.get("next")) or url_for("site.home"))
        current_app.logger.info("login code failure user=%s ip=%s", user.id, request.remote_addr)
        form.code.errors.append(CODE_FAILURE)
    return render_template("auth/second_step.html", form=form)


@bp.route("/daftar", methods=["GET", "POST"])
@public
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    begin_read()
    form = forms.RegisterForm(agencies.active_agencies())
    if form.validate_on_submit():
        account = services.NewAccount(
            name=form.name.data,
            password=form.password.data,
            phone=form.phone.data or None,
            email=form.email.data or None,
            kecamatan=form.kecamatan.data,
            birth_year=form.birth_year.data,
            agency_id=form.agency_id.data or None,
            consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
            locale=session.get(LANG_KEY, "id"),
        )
        try:
            password_hash = services.prepare_password(account)
            begin_write()
            user = services.create_user(account, password_hash, utcnow())
            token = services.open_session(user, utcnow())
            db.session.commit()
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            _start_session(user, token)
            flash(_("Selamat datang di Sinau, %(name)s!", name=user.name), "success")
            return redirect(url_for("site.home"))
    return render_template("auth/register.html", form=form)


@bp.post("/keluar")
def logout():
    services.close_session(current_user.get_id(), utcnow())
    db.session.commit()
    lang = session.get(LANG_KEY)
    logout_user()
    session.clear()
    if lang:
        session[LANG_KEY] = lang
    flash(_("Anda sudah keluar. Sampai jumpa!"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        begin_read()
        errors = []
        if not passwords.verify(user.password_hash, form.current.data):
            form.current.errors.append(_("Kata sandi saat ini salah."))
        else:
            errors = passwords.policy_errors(form.new.data, (user.name, user.phone or "", user.email or ""))
            if form.new.data == form.current.data:
                errors = [_("Kata sandi baru harus berbeda dari yang lama.")]
            form.new.errors.extend(errors)
        if not form.current.errors and not errors:
            new_hash = passwords.hash_password(form.new.data)
            begin_write()
            token = services.change_password(user, new_hash, utcnow())
            db.session.commit()
            _start_session(user, token)
            flash(_("Kata sandi sudah diganti. Perangkat lain otomatis keluar."), "success")
            return redirect(url_for("site.home"))
    return render_template("auth/change_password.html", form=form, forced=current_user.must_change_password,
                           offers_two_factor=two_factor.may_use_two_factor(current_user))


# --- two-step login: staff set up an authenticator app -------------------------


def _staff_only() -> User:
    """Staff; or anyone who still has an authenticator from when they were staff
    (so they can switch it off themselves)."""
    user = current_user._get_current_object()
    if not (two_factor.may_use_two_factor(user) or two_factor.two_factor_of(user) is not None):
        abort(404)
    return user


def _security_page(user: User, disable_form: forms.DisableTwoFactorForm) -> str:
    credential = two_factor.two_factor_of(user)
    return render_template(
        "auth/security.html", credential=credential, start_form=EmptyForm(), disable_form=disable_form,
        recovery_left=len(credential.recovery_hashes) if credential else 0,
    )


@bp.get("/akun/keamanan")
def security():
    return _security_page(_staff_only(), forms.DisableTwoFactorForm())


@bp.post("/akun/keamanan/aktifkan")
def start_two_factor():
    user = _staff_only()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        two_factor.start_two_factor(user, utcnow())
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error.message), "info")
        return redirect(url_for("auth.security"))
    db.session.commit()
    return redirect(url_for("auth.setup_two_factor"))


@bp.route("/akun/keamanan/atur", methods=["GET", "POST"])
def setup_two_factor():
    user = _staff_only()
    credential = two_factor.pending_two_factor(user)
    if credential is None:
        return redirect(url_for("auth.security"))
    form = forms.CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_two_factor(user, form.code.data, utcnow())
        except services.AccountError as error:
            db.session.rollback()
            form.code.errors.append(error.message)
        else:
            db.session.commit()
            # Shown once, in this response only (logged-in pages are never cached).
            return render_template("auth/recovery_codes.html", codes=codes)
    return render_template("auth/two_factor_setup.html", form=form, secret=totp.grouped(credential.secret))


@bp.get("/akun/keamanan/atur/qr.svg")
def two_factor_qr():
    """The QR code of the setup in progress, as an image (never cached: it holds the secret)."""
    user = _staff_only()
    credential = two_factor.pending_two_factor(user)
    if credential is None:
        abort(404)
    uri = totp.provisioning_uri(credential.secret, user.login, ISSUER)
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    response = current_app.response_class(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/akun/keamanan/matikan")
def disable_two_factor():
    user = _staff_only()
    form = forms.DisableTwoFactorForm()
    if form.validate_on_submit():
        begin_read()
        if passwords.verify(user.password_hash, form.password.data):
            begin_write()
            two_factor.disable_two_factor(user, user, utcnow())
            db.session.commit()
            flash(_("Verifikasi dua langkah sudah dimatikan. Masuk kini cukup dengan kata sandi."), "success")
            return redirect(url_for("auth.security"))
        form.password.errors.append(_("Kata sandi saat ini salah."))
    return _security_page(user, form), 400
