"""Backups that are consistent while Sinau keeps running (SECURITY.md M).

- SQLite: the online backup API copies a consistent snapshot in steps while
  the app keeps writing. A plain `cp` of a WAL database loses the rows still
  in the -wal file.
- PostgreSQL: `pg_dump -Fc` (custom format, for `pg_restore`).

`lms backup PATH` (lms/cli.py) calls `backup_database`; docs/deploy.md has
the schedule and the restore drill, and tests/test_backup.py runs that drill.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

PAGES_PER_STEP = 1024  # SQLite copies this many pages, then lets writers in


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str  # "sqlite" | "pg_dump"
    size: int


def backup_database(engine: Engine, target: Path) -> BackupResult:
    """Write a consistent copy of the database behind `engine` to `target`."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        _sqlite(engine, target)
        kind = "sqlite"
    elif engine.dialect.name == "postgresql":
        _pg_dump(engine, target)
        kind = "pg_dump"
    else:
        raise BackupError(f"no backup method for {engine.dialect.name}")
    return BackupResult(target, kind, target.stat().st_size)


def _sqlite(engine: Engine, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    destination = sqlite3.connect(partial)
    try:
        with engine.connect() as connection:
            source = connection.connection.driver_connection
            source.backup(destination, pages=PAGES_PER_STEP)
        result = destination.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"the copy failed its integrity check: {result}")
    finally:
        destination.close()
    os.replace(partial, target)  # a finished file or none: never half a backup under the real name


def _pg_dump(engine: Engine, target: Path) -> None:
    binary = shutil.which("pg_dump")
    if binary is None:
        raise BackupError("pg_dump not found (Debian: apt-get install postgresql-client)")
    url = make_url(engine.url).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password  # not on the command line, where `ps` would show it
    partial = target.with_name(target.name + ".partial")
    command = [binary, "--format=custom", "--no-owner", f"--file={partial}",
               f"--dbname={url.set(password=None).render_as_string(hide_password=False)}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)  # noqa: S603
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[-500:]}")
    os.replace(partial, target)
