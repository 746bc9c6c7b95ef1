"""Database engine setup and transaction helpers.

SQLite runs in WAL mode with foreign keys on, a busy timeout, and write
transactions that begin IMMEDIATE so two writers queue instead of failing
(see docs/architecture.md). Requests with a safe method (GET, HEAD) begin
ordinary deferred read transactions; a GET view that must write calls
`begin_write()` first.
"""
from __future__ import annotations

import contextvars
from datetime import datetime, timezone

from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms.extensions import db

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)


def utcnow() -> datetime:
    """The current time as a naive UTC datetime (how every timestamp is stored)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def engine_options(uri: str) -> dict:
    if uri.startswith("sqlite"):
        # isolation_level=None hands transaction control to the "begin" event below.
        return {"connect_args": {"timeout": 5, "isolation_level": None, "check_same_thread": False}}
    if uri.startswith("postgresql"):
        return {
            "pool_pre_ping": True,
            "pool_size": 5,
            "max_overflow": 5,
            "connect_args": {"options": "-c statement_timeout=15000", "connect_timeout": 5},
        }
    return {}


def normalise_uri(uri: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix):]
    return uri


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no branch
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def set_write_intent(writes: bool) -> None:
    _write_intent.set(writes)


def end_read_phase() -> None:
    """Close the current read transaction, keeping what it loaded.

    A plain commit expires every loaded object, so the next attribute access
    reloads it (the signed-in user, the attempt just read): ~3 extra
    statements on each POST. A read phase changed nothing, so its rows stay
    as valid as they were; whatever must not be stale is re-checked inside the
    write (conditional updates, row locks), as before.
    """
    session = db.session()
    if not session.in_transaction():
        return
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def begin_write() -> None:
    """End any read transaction and make the next one a write transaction.

    Used by the few GET views that record something (a lesson marked as
    started). Routes call it; services never do.
    """
    end_read_phase()
    _write_intent.set(True)


def begin_read() -> None:
    """End any transaction and make the next one a plain read transaction.

    A POST view that first only reads (a login looks the account up, then
    spends ~100 ms checking the password hash) calls this so that no write
    lock is held while it works.
    """
    end_read_phase()
    _write_intent.set(False)


def ping() -> bool:
    try:
        db.session.execute(db.text("SELECT 1"))
        db.session.rollback()
        return True
    except Exception:  # noqa: BLE001 - any failure means "unreachable"
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001
            pass
        return False
