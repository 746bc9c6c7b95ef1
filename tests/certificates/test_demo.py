"""The demo has a finished wave G00 whose trainee holds a valid certificate; running it twice adds nothing."""
from __future__ import annotations

import subprocess

from lms.certificates import documents
from lms.certificates.models import Certificate
from lms.core.db import utcnow
from lms.extensions import db
from lms.waves import services as waves

from .conftest import tool


def test_demo_certificate_is_valid_and_idempotent(app, client, course, tmp_path):
    from lms.demo import create_demo_data

    with app.app_context():
        create_demo_data(utcnow())
        db.session.commit()
        create_demo_data(utcnow())
        db.session.commit()
        wave = waves.find_wave_by_code("G00")
        assert wave.name == "Gelombang 0 — Uji Coba" and wave.track == "umum"
        today = waves.local_today(utcnow())
        assert wave.ends_on < today.replace(day=1) and (wave.ends_on.year, wave.ends_on.month) != (today.year, today.month)
        [certificate] = db.session.scalars(db.select(Certificate))
        assert certificate.name == "Ni Luh Putu Ayu Déwi" and certificate.user.phone == "+6281234500004"
        assert certificate.valid and certificate.issued_by is None
        assert certificate.modules and all(m["revision"] for m in certificate.modules)
        data = documents.render_pdf(certificate, app.config["LMS_BASE_URL"])
    pdf = tmp_path / "demo.pdf"
    pdf.write_bytes(data)
    subprocess.run([tool("pdftoppm"), "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    url = subprocess.run([tool("zbarimg"), "-q", "--raw", str(next(tmp_path.glob("page*.png")))],
                         capture_output=True, text=True).stdout.strip()
    assert url.startswith("http://sinau.test/verify/")
    page = client.get(url.removeprefix("http://sinau.test")).get_data(as_text=True)
    assert "Sah" in page and "Ni Luh Putu Ayu Déwi" in page
