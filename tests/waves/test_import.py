"""Bulk enrolment from a CSV: preview with per-row problems, then confirm."""
from __future__ import annotations

import io
import re

import pytest

from lms.auth.models import User
from lms.extensions import db
from lms.waves.models import Enrolment, EnrolmentImport

from ..conftest import AuthActions
from .conftest import login_as, text_of


@pytest.fixture
def seeded(app):
    from lms.agencies import services as agencies

    with app.app_context():
        agencies.seed()
        db.session.commit()


def _upload(auth, wave_id: int, content: bytes, filename: str = "peserta.csv"):
    return auth.post(
        f"/admin/gelombang/{wave_id}/impor",
        {"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(db.select(db.func.count(User.id))),
            db.session.scalar(db.select(db.func.count(Enrolment.id))),
        )


def _row(html: str, line: int) -> str:
    match = re.search(rf'<li id="baris-{line}"[^>]*>(.*?)</li>', html, re.S)
    assert match, f"no preview row for line {line}"
    return re.sub(r"\s+", " ", match.group(1))


def test_preview_reports_problems_and_saves_nothing(app, auth, seeded, make_wave, make_user, enrol):
    wave = make_wave(capacity=3)
    enrol(wave, make_user())  # two seats left
    existing = make_user(name="Bu Lama", login="081300001111")
    admin = make_user(role="admin")
    auth.login(admin.login_name)
    csv = (
        "\ufeffNama Lengkap;No. HP;E-mail;Kecamatan;OPD;Kepala OPD\n"
        "Siti Rahayu;0812-1111-2222;;Sukun;;tidak\n"          # 2 ok → seat
        "Budi Salah;12345;;Klojen;;\n"                        # 3 bad phone
        "Siti Lagi;+62 812 1111 2222;;Sukun;;\n"              # 4 duplicate of line 2
        "Pak Joko;081233334444;;Klojen;Dinas Antah Berantah;\n"  # 5 unknown agency
        "Bu Ani;081255556666;;Atlantis;;\n"                   # 6 unknown kecamatan
        ";081277778888;;;;\n"                                 # 7 missing name
        "Bu Lama;0813 0000 1111;;;;\n"                        # 8 existing account
        "Dr. Hendra;081299990000;hendra@malangkota.go.id;Kec. Klojen;Diskominfo;ya\n"  # 9 ok → waitlist
    ).encode("utf-8")
    before = _counts(app)
    response = _upload(auth, wave.id, csv)
    assert response.status_code == 302
    preview = auth.client.get(response.headers["Location"])
    html = preview.get_data(as_text=True)
    assert _counts(app) == before  # nothing about people saved yet
    assert "Nomor HP tidak dikenali: 12345" in _row(html, 3)
    assert "Sama dengan baris 2" in _row(html, 4)
    assert "OPD tidak dikenal: Dinas Antah Berantah" in _row(html, 5)
    assert "Kecamatan tidak dikenal: Atlantis" in _row(html, 6)
    assert "Nama kosong" in _row(html, 7)
    assert "Akun sudah ada" in _row(html, 8)
    assert "Kursi penuh: masuk daftar tunggu" in _row(html, 9)
    assert "Diskominfo" in _row(html, 9) and "kepala" in _row(html, 9)
    text = text_of(preview)
    assert "5 baris bermasalah dan akan dilewati" in text
    assert "Kapasitas gelombang terlampaui: 1 orang akan masuk daftar tunggu" in text
    assert "Konfirmasi: daftarkan 3 orang" in text
    # The rows stay on the server: the confirm form carries nothing but the CSRF token.
    confirm_form = re.search(r'<form method="post" action="[^"]*/konfirmasi">(.*?)</form>', html, re.S).group(1)
    assert re.findall(r'name="([^"]+)"', confirm_form) == ["csrf_token"]
    with app.app_context():
        stored = db.session.scalar(db.select(EnrolmentImport))
        assert [row["line"] for row in stored.rows] == [2, 3, 4, 5, 6, 7, 8, 9]
        assert stored.rows[6]["existing_user_id"] == existing.id


def test_confirm_creates_accounts_and_the_sheet_passwords_work(app, auth, seeded, make_wave, make_user):
    wave = make_wave(capacity=2, name="Gelombang Impor")
    existing = make_user(name="Bu Lama", login="081300001111")
    admin = make_user(role="admin")
    auth.login(admin.login_name)
    csv = (
        "nama,hp,email,kecamatan,opd,kepala_opd\n"
        "Siti Rahayu,081211112222,,sukun,,\n"
        "Bu Lama,0813-0000-1111,,,,\n"
        "Dr. Hendra,,hendra@malangkota.go.id,klojen,Diskominfo,ya\n"
        "Baris Rusak,999,,,,\n"
    ).encode("utf-8")
    location = _upload(auth, wave.id, csv).headers["Location"]
    import_id = int(location.rstrip("/").rsplit("/", 1)[1])
    sheet = auth.post(f"/admin/gelombang/{wave.id}/impor/{import_id}/konfirmasi")
    assert sheet.status_code == 200
    html = sheet.get_data(as_text=True)
    assert "@media print" not in html  # the print rules live in the stylesheet
    passwords = dict(re.findall(r"<td>([^<]+)</td>\s*<td>[^<]+</td>\s*<td><span class=\"otp-cell\">([^<]+)</span>", html))
    assert set(passwords) == {"Siti Rahayu", "Dr. Hendra"}
    assert "akun lama" in html  # Bu Lama keeps her own password
    with app.app_context():
        siti = db.session.scalar(db.select(User).where(User.phone == "+6281211112222"))
        hendra = db.session.scalar(db.select(User).where(User.email == "hendra@malangkota.go.id"))
        assert siti.must_change_password and hendra.must_change_password
        assert siti.role == "trainee" and siti.kecamatan == "sukun"
        assert hendra.is_opd_head and hendra.agency.abbreviation == "Diskominfo"
        assert db.session.scalar(db.select(db.func.count(User.id)).where(User.phone == "+6281300001111")) == 1
        rows = {e.user_id: (e.status, e.source) for e in db.session.scalars(db.select(Enrolment))}
        assert rows == {siti.id: ("enrolled", "csv"), existing.id: ("enrolled", "csv"), hendra.id: ("waitlisted", "csv")}
        pending = db.session.get(EnrolmentImport, import_id)
        assert pending.confirmed_at is not None and pending.rows == []
        assert "rahayu" not in str(pending.rows).lower()
    for login, name in (("081211112222", "Siti Rahayu"), ("hendra@malangkota.go.id", "Dr. Hendra")):
        client = app.test_client()
        response = AuthActions(client).login(login, passwords[name])
        assert response.status_code == 302, name
        assert client.get("/beranda").headers["Location"].endswith("/akun/kata-sandi")
    # Shown once: confirming again creates nothing and shows no passwords.
    users_before = _counts(app)
    again = auth.post(f"/admin/gelombang/{wave.id}/impor/{import_id}/konfirmasi", follow_redirects=True)
    assert "sudah dikonfirmasi" in text_of(again) and "otp-cell" not in again.get_data(as_text=True)
    assert _counts(app) == users_before


def test_only_the_admin_who_uploaded_sees_the_preview(app, auth, seeded, make_wave, make_user):
    wave = make_wave()
    auth.login(make_user(role="admin").login_name)
    location = _upload(auth, wave.id, b"nama;hp\nSiti;081211112222\n").headers["Location"]
    other_client, _ = login_as(app, make_user(role="admin"))
    assert other_client.get(location).status_code == 404


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Berkas kosong"),
        ("nama;hp\nSiti;0812\n".encode("utf-16"), "Berkas bukan CSV UTF-8"),
        (b"foo;bar\n1;2\n", "Baris pertama harus berisi judul kolom"),
        (b"nama;hp\n", "Berkas tidak berisi peserta"),
    ],
)
def test_unreadable_files_are_refused(app, auth, make_wave, make_user, content, message):
    wave = make_wave()
    auth.login(make_user(role="admin").login_name)
    response = _upload(auth, wave.id, content)
    assert response.status_code == 200
    assert message in text_of(response)


def test_opd_wave_import_needs_an_agency(app, auth, seeded, make_wave, make_user):
    wave = make_wave(track="opd")
    auth.login(make_user(role="admin").login_name)
    location = _upload(auth, wave.id, b"Nama;WhatsApp;Instansi\nWarga;081211112222;\nASN;081233334444;Dinkes\n").headers["Location"]
    html = auth.client.get(location).get_data(as_text=True)
    assert "Gelombang OPD: isi kolom opd" in _row(html, 2)
    assert "Akun baru, langsung terdaftar" in _row(html, 3)
