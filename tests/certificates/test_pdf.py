"""The certificate PDF: the name survives as text, the QR code decodes to the verify URL."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date

import pytest

from lms.certificates.pdf import CertificateContent, CertificateDesign, fill, format_dates, render

CONTENT = CertificateContent(
    name="Ṣāliḥah Ni Luh Putu Ayu Déwi",
    programme="Pelatihan Influencer Kota Malang 2026",
    wave="Gelombang 3",
    stage=1,
    starts_on=date(2026, 3, 22),
    ends_on=date(2026, 3, 23),
    hours=16,
    serial="SINAU/2026/G03/0047",
    verify_url="http://sinau.test/verify/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA",
    issued_on=date(2026, 3, 24),
)


def _tool(name):
    path = shutil.which(name)
    if path is None:
        if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{name} is required in CI")
        pytest.skip(f"{name} not installed")
    return path


def test_pdf_contains_the_exact_name_and_serial(tmp_path):
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(render(CONTENT, CertificateDesign()))
    text = " ".join(subprocess.run([_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Ṣāliḥah Ni Luh Putu Ayu Déwi" in text
    assert "SINAU/2026/G03/0047" in text
    assert "22–23 Maret 2026" in text
    assert "22–23 March 2026" in text  # the English line


def test_qr_code_decodes_to_verify_url(tmp_path):
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(render(CONTENT, CertificateDesign()))
    subprocess.run([_tool("pdftoppm"), "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    out = subprocess.run([_tool("zbarimg"), "-q", "--raw", str(png)], capture_output=True, text=True).stdout
    assert out.strip() == CONTENT.verify_url


def test_pdf_is_a4_landscape():
    data = render(CONTENT, CertificateDesign())
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [0 0 841.89 595.28]" in data


def test_admin_text_is_not_a_format_string():
    design = CertificateDesign(body="{programme} {__class__} {0} {wave.__dict__}")
    assert fill(design.body, CONTENT, "id") == "Pelatihan Influencer Kota Malang 2026 {__class__} {0} {wave.__dict__}"


def test_date_ranges_in_indonesian():
    assert format_dates(date(2026, 3, 22), date(2026, 3, 22), "id") == "22 Maret 2026"
    assert format_dates(date(2026, 3, 30), date(2026, 4, 2), "id") == "30 Maret 2026 – 2 April 2026"
