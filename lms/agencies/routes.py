from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.agencies import forms, services
from lms.audit import services as audit
from lms.core.access import admin_required
from lms.core.db import utcnow
from lms.core.forms import EmptyForm
from lms.extensions import db

bp = Blueprint("agencies", __name__, url_prefix="/admin/opd")


@bp.get("/")
@admin_required
def index():
    return render_template(
        "agencies/index.html", agencies=services.all_agencies(), kinds=forms.KIND_LABELS, form=EmptyForm()
    )


@bp.route("/baru", methods=["GET", "POST"])
@bp.route("/<int:agency_id>", methods=["GET", "POST"])
@admin_required
def edit(agency_id: int | None = None):
    agency = None
    if agency_id is not None:
        agency = services.get(agency_id) or abort(404)
    form = forms.AgencyForm(obj=agency)
    if form.validate_on_submit():
        try:
            saved = services.save(agency, form.abbreviation.data, form.name.data, form.kind.data)
        except services.AgencyError:
            db.session.rollback()
            form.abbreviation.errors.append(_("Singkatan ini sudah dipakai perangkat daerah lain."))
        else:
            audit.record(current_user, "agency.saved", "agency", saved.id, utcnow(), abbreviation=saved.abbreviation)
            db.session.commit()
            flash(_("Perangkat daerah %(name)s tersimpan.", name=saved.abbreviation), "success")
            return redirect(url_for("agencies.index"))
    return render_template("agencies/edit.html", form=form, agency=agency)


@bp.post("/<int:agency_id>/status")
@admin_required
def set_status(agency_id: int):
    agency = services.get(agency_id) or abort(404)
    active = request.form.get("active") == "1"
    services.set_active(agency, active)
    audit.record(current_user, "agency.activate" if active else "agency.deactivate", "agency", agency.id, utcnow())
    db.session.commit()
    return redirect(url_for("agencies.index"))
