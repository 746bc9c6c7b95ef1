"""Open Badges 2.0: hosted Assertion, BadgeClass and Issuer, with absolute ids."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PIL import Image

from lms.certificates.models import Certificate
from lms.extensions import db

from .conftest import login_as

OB2 = "https://w3id.org/openbadges/v2"
ROOT = Path(__file__).resolve().parent.parent.parent


def _json(response):
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    return json.loads(response.get_data(as_text=True))


def test_assertion_has_the_required_fields_and_never_the_phone(app, client, setting, graduate, issue):
    trainee = graduate(login="081234500004")
    _cid, code, _serial = issue(setting.wave, trainee)
    doc = _json(client.get(f"/badges/assertions/{code}.json"))
    assert doc["@context"] == OB2
    assert doc["type"] == "Assertion"
    assert doc["id"] == f"http://sinau.test/badges/assertions/{code}.json"
    assert doc["badge"] == "http://sinau.test/badges/classes/G03.json"
    assert doc["verification"] == {"type": "hosted"}
    assert doc["issuedOn"].endswith("Z") and "T" in doc["issuedOn"]
    recipient = doc["recipient"]
    # A phone-only trainee is identified by the certificate's public page, not by a
    # hash of the phone number (~10^10 numbers: reversible by trying them all).
    assert recipient["type"] == "url" and recipient["hashed"] is True
    page = f"http://sinau.test/verify/{code}"
    assert recipient["identity"] == "sha256$" + hashlib.sha256((page + recipient["salt"]).encode()).hexdigest()
    phone_hash = hashlib.sha256(("+6281234500004" + recipient["salt"]).encode()).hexdigest()
    assert "6281234500004" not in json.dumps(doc) and phone_hash not in json.dumps(doc)
    with app.app_context():
        stored = db.session.scalar(db.select(Certificate).where(Certificate.code == code))
        assert stored.recipient_type == "url" and stored.recipient_identity == ""
    assert "revoked" not in doc


def test_certificates_issued_with_a_phone_hash_are_served_without_it(app, client, setting, graduate, issue):
    """Rows from before migration 0016 (or restored from an old backup) still carry the phone's hash."""
    _cid, code, _serial = issue(setting.wave, graduate(login="081234500004"))
    with app.app_context():
        stored = db.session.scalar(db.select(Certificate).where(Certificate.code == code))
        stored.recipient_type, stored.recipient_identity = "telephone", "sha256$" + "ab" * 32
        db.session.commit()
    recipient = _json(client.get(f"/badges/assertions/{code}.json"))["recipient"]
    assert recipient["type"] == "url" and "abab" not in recipient["identity"]


def test_email_only_trainee_gets_a_hashed_email(app, client, setting, graduate, issue):
    trainee = graduate(login="Ayu.Dewi@Contoh.id")
    _cid, code, _serial = issue(setting.wave, trainee)
    recipient = _json(client.get(f"/badges/assertions/{code}.json"))["recipient"]
    assert recipient["type"] == "email"
    assert recipient["identity"] == "sha256$" + hashlib.sha256(("ayu.dewi@contoh.id" + recipient["salt"]).encode()).hexdigest()


def test_revoked_assertion(app, client, setting, graduate, issue):
    cid, code, _serial = issue(setting.wave, graduate())
    _c, actions = login_as(app, setting.admin)
    actions.post(f"/admin/sertifikat/{cid}/cabut", {"reason": "Terbit ganda", "confirm": "y"})
    doc = _json(client.get(f"/badges/assertions/{code}.json"))
    assert doc["revoked"] is True and doc["revocationReason"] == "Terbit ganda"
    assert client.get("/badges/assertions/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4.json").status_code == 404


def test_badge_class_and_issuer(app, client, setting):
    badge = _json(client.get("/badges/classes/G03.json"))
    assert badge["@context"] == OB2 and badge["type"] == "BadgeClass"
    assert badge["id"] == "http://sinau.test/badges/classes/G03.json"
    assert badge["name"] == "Pelatihan Influencer Kota Malang 2026 — Gelombang 3"
    assert badge["description"] and badge["criteria"]["narrative"]
    assert "kuis" in badge["criteria"]["narrative"]
    assert badge["issuer"] == "http://sinau.test/badges/issuer.json"
    assert badge["image"] == "http://sinau.test/static/badges/sinau-badge.png"
    image = client.get(badge["image"].removeprefix("http://sinau.test"))
    assert image.status_code == 200 and image.mimetype == "image/png"
    image.close()
    with Image.open(ROOT / "static/badges/sinau-badge.png") as png:
        assert png.format == "PNG" and png.size == (512, 512)
    issuer = _json(client.get("/badges/issuer.json"))
    assert issuer["@context"] == OB2 and issuer["type"] == "Issuer"
    assert issuer["id"] == "http://sinau.test/badges/issuer.json"
    assert issuer["name"] == "Diskominfo Kota Malang"
    assert issuer["url"].startswith("https://")
    assert client.get("/badges/classes/NOPE.json").status_code == 404
    assert client.get("/badges/classes/g03.json").status_code == 404  # codes are exact


def test_trainee_downloads_their_assertion_as_a_file(app, setting, graduate, issue):
    trainee = graduate()
    cid, code, serial = issue(setting.wave, trainee)
    client, _ = login_as(app, trainee)
    response = client.get(f"/sertifikat/{cid}/open-badge.json")
    doc = _json(response)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert serial.replace("/", "-") in response.headers["Content-Disposition"]
    assert doc["id"] == f"http://sinau.test/badges/assertions/{code}.json"
