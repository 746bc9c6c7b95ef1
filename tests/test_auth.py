from __future__ import annotations

from lms.auth.models import LoginEvent, User
from lms.extensions import db

from .conftest import TEST_PASSWORD, csrf_token


def register_data(client, **overrides):
    data = {
        "csrf_token": csrf_token(client, "/daftar"),
        "name": "Ni Luh Putu Ayu Déwi",
        "phone": "0812-3456-7890",
        "email": "",
        "password": "kopi tubruk malang 2026",
        "kecamatan": "lowokwaru",
        "birth_year": "1990",
        "agency_id": "0",
        "consent": "y",
    }
    data.update(overrides)
    return data


def test_register_logs_in_and_stores_consent(app, client):
    response = client.post("/daftar", data=register_data(client))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beranda")
    home = client.get("/beranda")
    assert "Ni Luh Putu Ayu Déwi" in home.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.phone == "+6281234567890"
        assert user.consent_version == app.config["PRIVACY_NOTICE_VERSION"]
        assert user.consent_at is not None
        assert user.role == "trainee"


def test_register_requires_consent_and_keeps_input(client):
    response = client.post("/daftar", data=register_data(client, consent=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Anda perlu menyetujui pemberitahuan privasi" in html
    assert 'value="Ni Luh Putu Ayu Déwi"' in html  # nothing the user typed is lost
    assert "error-summary" in html


def test_register_rejects_bad_phone_and_common_password(client):
    html = client.post("/daftar", data=register_data(client, phone="12345", password="malang2026")).get_data(as_text=True)
    assert "Nomor HP tidak dikenali" in html or "terlalu umum" in html
    html = client.post("/daftar", data=register_data(client, password="malang2026")).get_data(as_text=True)
    assert "terlalu umum" in html


def test_register_duplicate_phone_message(client, make_user):
    make_user(login="081234567890")
    html = client.post("/daftar", data=register_data(client)).get_data(as_text=True)
    assert "sudah terdaftar" in html


def test_birth_year_message_is_indonesian(client):
    html = client.post("/daftar", data=register_data(client, birth_year="sembilan")).get_data(as_text=True)
    assert "Tulis angka saja" in html
    html = client.post("/daftar", data=register_data(client, birth_year="1800")).get_data(as_text=True)
    assert "Isi angka antara 1920" in html


def test_login_with_any_phone_format(client, auth, make_user):
    make_user(login="081234567890", name="Budi")
    for form in ("+62 812-3456-7890", "6281234567890", "0812 3456 7890"):
        response = auth.login(form)
        assert response.status_code == 302, form
        assert response.headers["Location"].endswith("/beranda")
        auth.logout()


def test_login_with_email_case_insensitive(auth, make_user):
    make_user(login="Pelatih@Contoh.ID", role="trainer")
    assert auth.login("pelatih@contoh.id").status_code == 302


def test_login_failure_message_and_event(app, auth, make_user):
    user = make_user()
    response = auth.login(user.login_name, "salah sekali kata sandinya")
    assert response.status_code == 200
    assert "tidak cocok" in response.get_data(as_text=True)
    with app.app_context():
        outcomes = db.session.scalars(db.select(LoginEvent.outcome)).all()
    assert outcomes == ["failure"]


def test_next_parameter_only_relative(auth, make_user, client):
    user = make_user()
    token = csrf_token(client, "/masuk")
    for target, expected in (("/admin/pengguna", "/admin/pengguna"), ("//evil.example/x", "/beranda"),
                             ("https://evil.example/", "/beranda"), ("/\\evil.example", "/beranda")):
        response = client.post(f"/masuk?next={target}", data={"csrf_token": token, "login": user.login_name, "password": TEST_PASSWORD})
        assert response.headers["Location"].endswith(expected), target
        auth.logout()
        token = csrf_token(client, "/masuk")


def test_change_password_requires_current(app, auth, make_user, client):
    user = make_user()
    auth.login(user.login_name)
    html = auth.post("/akun/kata-sandi", {"current": "bukan ini", "new": "sate kelinci batu malam"}).get_data(as_text=True)
    assert "Kata sandi saat ini salah" in html
    response = auth.post("/akun/kata-sandi", {"current": TEST_PASSWORD, "new": "sate kelinci batu malam"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login(user.login_name).status_code == 200  # old password no longer works
    assert auth.login(user.login_name, "sate kelinci batu malam").status_code == 302


def test_logout_is_post_only(auth, make_user, client):
    user = make_user()
    auth.login(user.login_name)
    assert client.get("/keluar").status_code == 405
    assert client.get("/beranda").status_code == 200


def test_create_user_cli(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "create-user", "--role", "trainee", "--name", "Ni Luh Putu Ayu Déwi",
                                 "--login", "081234567890", "--password", "kopi tubruk malang 2026"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    token = csrf_token(client, "/masuk")
    response = client.post("/masuk", data={"csrf_token": token, "login": "+6281234567890", "password": "kopi tubruk malang 2026"})
    assert response.status_code == 302
    assert "Ni Luh Putu Ayu Déwi" in client.get("/beranda").get_data(as_text=True)


def test_create_user_cli_rejects_weak_password(app):
    result = app.test_cli_runner().invoke(args=["lms", "create-user", "--role", "trainee", "--name", "A",
                                                "--login", "081234567890", "--password", "123456"])
    assert result.exit_code != 0
