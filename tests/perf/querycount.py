"""Count the SQL statements a request sends (SQLAlchemy `before_cursor_execute` on db.engine).

    with count_queries(app) as statements:
        client.get("/beranda")
    assert len(statements) <= 12

Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) is left out:
SQLite's BEGIN IMMEDIATE goes through the cursor, PostgreSQL's does not, and the
budget is about the work a page asks of the database.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from lms.extensions import db

_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


@contextmanager
def count_queries(app) -> Iterator[list[str]]:
    """The statements sent while the block runs, in order (a live list)."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(_conn, _cursor, statement, _parameters, _context, _executemany):
        if not _CONTROL.match(statement):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
