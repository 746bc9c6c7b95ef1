"""Revocation by an admin (reason, confirmation, audit) and re-issue with a new serial and code."""
from __future__ import annotations

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.extensions import db

from .conftest import login_as, text_of


def _rows(app):
    with app.app_context():
        rows = list(db.session.scalars(db.select(Certificate).order_by(Certificate.id)))
        db.session.expunge_all()
        return rows


def test_revoke_needs_reason_and_confirmation(app, setting, graduate, issue):
    cid, _code, serial = issue(setting.wave, graduate())
    client, actions = login_as(app, setting.admin)
    page = text_of(client.get(f"/admin/sertifikat/{cid}/cabut"))
    assert serial in page
    html = text_of(actions.post(f"/admin/sertifikat/{cid}/cabut", {"reason": "", "confirm": "y"}))
    assert "Tulis alasan pencabutan." in html
    html = text_of(actions.post(f"/admin/sertifikat/{cid}/cabut", {"reason": "Salah terbit"}))
    assert "Centang untuk mengonfirmasi pencabutan." in html
    assert all(row.revoked_at is None for row in _rows(app))
    assert client.post(f"/admin/sertifikat/{cid}/cabut", data={"reason": "x", "confirm": "y"}).status_code == 400  # no CSRF
    response = actions.post(f"/admin/sertifikat/{cid}/cabut", {"reason": "  Salah   terbit ", "confirm": "y"})
    assert response.status_code == 302
    [row] = _rows(app)
    assert row.revoked_at is not None and row.revoked_by == setting.admin.id and row.revoke_reason == "Salah terbit"
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
        assert event.actor_id == setting.admin.id and event.target_id == cid and event.detail["serial"] == serial


def test_only_admins_revoke(app, setting, graduate, issue):
    trainee = graduate()
    cid, _code, _serial = issue(setting.wave, trainee)
    for person in (setting.trainer, trainee):
        client, actions = login_as(app, person)
        assert client.get(f"/admin/sertifikat/{cid}/cabut").status_code == 403
        assert actions.post(f"/admin/sertifikat/{cid}/cabut", {"reason": "x", "confirm": "y"}).status_code == 403
    assert _rows(app)[0].revoked_at is None


def test_reissue_after_a_mistake_keeps_the_old_one_revoked(app, client, setting, graduate, issue):
    trainee = graduate("Ni Luh Putu Ayu Dewi")
    cid, old_code, old_serial = issue(setting.wave, trainee)
    with app.app_context():  # the admin corrects the name first
        db.session.get(User, trainee.id).name = "Ni Luh Putu Ayu Déwi"
        db.session.commit()
    _c, actions = login_as(app, setting.admin)
    actions.post(f"/admin/sertifikat/{cid}/cabut", {"reason": "Nama salah tulis", "confirm": "y", "reissue": "y"})
    old, new = _rows(app)
    assert old.id == cid and old.revoked_at is not None and old.name == "Ni Luh Putu Ayu Dewi"
    assert new.revoked_at is None and new.name == "Ni Luh Putu Ayu Déwi"
    assert new.serial != old_serial and new.serial.endswith("/0002")
    assert new.code != old_code and new.issued_by == setting.admin.id
    assert "Dicabut" in text_of(client.get(f"/verify/{old_code}"))
    assert "Sertifikat ini asli dan masih berlaku" in text_of(client.get(f"/verify/{new.code}"))
