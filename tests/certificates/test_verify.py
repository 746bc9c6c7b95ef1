"""Public verification: valid, revoked, unknown; no personal data; noindex; serial lookup."""
from __future__ import annotations

from lms.auth.models import User
from lms.extensions import db

from .conftest import login_as, text_of


def _graduate_with_contacts(app, graduate):
    trainee = graduate("Ni Luh Putu Ayu Déwi", login="081234500004", kecamatan="kedungkandang")
    with app.app_context():
        db.session.get(User, trainee.id).email = "ayu.dewi@contoh.id"
        db.session.commit()
    return trainee


def test_valid_certificate_page_shows_the_facts_and_no_personal_data(app, client, setting, graduate, issue):
    trainee = _graduate_with_contacts(app, graduate)
    _cid, code, serial = issue(setting.wave, trainee)
    response = client.get(f"/verify/{code}")  # anonymous: nobody logs in to check a certificate
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    html = text_of(response)
    for fact in ("Sah", "Ni Luh Putu Ayu Déwi", "Pelatihan Influencer Kota Malang 2026", "Gelombang 3", serial,
                 "16 jam", "Diskominfo Kota Malang", "Kepala Dinas Komunikasi dan Informatika"):
        assert fact in html, fact
    for private in ("081234500004", "6281234500004", "ayu.dewi@contoh.id", "kedungkandang", "Kedungkandang"):
        assert private not in html, private
    assert "Dicabut —" not in html
    assert f'<link rel="alternate" type="application/ld+json" href="http://sinau.test/badges/assertions/{code}.json">' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_revoked_certificate_says_so_with_date_and_reason(app, client, setting, graduate, issue):
    trainee = graduate()
    cid, code, _serial = issue(setting.wave, trainee)
    _admin_client, actions = login_as(app, setting.admin)
    actions.post(f"/admin/sertifikat/{cid}/cabut", {"reason": "Nama salah tulis", "confirm": "y"})
    html = text_of(client.get(f"/verify/{code}"))
    assert "Dicabut" in html and "Nama salah tulis" in html
    assert "Sertifikat ini asli dan masih berlaku" not in html


def test_unknown_code_is_404_with_noindex(client):
    for code in ("Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4", "x", "a" * 200, "..%2F..%2Fetc"):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404, code
    assert client.get("/verify/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4").headers["X-Robots-Tag"].startswith("noindex")


def test_serial_from_paper_leads_to_the_verify_page(app, client, setting, graduate, issue):
    _cid, code, serial = issue(setting.wave, graduate())
    page = client.get("/verify")
    assert page.status_code == 200 and 'name="serial"' in page.get_data(as_text=True)
    typed = " " + serial.lower().replace("/", " / ") + " "  # as someone might type it off paper
    response = client.get("/verify", query_string={"serial": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{code}")
    missing = client.get("/verify", query_string={"serial": "SINAU/2026/G03/9999"})
    assert missing.status_code == 404
    assert "tidak ditemukan" in text_of(missing)


def test_revoked_pdf_is_not_handed_to_its_holder(app, setting, graduate, issue):
    trainee = graduate()
    cid, _code, _serial = issue(setting.wave, trainee)
    _c, actions = login_as(app, setting.admin)
    actions.post(f"/admin/sertifikat/{cid}/cabut", {"reason": "Salah terbit", "confirm": "y"})
    client, _ = login_as(app, trainee)
    assert client.get(f"/sertifikat/{cid}.pdf").status_code == 404
    assert "Dicabut" in text_of(client.get("/sertifikat"))
    staff, _ = login_as(app, setting.trainer)
    assert staff.get(f"/sertifikat/{cid}.pdf").status_code == 200
