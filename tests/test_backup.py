"""The restore drill of SECURITY.md M, on the suite's database (SQLite, or PostgreSQL in CI):
back up while Sinau runs, restore into a fresh database, migrate, boot, log in, compare counts."""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.extensions import db

from .conftest import AuthActions


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables}


def _restore(backup_path, database_url: str, tmp_path) -> tuple[str, callable]:
    """A fresh database holding the backup; returns its URL and how to drop it."""
    if database_url.startswith("sqlite"):
        copy = tmp_path / "restored.sqlite3"
        shutil.copyfile(backup_path, copy)  # the backup file is a complete database: restoring is copying it into place
        return f"sqlite:///{copy}", lambda: None
    if shutil.which("pg_restore") is None:
        pytest.fail("pg_restore is needed for the PostgreSQL drill (.ci/run installs postgresql-client)")
    base = make_url(database_url)
    name = f"sinau_drill_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = base.set(database=name)
    env = dict(os.environ, **({"PGPASSWORD": base.password} if base.password else {}))
    libpq = target.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run(["pg_restore", "--no-owner", f"--dbname={libpq}", str(backup_path)],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return target.render_as_string(hide_password=False), drop


def test_restore_drill(app, base_config, make_user, auth, tmp_path):
    trainee = make_user(name="Mbah Sumarni")
    make_user(role="trainer")
    auth.login(trainee.login_name)  # a login event and a session row to carry over
    backup_path = tmp_path / "backups" / "sinau.backup"
    result = app.test_cli_runner().invoke(args=["lms", "backup", str(backup_path)])
    assert result.exit_code == 0, result.output
    assert "backup (" in result.output and backup_path.exists()
    assert not list(backup_path.parent.glob("*.partial"))
    at_backup = _counts(app)
    make_user(name="Sesudah Cadangan")  # written after the backup: must not be in it

    url, drop = _restore(backup_path, base_config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    try:
        restored = create_app({**base_config, "SQLALCHEMY_DATABASE_URI": url})
        with restored.app_context():
            upgrade()  # a backup may be older than the code
        assert _counts(restored) == at_backup
        client = restored.test_client()
        response = AuthActions(client).login(trainee.login_name)
        assert response.status_code == 302 and response.headers["Location"].endswith("/beranda")
        assert "Mbah Sumarni" in client.get("/beranda").get_data(as_text=True)
        with restored.app_context():
            db.engine.dispose()
    finally:
        drop()


def test_backup_refuses_to_overwrite(app, tmp_path):
    target = tmp_path / "ada.backup"
    target.write_bytes(b"older backup")
    result = app.test_cli_runner().invoke(args=["lms", "backup", str(target)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert target.read_bytes() == b"older backup"
