"""`gunicorn --preload` (docs/deploy.md) imports Sinau once in the master and forks the
workers from it, so they share the interpreter's pages (each worker then costs ~10 MB
of private memory instead of ~85 MB; docs/performance.md). That is safe only while
building the app opens no database or Redis connection: a socket made before the fork
would be shared by every worker."""
from __future__ import annotations

from lms import create_app
from lms.extensions import db, limiter


def test_create_app_opens_no_connection(base_config):
    app = create_app(dict(base_config))
    with app.app_context():
        pool = db.engine.pool
        assert pool.checkedout() == 0
        assert getattr(pool, "checkedin", lambda: 0)() == 0, "create_app opened a database connection"
    storage = getattr(limiter, "_storage", None)
    redis_pool = getattr(getattr(storage, "storage", None), "connection_pool", None)
    if redis_pool is not None:
        assert getattr(redis_pool, "_created_connections", 0) == 0, "create_app opened a Redis connection"
