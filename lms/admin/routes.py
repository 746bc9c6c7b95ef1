from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin import forms, services
from lms.audit import services as audit
from lms.auth import passwords
from lms.auth import services as accounts
from lms.auth import two_factor
from lms.auth.models import User
from lms.core.access import admin_required
from lms.core.db import begin_write, utcnow
from lms.core.forms import EmptyForm
from lms.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/pengguna")
@admin_required
def users():
    query = request.args.get("q", "")
    role = request.args.get("peran") or None
    if role not in (None, *forms.ROLE_LABELS):
        role = None
    page = services.search_users(query, role, request.args.get("hal", 1, type=int), current_app.config["USERS_PER_PAGE"])
    return render_template(
        "admin/users.html", page=page, query=query, role=role, role_labels=forms.ROLE_LABELS, form=EmptyForm()
    )


@bp.get("/pengguna/<int:user_id>")
@admin_required
def user_detail(user_id: int):
    user = _user_or_404(user_id)
    # Admins viewing personal data is itself recorded (UU PDP accountability).
    begin_write()
    audit.record(current_user, "user.viewed", "user", user.id, utcnow())
    db.session.commit()
    return render_template(
        "admin/user_detail.html",
        user=user,
        role_form=forms.RoleForm(role=user.role),
        form=EmptyForm(),
        role_labels=forms.ROLE_LABELS,
        is_self=user.id == current_user.id,
        two_factor=two_factor.two_factor_enabled(user),
    )


@bp.post("/pengguna/<int:user_id>/peran")
@admin_required
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = forms.RoleForm()
    if user.id == current_user.id:
        flash(_("Anda tidak bisa mengubah peran akun Anda sendiri."), "error")
    elif form.validate_on_submit():
        accounts.set_role(current_user, user, form.role.data, utcnow())
        db.session.commit()
        flash(_("Peran %(name)s sekarang: %(role)s.", name=user.name, role=forms.ROLE_LABELS[user.role]), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/pengguna/<int:user_id>/status")
@admin_required
def change_status(user_id: int):
    user = _user_or_404(user_id)
    activate = request.form.get("active") == "1"
    if user.id == current_user.id:
        flash(_("Anda tidak bisa menonaktifkan akun Anda sendiri."), "error")
    else:
        accounts.set_active(current_user, user, activate, utcnow())
        db.session.commit()
        flash(_("Akun diaktifkan kembali.") if activate else _("Akun dinonaktifkan. Datanya tetap tersimpan."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/pengguna/<int:user_id>/atur-ulang-sandi")
@admin_required
def reset_password(user_id: int):
    otp = accounts.generate_one_time_password()
    otp_hash = passwords.hash_password(otp)  # before the write transaction
    begin_write()
    user = _user_or_404(user_id)
    accounts.reset_password(current_user, user, otp_hash, utcnow())
    db.session.commit()
    return render_template("admin/one_time_password.html", user=user, otp=otp)


@bp.post("/pengguna/<int:user_id>/dua-langkah/matikan")
@admin_required
def reset_two_factor(user_id: int):
    """For a trainer who lost the phone and the recovery codes; audited."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = _user_or_404(user_id)
    if two_factor.disable_two_factor(current_user, user, utcnow()):
        db.session.commit()
        flash(_("Verifikasi dua langkah %(name)s sudah dimatikan.", name=user.name), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.get("/audit")
@admin_required
def audit_log():
    return render_template("admin/audit.html", events=audit.recent(200))
