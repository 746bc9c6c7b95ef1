"""The migrations build the schema from empty and match the models exactly."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate

from lms.extensions import db


def _script(app) -> ScriptDirectory:
    migrate: Migrate = app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))


def test_single_head(app):
    with app.app_context():
        assert len(_script(app).get_heads()) == 1


def test_database_is_at_head(app):
    # The session database was built by running every migration from empty.
    with app.app_context(), db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
        assert set(current) == set(_script(app).get_heads())


def test_models_match_migrations(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
