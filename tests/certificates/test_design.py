"""The certificate design an admin adjusts without code, with a preview PDF."""
from __future__ import annotations

import io
import subprocess

from PIL import Image

from lms.certificates.models import Certificate, CertificateDesign
from lms.extensions import db

from .conftest import login_as, text_of, tool

FIELDS = {
    "heading": "SERTIFIKAT KELULUSAN",
    "heading_en": "Certificate of Completion",
    "awarded": "diberikan kepada",
    "awarded_en": "awarded to",
    "body": "telah menyelesaikan {programme}, {wave}, {dates}, {hours} jam pelajaran.",
    "body_en": "for completing {programme}, {wave}, {dates}, {hours} hours.",
    "issuer_name": "Drs. Budi Santoso, M.Si.",
    "issuer_title": "Kepala Diskominfo Kota Malang",
    "place": "Malang",
}


def _png(fmt="PNG", size=(300, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 20, 90)).save(out, format=fmt)
    return out.getvalue()


def _pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    return " ".join(subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


def test_admin_saves_a_design_with_images_and_new_certificates_use_it(app, tmp_path, setting, graduate, issue):
    old_cid, _c, _s = issue(setting.wave, graduate("Peserta Lama"))
    client, actions = login_as(app, setting.admin)
    assert client.get("/admin/sertifikat/templat").status_code == 200
    data = {**FIELDS, "signature": (io.BytesIO(_png("JPEG")), "ttd.jpg"), "logo": (io.BytesIO(_png()), "logo.png")}
    response = actions.post("/admin/sertifikat/templat", data, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(db.select(CertificateDesign))
        assert row.issuer_name == "Drs. Budi Santoso, M.Si."
        assert row.signature_png.startswith(b"\x89PNG") and row.logo_png.startswith(b"\x89PNG")  # re-encoded
    preview = client.get("/admin/sertifikat/templat/pratinjau.pdf")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert "Drs. Budi Santoso, M.Si." in _pdf_text(tmp_path, preview.get_data())
    new_cid, _c, _s = issue(setting.wave, graduate("Peserta Baru"))
    new_pdf = _pdf_text(tmp_path, client.get(f"/sertifikat/{new_cid}.pdf").get_data())
    old_pdf = _pdf_text(tmp_path, client.get(f"/sertifikat/{old_cid}.pdf").get_data())
    assert "SERTIFIKAT KELULUSAN" in new_pdf and "Drs. Budi Santoso" in new_pdf
    assert "SERTIFIKAT KELULUSAN" not in old_pdf  # issued before: keeps its design
    # Saving again without new images keeps them.
    actions.post("/admin/sertifikat/templat", {**FIELDS, "place": "Kota Malang"}, content_type="multipart/form-data")
    with app.app_context():
        latest = db.session.scalar(db.select(CertificateDesign).order_by(CertificateDesign.id.desc()).limit(1))
        assert latest.place == "Kota Malang" and latest.signature_png and latest.logo_png
        assert db.session.get(Certificate, new_cid).design_id != latest.id


def test_preview_of_unsaved_values(app, tmp_path, setting):
    _client, actions = login_as(app, setting.admin)
    response = actions.post("/admin/sertifikat/templat", {**FIELDS, "issuer_name": "Nama Pratinjau", "action": "preview"},
                            content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Nama Pratinjau" in _pdf_text(tmp_path, response.get_data())
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CertificateDesign.id))) == 0


def test_bad_uploads_and_unknown_placeholders_are_refused(app, setting):
    _client, actions = login_as(app, setting.admin)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, payload in (("x.svg", svg), ("x.png", b"\x89PNG\r\n\x1a\nnot really"), ("x.gif", _png("GIF"))):
        html = text_of(actions.post("/admin/sertifikat/templat", {**FIELDS, "signature": (io.BytesIO(payload), name)},
                                    content_type="multipart/form-data"))
        assert "PNG atau JPEG" in html, name
    html = text_of(actions.post("/admin/sertifikat/templat", {**FIELDS, "body": "lulus {name} {__class__}"},
                                content_type="multipart/form-data"))
    assert "Penanda {name}, {__class__} tidak dikenal" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CertificateDesign.id))) == 0


def test_design_is_admin_only(app, setting):
    client, actions = login_as(app, setting.trainer)
    assert client.get("/admin/sertifikat/templat").status_code == 403
    assert client.get("/admin/sertifikat/templat/pratinjau.pdf").status_code == 403
    assert actions.post("/admin/sertifikat/templat", FIELDS).status_code == 403
