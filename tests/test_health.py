from __future__ import annotations

from lms import create_app


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable(base_config, tmp_path):
    config = dict(base_config)
    # A PostgreSQL port nothing listens on: the database is "down".
    config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    app = create_app(config)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_pages_answer_503_not_500_when_database_down(base_config, make_user, app):
    user = make_user()
    config = dict(base_config)
    config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    down = create_app(config)
    client = down.test_client()
    page = client.get("/masuk")
    assert page.status_code == 200  # the login form needs no database
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/masuk", data={"csrf_token": token, "login": user.login_name, "password": "apa saja boleh"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Content-Security-Policy" in response.headers
