from __future__ import annotations

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db

from .conftest import TEST_PASSWORD, AuthActions


def test_user_search_and_pagination(app, auth, make_user, client):
    admin = make_user(role="admin", name="Admin Utama")
    for i in range(30):
        make_user(name=f"Warga Sukun {i:02d}")
    make_user(name="Bu Endang Lowokwaru", login="081377788899")
    auth.login(admin.login_name)
    html = client.get("/admin/pengguna?q=sukun").get_data(as_text=True)
    assert "30 pengguna ditemukan" in html
    assert "Halaman 1 dari 2" in html
    page2 = client.get("/admin/pengguna?q=sukun&hal=2").get_data(as_text=True)
    assert "Warga Sukun 29" in page2 and "Warga Sukun 00" not in page2
    by_phone = client.get("/admin/pengguna?q=0813-7778").get_data(as_text=True)
    assert "Bu Endang Lowokwaru" in by_phone and "Warga Sukun" not in by_phone
    trainers = client.get("/admin/pengguna?peran=trainer").get_data(as_text=True)
    assert "0 pengguna ditemukan" in trainers


def test_change_role_and_audit(app, auth, make_user, client):
    admin = make_user(role="admin")
    user = make_user()
    auth.login(admin.login_name)
    response = auth.post(f"/admin/pengguna/{user.id}/peran", {"role": "trainer"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).role == "trainer"
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "user.role" in actions


def test_admin_cannot_demote_self(app, auth, make_user):
    admin = make_user(role="admin")
    auth.login(admin.login_name)
    auth.post(f"/admin/pengguna/{admin.id}/peran", {"role": "trainee"})
    with app.app_context():
        assert db.session.get(User, admin.id).role == "admin"


def test_deactivate_and_reactivate(app, auth, make_user):
    admin = make_user(role="admin")
    user = make_user()
    auth.login(admin.login_name)
    auth.post(f"/admin/pengguna/{user.id}/status", {"active": "0"})
    other = AuthActions(app.test_client())
    assert other.login(user.login_name).status_code == 200
    auth.post(f"/admin/pengguna/{user.id}/status", {"active": "1"})
    assert other.login(user.login_name).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id) is not None  # soft: the row stays


def test_reset_password_one_time_must_change(app, auth, make_user, client):
    admin = make_user(role="admin")
    user = make_user()
    auth.login(admin.login_name)
    html = auth.post(f"/admin/pengguna/{user.id}/atur-ulang-sandi").get_data(as_text=True)
    otp = html.split('class="otp"', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()
    assert len(otp) > 15
    trainee_client = app.test_client()
    trainee = AuthActions(trainee_client)
    assert trainee.login(user.login_name).status_code == 200  # old password gone
    assert trainee.login(user.login_name, otp).status_code == 302
    forced = trainee_client.get("/beranda")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/akun/kata-sandi")
    trainee.post("/akun/kata-sandi", {"current": otp, "new": "bakso president malang"})
    assert trainee_client.get("/beranda").status_code == 200


def test_viewing_a_user_is_audited(app, auth, make_user, client):
    admin = make_user(role="admin")
    user = make_user()
    auth.login(admin.login_name)
    client.get(f"/admin/pengguna/{user.id}")
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.viewed"))
    assert event.target_id == user.id and event.actor_id == admin.id


def test_agency_management(app, auth, make_user, client):
    from lms.agencies.models import Agency

    admin = make_user(role="admin")
    auth.login(admin.login_name)
    response = auth.post("/admin/opd/baru", {"abbreviation": "Disdik X", "name": "Dinas Uji Coba", "kind": "dinas"})
    assert response.status_code == 302
    duplicate = auth.post("/admin/opd/baru", {"abbreviation": "Disdik X", "name": "Lain", "kind": "dinas"})
    assert "sudah dipakai" in duplicate.get_data(as_text=True)
    with app.app_context():
        agency = db.session.scalar(db.select(Agency).where(Agency.abbreviation == "Disdik X"))
    auth.post(f"/admin/opd/{agency.id}/status", {"active": "0"})
    register_page = client.get("/daftar")  # logged in → redirect; check the service instead
    assert register_page.status_code == 302
    from lms.agencies.services import active_agencies

    with app.app_context():
        assert "Disdik X" not in [a.abbreviation for a in active_agencies()]


def test_demo_command_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["lms", "demo"])
    assert first.exit_code == 0, first.output
    assert "admin@sinau.demo" in first.output
    second = runner.invoke(args=["lms", "demo"])
    assert second.exit_code == 0
    with app.app_context():
        assert db.session.query(User).filter(User.email == "admin@sinau.demo").count() == 1
        head = db.session.scalar(db.select(User).where(User.is_opd_head))
        assert head.agency is not None
    assert "nothing changed" in runner.invoke(args=["lms", "demo", "--if-new"]).output


def test_demo_logins_work(app):
    from lms.demo import DEMO_PASSWORD

    app.test_cli_runner().invoke(args=["lms", "demo"])
    client = app.test_client()
    for login in ("admin@sinau.demo", "pelatih@sinau.demo", "081234500001", "081234500003"):
        assert AuthActions(client).login(login, DEMO_PASSWORD).status_code == 302, login
        AuthActions(client).logout()
    assert TEST_PASSWORD != DEMO_PASSWORD
