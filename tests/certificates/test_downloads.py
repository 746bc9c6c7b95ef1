"""The PDF (name as text, QR to the verify page), who may download it, the wave's ZIP and printable list."""
from __future__ import annotations

import io
import subprocess
import zipfile

from .conftest import login_as, text_of, tool

NAME = "Ṣāliḥah Ni Luh Putu Ayu Déwi"


def _pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    out = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def _qr(tmp_path, data: bytes) -> str:
    path = tmp_path / "q.pdf"
    path.write_bytes(data)
    subprocess.run([tool("pdftoppm"), "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    return subprocess.run([tool("zbarimg"), "-q", "--raw", str(png)], capture_output=True, text=True).stdout.strip()


def test_owner_downloads_a_pdf_with_the_exact_name_and_a_qr_to_verify(app, tmp_path, setting, graduate, issue):
    trainee = graduate(NAME)
    cid, code, serial = issue(setting.wave, trainee)
    client, _ = login_as(app, trainee)
    response = client.get(f"/sertifikat/{cid}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{serial.replace("/", "-")}.pdf"'
    data = response.get_data()
    assert data.startswith(b"%PDF")
    text = _pdf_text(tmp_path, data)
    assert NAME in text and "Ni Luh Putu Ayu Déwi" in text and "Ṣāliḥah" in text
    assert serial in text
    assert "Gelombang 3" in text and "16 jam" in text
    url = _qr(tmp_path, data)
    assert url == f"http://sinau.test/verify/{code}"
    assert client.get(url.removeprefix("http://sinau.test")).status_code == 200


def test_trainers_of_the_wave_and_admins_download_others_get_404(app, setting, graduate, issue, make_user, make_wave):
    owner = graduate()
    cid, _code, _serial = issue(setting.wave, owner)
    for person in (setting.trainer, setting.admin):
        client, _ = login_as(app, person)
        assert client.get(f"/sertifikat/{cid}.pdf").status_code == 200
        assert client.get(f"/sertifikat/{cid}/open-badge.json").status_code == 200
    other_trainer = make_user(role="trainer")
    make_wave(trainers=[other_trainer], code="G09")
    for person in (make_user(), other_trainer):
        client, _ = login_as(app, person)
        assert client.get(f"/sertifikat/{cid}.pdf").status_code == 404
        assert client.get(f"/sertifikat/{cid}/open-badge.json").status_code == 404
        assert client.get(f"/sertifikat/{cid + 1000}.pdf").status_code == 404


def test_a_trainee_sees_only_their_own_certificates(app, setting, graduate, issue):
    a, b = graduate("Bu Sri Sukun"), graduate("Pak Anwar Blimbing")
    issue(setting.wave, a)
    _cid, _code, serial_b = issue(setting.wave, b)
    client, _ = login_as(app, a)
    html = text_of(client.get("/sertifikat"))
    assert "Bu Sri Sukun" in html and serial_b not in html


def test_zip_has_one_pdf_per_certified_trainee(app, setting, graduate, issue, enrol, make_user):
    serials = [issue(setting.wave, graduate(f"Peserta {i}"))[2] for i in range(3)]
    enrol(setting.wave, make_user(name="Belum Lulus"))
    client, _ = login_as(app, setting.trainer)
    with client.get(f"/gelombang/{setting.wave.id}/sertifikat.zip") as response:  # closes the temporary file
        assert response.status_code == 200 and response.mimetype == "application/zip"
        assert response.headers["Content-Disposition"] == "attachment; filename=sertifikat-G03.zip"
        data = response.get_data()
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == sorted(s.replace("/", "-") + ".pdf" for s in serials)
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def test_printable_list_of_serials(app, setting, graduate, issue):
    serials = [issue(setting.wave, graduate(f"Peserta {i}"))[2] for i in range(2)]
    client, _ = login_as(app, setting.trainer)
    html = text_of(client.get(f"/gelombang/{setting.wave.id}/sertifikat/daftar"))
    assert all(s in html for s in serials)
    assert 'class="sheet-table"' in html and 'class="no-print"' in html  # @media print in sinau.css
    page = text_of(client.get(f"/gelombang/{setting.wave.id}/sertifikat"))
    assert all(s in page for s in serials)


def test_trainer_of_another_wave_gets_404_on_bulk_pages(app, setting, graduate, issue, make_user, make_wave):
    issue(setting.wave, graduate())
    stranger = make_user(role="trainer")
    make_wave(trainers=[stranger], code="G09")
    client, _ = login_as(app, stranger)
    for suffix in ("", "/terbitkan", "/daftar"):
        assert client.get(f"/gelombang/{setting.wave.id}/sertifikat{suffix}").status_code == 404, suffix
    assert client.get(f"/gelombang/{setting.wave.id}/sertifikat.zip").status_code == 404
    trainee_client, _ = login_as(app, make_user())
    assert trainee_client.get(f"/gelombang/{setting.wave.id}/sertifikat.zip").status_code == 403


def test_my_certificates_is_in_the_menu(app, make_user):
    client, _ = login_as(app, make_user())
    html = client.get("/beranda").get_data(as_text=True)
    assert 'href="/sertifikat">Sertifikat saya<' in html
