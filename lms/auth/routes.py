from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from lms.agencies import services as agencies
from lms.auth import forms, passwords, services
from lms.core.access import public
from lms.auth.session_loader import mark_seen
from lms.core.db import begin_read, begin_write, utcnow
from lms.core.i18n import SESSION_KEY as LANG_KEY
from lms.core.urls import safe_next
from lms.extensions import db, limiter

bp = Blueprint("auth", __name__)

GENERIC_LOGIN_FAILURE = _l("Nomor HP/email atau kata sandi tidak cocok. Setelah 10 kali gagal, akun dikunci 15 menit.")


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
        begin_write()
        token = services.record_login(candidate, ok, request.remote_addr, now)
        db.session.commit()
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
    return render_template("auth/change_password.html", form=form, forced=current_user.must_change_password)
