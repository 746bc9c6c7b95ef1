"""`make bench`: seed a city-scale database, serve it with gunicorn, load it, report.

    python -m bench.run [--trainees 10000] [--backends sqlite,postgresql] [--duration 10]
    python -m bench.run --scale            # lesson, quiz and login cost at 10,000 vs 100,000 trainees

For each backend: a scratch database (a file in bench/out/, or a PostgreSQL
database created on the server of --pg-url and dropped afterwards) is
seeded by `python -m bench.seed`; sessions and open quiz attempts for the
load are prepared in-process through the services; then gunicorn starts on
127.0.0.1 with gunicorn.conf.py (gthread, the production settings of
docs/deploy.md, `--no-control-socket`) and is measured:

- wrk (50 connections): the floor (/healthz), the home page, a lesson page;
- a thread-based generator (bench.client, 50 threads): the floor again (the
  ratio of a POST is taken against the floor measured by the same client),
  quiz submissions, bursts of 50 and 500 simultaneous submissions and of 50
  simultaneous logins;
- one connection, one request at a time: progress grids, certificate PDF,
  a wave's certificate ZIP, the public verify page (server time on loopback);
- locust (50 simulated phones, trainee and trainer journeys);
- the resident memory of every worker at the end.

Only loopback addresses are used; every loop is bounded by count and time.
The table goes to stdout and into docs/performance.md between the
`bench:begin`/`bench:end` markers (`bench-scale:` for --scale).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bench import answers, seed
from bench.client import USER_AGENT, Job, Stats, run_for, run_jobs, sequential

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "performance.md"
CONNECTIONS = 50


# ------------------------------------------------------------------------- results


@dataclass
class Row:
    backend: str
    name: str
    tool: str
    conns: int
    requests: int
    rps: float | None
    p50: float | None
    p95: float | None
    p99: float | None
    errors: int
    floor: float | None = None  # req/s of the floor this row compares with
    wall: float | None = None  # seconds, for bursts and downloads
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.rps / self.floor if self.rps and self.floor else None


def from_stats(backend: str, stats: Stats, tool: str, floor: float | None = None, note: str = "") -> Row:
    return Row(backend, stats.name, tool, stats.concurrency, stats.count, stats.rps, stats.percentile(50),
               stats.percentile(95), stats.percentile(99), stats.errors, floor, stats.wall, note=note)


def fmt(value, spec: str = ".0f", empty: str = "–") -> str:
    return empty if value is None else format(value, spec)


def table(rows: list[Row]) -> str:
    head = ("| backend | measurement | tool | conns | requests | req/s | × floor | p50 ms | p95 ms | p99 ms "
            "| errors | target | met |")
    lines = [head, "|" + "---|" * 13]
    for r in rows:
        ratio = r.ratio
        met = "–" if r.ok is None else ("yes" if r.ok else "**no**")
        name = r.name + (f" ({r.note})" if r.note else "")
        lines.append(
            f"| {r.backend} | {name} | {r.tool} | {r.conns} | {r.requests} | {fmt(r.rps, ',.1f')} "
            f"| {fmt(ratio, '.2f')} | {fmt(r.p50, '.1f')} | {fmt(r.p95, '.1f')} | {fmt(r.p99, '.1f')} "
            f"| {r.errors} | {r.target} | {met} |")
    return "\n".join(lines)


# -------------------------------------------------------------------------- plumbing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url(wanted: str | None) -> str | None:
    if not wanted:
        return None
    try:
        import redis

        redis.Redis.from_url(wanted, socket_timeout=2).ping()
        return wanted
    except Exception:  # noqa: BLE001 - no Redis: rate limits count per worker
        return None


class Server:
    """gunicorn with gunicorn.conf.py on 127.0.0.1 (started and stopped by its pid)."""

    def __init__(self, database_url: str, secret: str, name: str, redis: str | None, extra_env: dict | None = None,
                 extra_args: list[str] | None = None):
        self.database_url, self.secret, self.name, self.redis = database_url, secret, name, redis
        self.extra_env = extra_env or {}
        self.extra_args = extra_args or []
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = OUT / f"gunicorn-{name}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "LMS_ENV")}
        env.update(DATABASE_URL=self.database_url, SECRET_KEY=self.secret, LMS_PROXY_HOPS="1",
                   LMS_INSTANCE_PATH=str(OUT / "instance"), LMS_BASE_URL=self.base, PYTHONUNBUFFERED="1",
                   **self.extra_env)
        if self.redis:
            env["REDIS_URL"] = self.redis
        return env

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
                "--no-control-socket", "--preload", *self.extra_args, "wsgi:app"]

    def start(self, timeout: float = 60) -> None:
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200 and len(self.worker_pids()) >= 1:
                        time.sleep(1.0)  # let every worker finish booting
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def worker_memory_mb(self) -> list[dict[str, float]]:
        """Per worker: rss (resident, shared pages included), pss (shared pages divided among
        the processes sharing them) and uss (private: what one more worker costs)."""
        found = []
        for pid in self.worker_pids():
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            kb = {k: int(v) for k, v in re.findall(r"^(\w+):\s+(\d+) kB", text, re.MULTILINE)}
            found.append({"rss": kb["Rss"] / 1024, "pss": kb["Pss"] / 1024,
                          "uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024})
        return found

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class Database:
    """A scratch database: a SQLite file in bench/out/, or a PostgreSQL database created and dropped here."""

    def __init__(self, backend: str, pg_url: str, tag: str):
        self.backend = backend
        if backend == "sqlite":
            self.path = OUT / f"bench-{tag}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            from sqlalchemy.engine import make_url

            self.name = f"sinau_bench_{tag}_{uuid.uuid4().hex[:6]}"
            base = make_url(seed_url(pg_url))
            self.admin_url = base.set(database="postgres")
            self.url = base.set(database=self.name).render_as_string(hide_password=False)

    def create(self) -> None:
        if self.backend == "sqlite":
            self.drop()
            return
        from sqlalchemy import create_engine, text

        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        engine.dispose()

    def drop(self) -> None:
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            return
        from sqlalchemy import create_engine, text

        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        engine.dispose()


def seed_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith(("postgresql://", "postgres://")) else url


def run_seed(url: str, trainees: int, timeout: float) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.seed", "--trainees", str(trainees), "--database-url", url],
                   cwd=ROOT, check=True, timeout=timeout)
    return time.perf_counter() - began


def wrk(name: str, server: Server, requests: list[tuple[str, str, str]], duration: float,
        connections: int = CONNECTIONS) -> Stats:
    """GETs from wrk with bench/wrk.lua; a Stats with wrk's percentiles."""
    tsv = OUT / f"wrk-{server.name}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.tsv"
    tsv.write_text("".join(f"{p}\t{c}\t{a}\n" for p, c, a in requests), encoding="utf-8")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{int(duration)}s", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "wrk.lua"), server.base, "--", str(tsv)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True)
    data = json.loads(done.stdout.split("WRK-JSON", 1)[1].strip().splitlines()[0])
    stats = Stats(name, [], data["duration_us"] / 1e6, connections)
    stats.extra = data
    return stats


def wrk_row(backend: str, stats: Stats, floor: float | None, note: str = "") -> Row:
    d = stats.extra
    requests = d["requests"]
    return Row(backend, stats.name, "wrk", stats.concurrency, requests, requests / stats.wall, d["p50_us"] / 1000,
               d["p95_us"] / 1000, d["p99_us"] / 1000, d["status_errors"] + d["socket_errors"], floor, stats.wall,
               note=note)


# ----------------------------------------------------------------------- preparing


def address_of(user_id: int) -> str:
    return f"10.{(user_id >> 16) & 255}.{(user_id >> 8) & 255}.{user_id & 255 or 1}"


@dataclass
class Plan:
    secret: str
    floor: list[tuple[str, str, str]] = field(default_factory=list)
    home: list[tuple[str, str, str]] = field(default_factory=list)
    lessons: list[tuple[str, str, str]] = field(default_factory=list)
    submits: list[Job] = field(default_factory=list)
    burst50: list[Job] = field(default_factory=list)
    burst500: list[Job] = field(default_factory=list)
    logins: list[Job] = field(default_factory=list)
    grid_big: Job | None = None
    grid_small: Job | None = None
    review_queue: Job | None = None
    pdf: Job | None = None
    zip: Job | None = None
    verify: list[Job] = field(default_factory=list)
    locust: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    big_size: int = 0
    small_size: int = 0
    path_size: int = 0


def mint(app, users, now) -> dict[int, tuple[str, str]]:
    """A logged-in session cookie and its CSRF token per user, made the way /masuk makes them
    (a user_sessions row from lms.auth.services.open_session, Flask-Login's session keys),
    without spending a scrypt check per user. The X-Forwarded-For address is part of the
    Flask-Login identifier, so each user's requests must come from address_of(user.id)."""
    from flask import g, session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from lms.auth import services as accounts
    from lms.auth.session_loader import mark_seen
    from lms.core.i18n import SESSION_KEY as LANG_KEY
    from lms.extensions import db

    serializer = app.session_interface.get_signing_serializer(app)
    minted = {}
    for user in users:
        token = accounts.open_session(user, now)
        with app.test_request_context("/", headers={"User-Agent": USER_AGENT, "X-Forwarded-For": address_of(user.id)}):
            session.clear()
            session[LANG_KEY] = user.locale or "id"
            user._session_token = token
            mark_seen()
            login_user(user)
            g.pop("csrf_token", None)  # generate_csrf caches on g, which outlives this request context
            csrf = generate_csrf()
            minted[user.id] = (serializer.dumps(dict(session)), csrf)
    db.session.commit()
    return minted


def anonymous_session(app, address: str) -> tuple[str, str]:
    """The cookie and CSRF token a phone gets from GET /masuk."""
    from flask import g, session
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context("/masuk", headers={"User-Agent": USER_AGENT, "X-Forwarded-For": address}):
        g.pop("csrf_token", None)
        csrf = generate_csrf()
        return app.session_interface.get_signing_serializer(app).dumps(dict(session)), csrf


def prepare(app, secret: str, submits: int, rng: random.Random) -> Plan:
    from lms.auth import services as accounts
    from lms.core.db import utcnow
    from lms.courses.models import Progress
    from lms.extensions import db
    from lms.quizzes import services as quizzes
    from lms.quizzes.models import QuizAttempt
    from lms.waves import services as waves

    plan = Plan(secret)
    now = utcnow()
    views = app.view_functions
    trainer = accounts.find_by_login(seed.BENCH_TRAINER_LOGIN)
    big = waves.find_wave_by_code(seed.BIG_WAVE)
    current = waves.find_wave_by_code(seed.CURRENT_WAVE)
    model = waves.find_wave_by_code(seed.MODEL_WAVE)
    big_users = waves.enrolled_users(big)
    current_users = waves.enrolled_users(current)
    plan.big_size, plan.small_size = len(big_users), len(current_users)
    plan.path_size = len(waves.learning_path(big))
    cookies = mint(app, [trainer] + big_users + current_users, now)
    trainer_cookie = cookies[trainer.id][0]

    plan.floor = [("/healthz", "", "127.0.0.1")]
    for user in big_users[:50]:
        cookie = cookies[user.id][0]
        plan.home.append(("/beranda", cookie, address_of(user.id)))
        rows = db.session.execute(
            db.select(Progress.course_slug, Progress.module_slug).where(Progress.user_id == user.id).limit(4)
        ).all()
        for course_slug, module_slug in rows:
            plan.lessons.append((f"/kursus/{course_slug}/{module_slug}", cookie, address_of(user.id)))

    quiz_modules = []
    for item in waves.learning_path(big):
        info = quizzes.current_quiz(item.module_slug)
        if info and not info.settings.time_limit_minutes and not info.settings.attempts:
            quiz_modules.append(item.module_slug)
    per_user = max(1, -(-submits // len(big_users)))
    submit_modules, burst50_module, burst500_module = quiz_modules[:per_user], quiz_modules[-1], quiz_modules[-2]

    def job(user, slug) -> Job:
        started = quizzes.start_attempt(user, slug, now)
        attempt = db.session.get(QuizAttempt, started.attempt_id)
        questions = quizzes.attempt_questions(attempt)
        fields = [("csrf_token", cookies[user.id][1])] + answers.form_fields(
            questions, answers.responses(questions, 0.8, rng))
        return Job("POST", f"/kuis/percobaan/{attempt.id}", cookies[user.id][0], address_of(user.id), fields)

    for slug in submit_modules:
        for user in big_users:
            if len(plan.submits) < submits:
                plan.submits.append(job(user, slug))
        db.session.commit()
    plan.burst50 = [job(user, burst50_module) for user in current_users]
    plan.burst500 = [job(user, burst500_module) for user in big_users]
    db.session.commit()

    for user in current_users[:CONNECTIONS]:
        address = address_of(user.id)
        cookie, csrf = anonymous_session(app, address)
        plan.logins.append(Job("POST", "/masuk", cookie, address,
                               [("csrf_token", csrf), ("login", user.phone), ("password", seed.BENCH_PASSWORD)]))

    trainer_address = address_of(trainer.id)
    plan.grid_big = Job("GET", f"/gelombang/{big.id}/kemajuan", trainer_cookie, trainer_address)
    plan.grid_small = Job("GET", f"/gelombang/{current.id}/kemajuan", trainer_cookie, trainer_address)
    if "exercises.queue" in views:
        plan.review_queue = Job("GET", f"/gelombang/{current.id}/tugas", trainer_cookie, trainer_address)
    else:
        plan.notes.append("review queue: no endpoint exercises.queue in this build; not measured")
    certificate = None
    if "certificates.download_pdf" in views:
        from lms.certificates.models import Certificate

        certificate = db.session.scalar(
            db.select(Certificate).where(Certificate.wave_id == model.id).order_by(Certificate.id).limit(1))
    if certificate is not None:
        holder = db.session.get(type(trainer), certificate.user_id)
        holder_cookie = mint(app, [holder], now)[holder.id][0]
        plan.pdf = Job("GET", f"/sertifikat/{certificate.id}.pdf", holder_cookie, address_of(holder.id))
        plan.zip = Job("GET", f"/gelombang/{model.id}/sertifikat.zip", trainer_cookie, trainer_address)
        plan.verify = [Job("GET", f"/verify/{certificate.code}", None, f"10.99.{i // 250}.{i % 250 + 1}")
                       for i in range(20)]
        pdf_ids = db.session.scalars(db.select(Certificate.id).where(Certificate.wave_id == model.id)).all()
    else:
        plan.notes.append("certificates: no certificates.download_pdf endpoint or no certificate; PDF/ZIP not measured")
        pdf_ids = []

    plan.locust = {
        "password": seed.BENCH_PASSWORD,
        "trainees": [u.phone for u in big_users],
        "trainer": trainer.email,
        "lessons": sorted({p for p, _c, _a in plan.lessons}),
        "quiz_modules": quiz_modules[:-2],
        "grid_small": plan.grid_small.path,
        "grid_big": plan.grid_big.path,
        "review_queue": plan.review_queue.path if plan.review_queue else None,
        "certificate_pdfs": [f"/sertifikat/{i}.pdf" for i in pdf_ids],
    }
    db.session.commit()
    return plan


def submitted(app, jobs: list[Job]) -> int:
    """How many of these jobs' attempts are closed as submitted (the DB's answer to "nothing lost")."""
    from lms.extensions import db
    from lms.quizzes.models import SUBMITTED, QuizAttempt

    ids = [int(j.path.rsplit("/", 1)[1]) for j in jobs]
    with app.app_context():
        n = db.session.scalar(
            db.select(db.func.count(QuizAttempt.id)).where(QuizAttempt.id.in_(ids), QuizAttempt.status == SUBMITTED))
        db.session.rollback()
    return n


# ---------------------------------------------------------------------- measuring


def measure(backend: str, app, server: Server, plan: Plan, duration: float, locust_seconds: int,
            have_wrk: bool) -> list[Row]:
    rows: list[Row] = []
    host, port = "127.0.0.1", server.port

    def say(text: str) -> None:
        print(f"  [{backend}] {text}", flush=True)

    def get_stats(name, requests):
        if have_wrk:
            return wrk(name, server, requests, duration)
        jobs = [Job("GET", p, c or None, a) for p, c, a in requests]
        return run_for(name, host, port, lambda i: jobs[i % len(jobs)], CONNECTIONS, duration)

    def get_row(stats, floor):
        return wrk_row(backend, stats, floor) if have_wrk else from_stats(backend, stats, "py", floor)

    tool = "wrk" if have_wrk else "py"
    say(f"floor /healthz ({tool}, {CONNECTIONS} connections, {duration:.0f} s)")
    floor_row = get_row(get_stats("floor: GET /healthz", plan.floor), None)
    floor_row.floor = floor_row.rps
    rows.append(floor_row)
    floor = floor_row.rps

    say("home and lesson pages")
    home = get_row(get_stats("home GET /beranda", plan.home), floor)
    rows.append(home)
    lesson = get_row(get_stats("lesson GET /kursus/<c>/<m>", plan.lessons), floor)
    lesson.target, lesson.ok = "≥ 0.20 × floor, p99 ≤ 250 ms", bool(lesson.ratio and lesson.ratio >= 0.20
                                                                      and lesson.p99 <= 250 and not lesson.errors)
    rows.append(lesson)

    say("floor with the thread client, then quiz submissions")
    py_floor = from_stats(backend, run_for("floor: GET /healthz", host, port, lambda i: Job("GET", "/healthz"),
                                           CONNECTIONS, duration), "py")
    py_floor.floor = py_floor.rps
    rows.append(py_floor)
    stats = run_jobs("quiz submit POST /kuis/percobaan/<id>", host, port, plan.submits, CONNECTIONS, deadline=120)
    row = from_stats(backend, stats, "py", py_floor.rps)
    lost = len(plan.submits) - submitted(app, plan.submits)
    row.target = "≥ 0.15 × floor (py)"
    row.ok = bool(row.ratio and row.ratio >= 0.15 and not row.errors and not lost)
    row.note = f"{lost} lost" if lost else ""
    rows.append(row)

    for jobs, limit in ((plan.burst50, 0.5), (plan.burst500, 3.0)):
        say(f"burst of {len(jobs)} simultaneous submissions")
        stats = run_jobs(f"burst: {len(jobs)} simultaneous quiz submits", host, port, jobs, len(jobs), barrier=True,
                         deadline=60)
        done = submitted(app, jobs)
        row = from_stats(backend, stats, "py")
        row.target = f"all within {limit} s, 0 errors, attempts = requests"
        row.ok = stats.wall <= limit and not stats.errors and done == len(jobs)
        row.note = f"all answered in {stats.wall:.2f} s; attempts {done}/{len(jobs)}"
        rows.append(row)

    say(f"{len(plan.logins)} simultaneous logins")
    stats = run_jobs(f"burst: {len(plan.logins)} simultaneous logins", host, port, plan.logins, len(plan.logins),
                     barrier=True, deadline=60)
    good = sum(1 for r in stats.results if r.status == 302 and r.location.endswith("/beranda"))
    row = from_stats(backend, stats, "py")
    row.target, row.ok = "all within 5 s", stats.wall <= 5 and good == len(plan.logins)
    row.note = f"all done in {stats.wall:.2f} s; {good} logged in"
    rows.append(row)

    say("progress grids, review queue, certificates (one request at a time)")
    floor_seq = from_stats(backend, sequential("floor: GET /healthz", host, port, Job("GET", "/healthz"), 200), "seq")
    floor_seq.floor = floor_seq.rps
    rows.append(floor_seq)
    singles = [
        (plan.grid_big, f"grid {plan.big_size} × {plan.path_size}", 10, 150.0),
        (plan.grid_small, f"grid {plan.small_size} × {plan.path_size}", 30, 25.0),
        (plan.review_queue, "review queue (wave of 50)", 30, None),
        (plan.pdf, "certificate PDF (warm)", 20, 100.0),
        (plan.zip, "certificates of a wave of 50 as ZIP", 3, 5000.0),
    ]
    for job, label, count, limit_ms in singles:
        if job is None:
            continue
        stats = sequential(f"{label} GET {job.path.split('?')[0]}", host, port, job, count, warmup=1)
        row = from_stats(backend, stats, "seq", floor_seq.rps)
        if limit_ms is not None:
            row.target = f"p50 ≤ {limit_ms / 1000:g} s" if limit_ms >= 1000 else f"p50 ≤ {limit_ms:g} ms"
            row.ok = row.p50 <= limit_ms and not row.errors
        rows.append(row)
    if plan.verify:
        stats = run_jobs("public verify GET /verify/<code>", host, port, plan.verify, 1)
        rows.append(from_stats(backend, stats, "seq", floor_seq.rps))

    if locust_seconds and _has_module("locust"):
        say(f"locust: {CONNECTIONS} phones for {locust_seconds} s")
        rows += run_locust(backend, server, plan, locust_seconds, floor)

    rows.append(memory_row(backend, server))
    return rows


def memory_row(backend: str, server: Server) -> Row:
    sizes = server.worker_memory_mb()
    text = "; ".join(f"RSS {m['rss']:.0f} / PSS {m['pss']:.0f} / USS {m['uss']:.0f}" for m in sizes)
    return Row(backend, f"memory per worker after the run, MB ({text})", "/proc", 0, 0, None, None, None, None, 0,
               target="≤ 80 MB resident", ok=bool(sizes) and max(m["rss"] for m in sizes) <= 80)


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def run_locust(backend: str, server: Server, plan: Plan, seconds: int, floor: float) -> list[Row]:
    plan_file = OUT / f"locust-plan-{server.name}.json"
    plan_file.write_text(json.dumps(plan.locust), encoding="utf-8")
    prefix = OUT / f"locust-{server.name}"
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "-u", str(CONNECTIONS), "-r", "25", "-t", f"{seconds}s", "--host", server.base, "--csv", str(prefix),
               "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING"]
    env = dict(os.environ, SINAU_BENCH_PLAN=str(plan_file))
    subprocess.run(command, cwd=ROOT, env=env, timeout=seconds + 90, capture_output=True)
    rows = []
    try:
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            for item in csv.DictReader(handle):
                name = item["Name"]
                if item["Type"] and item["Type"] not in ("GET", "POST"):
                    continue
                label = "locust total (all journeys)" if name == "Aggregated" else f"locust: {name}"
                rows.append(Row(backend, label, "locust", CONNECTIONS, int(item["Request Count"]),
                                float(item["Requests/s"]), float(item["50%"]), float(item["95%"]), float(item["99%"]),
                                int(item["Failure Count"]), floor))
    except (OSError, KeyError, ValueError) as error:
        rows.append(Row(backend, f"locust: no results ({error})", "locust", CONNECTIONS, 0, None, None, None, None, 0))
    return rows


# ------------------------------------------------------------------------- reports


def versions(pg_url: str | None, redis: str | None) -> dict[str, str]:
    import gunicorn
    import sqlalchemy

    found = {
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__, "gunicorn": gunicorn.__version__, "sqlite": sqlite3.sqlite_version,
    }
    try:
        from importlib.metadata import version

        found["flask"] = version("flask")
        found["locust"] = version("locust")
    except Exception:  # noqa: BLE001
        pass
    if shutil.which("wrk"):
        found["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    if pg_url:
        try:
            from sqlalchemy import create_engine, text

            engine = create_engine(seed_url(pg_url))
            with engine.connect() as conn:
                found["postgresql"] = conn.execute(text("SHOW server_version")).scalar().split()[0]
            engine.dispose()
        except Exception:  # noqa: BLE001
            pass
    if redis:
        try:
            import redis as redis_module

            found["redis"] = redis_module.Redis.from_url(redis).info()["redis_version"]
        except Exception:  # noqa: BLE001
            pass
    return found


def machine() -> str:
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return (f"{os.cpu_count()} cores ({cpu.group(1).strip() if cpu else 'unknown CPU'}), "
            f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB memory, {platform.system()} {platform.release()}")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def gunicorn_settings() -> str:
    values: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), values)  # noqa: S102 - our file
    return f"{values['worker_class']}, {values['workers']} workers × {values['threads']} threads"


def write_doc(marker: str, body: str) -> None:
    begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Performance\n\n{begin}\n{end}\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    DOC.write_text(f"{head}{begin}\n{body.strip()}\n{end}{tail}", encoding="utf-8")


# ----------------------------------------------------------------------------- main


def bench_backend(backend: str, args, secret: str, redis: str | None, have_wrk: bool, rng: random.Random,
                  trainees: int, tag: str) -> tuple[list[Row], list[str], float]:
    from lms import create_app

    database = Database(backend, args.pg_url, tag)
    database.create()
    app = server = None
    try:
        print(f"== {backend}: seeding {trainees:,} trainees", flush=True)
        seconds = run_seed(database.url, trainees, timeout=args.seed_timeout)
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": secret,
                          "RATELIMIT_STORAGE_URI": "memory://", "INSTANCE_PATH": str(OUT / "instance")})
        print(f"== {backend}: preparing sessions and open quiz attempts", flush=True)
        with app.app_context():
            plan = prepare(app, secret, args.submits, rng)
        server = Server(database.url, secret, f"{backend}-{tag}", redis)
        server.start()
        print(f"== {backend}: gunicorn on {server.base} ({gunicorn_settings()})", flush=True)
        rows = measure(backend, app, server, plan, args.duration, args.locust_seconds, have_wrk)
        return rows, plan.notes, seconds
    finally:
        if server is not None:
            server.stop()
        if app is not None:
            with app.app_context():
                from lms.extensions import db

                db.session.remove()
                db.engine.dispose()
        if not args.keep:
            database.drop()


@dataclass
class Site:
    """One database size of a --scale run: its database, app (for preparing) and server."""

    trainees: int
    database: Database
    app: object = None
    server: Server | None = None
    plan: Plan | None = None
    seconds: float = 0.0


def scale_run(args, secret: str, redis: str | None, have_wrk: bool, rng: random.Random, backend: str,
              sizes: list[int]) -> tuple[list[Row], list[str], list[str]]:
    """Lesson, quiz submit and login at each size, measured in interleaved rounds
    (A, B, A, B, …) so that a change in the machine's load hits every size alike."""
    from lms import create_app

    sites = [Site(n, Database(backend, args.pg_url, f"{n // 1000}k-{os.getpid()}")) for n in sizes]
    rounds = args.rounds
    results: dict[tuple[int, str], list[float]] = {}
    try:
        for site in sites:
            site.database.create()
            print(f"== {backend}: seeding {site.trainees:,} trainees", flush=True)
            site.seconds = run_seed(site.database.url, site.trainees, timeout=args.seed_timeout)
            site.app = create_app({"SQLALCHEMY_DATABASE_URI": site.database.url, "SECRET_KEY": secret,
                                   "RATELIMIT_STORAGE_URI": "memory://", "INSTANCE_PATH": str(OUT / "instance")})
            with site.app.app_context():
                site.plan = prepare(site.app, secret, args.scale_submits * rounds, rng)
            site.server = Server(site.database.url, secret, f"{backend}-{site.trainees // 1000}k", redis)
            site.server.start()
        for r in range(rounds):
            for site in sites:
                print(f"  [{backend}] round {r + 1}/{rounds}: {site.trainees:,} trainees", flush=True)
                host, port, plan = "127.0.0.1", site.server.port, site.plan
                if have_wrk:
                    floor = wrk_row(backend, wrk("floor", site.server, plan.floor, args.scale_duration), None).rps
                    lesson = wrk_row(backend, wrk("lesson", site.server, plan.lessons, args.scale_duration), None)
                else:
                    floor = run_for("floor", host, port, lambda i: Job("GET", "/healthz"), CONNECTIONS,
                                    args.scale_duration).rps
                    jobs = [Job("GET", p, c, a) for p, c, a in plan.lessons]
                    lesson = from_stats(backend, run_for("lesson", host, port, lambda i: jobs[i % len(jobs)],
                                                         CONNECTIONS, args.scale_duration), "py")
                py_floor = run_for("floor", host, port, lambda i: Job("GET", "/healthz"), CONNECTIONS,
                                   args.scale_duration).rps
                batch = plan.submits[r * args.scale_submits:(r + 1) * args.scale_submits]
                submit = run_jobs("submit", host, port, batch, CONNECTIONS)
                logins = run_jobs("logins", host, port, plan.logins, len(plan.logins), barrier=True)
                for key, value in (("floor", floor), ("lesson", lesson.rps), ("lesson_ratio", lesson.rps / floor),
                                   ("lesson_p99", lesson.p99), ("py_floor", py_floor), ("submit", submit.rps),
                                   ("submit_ratio", submit.rps / py_floor), ("submit_errors", submit.errors),
                                   ("login_wall", logins.wall), ("login_errors", logins.errors)):
                    results.setdefault((site.trainees, key), []).append(value)
    finally:
        for site in sites:
            if site.server is not None:
                site.server.stop()
            if site.app is not None:
                with site.app.app_context():
                    from lms.extensions import db

                    db.session.remove()
                    db.engine.dispose()
            if not args.keep:
                site.database.drop()

    def median(values):
        values = sorted(values)
        return values[len(values) // 2]

    rows = []
    for site in sites:
        m = {key: median(results[(site.trainees, key)]) for key in (
            "floor", "lesson", "lesson_ratio", "lesson_p99", "py_floor", "submit", "submit_ratio", "login_wall")}
        label = f"{site.trainees:,} trainees"
        rows.append(Row(backend, f"lesson GET /kursus/<c>/<m> ({label})", "wrk" if have_wrk else "py", CONNECTIONS,
                        0, m["lesson"], None, None, m["lesson_p99"], 0, m["lesson"] / m["lesson_ratio"]))
        rows.append(Row(backend, f"quiz submit POST /kuis/percobaan/<id> ({label})", "py", CONNECTIONS,
                        args.scale_submits * rounds, m["submit"], None, None, None,
                        int(sum(results[(site.trainees, "submit_errors")])), m["submit"] / m["submit_ratio"]))
        rows.append(Row(backend, f"burst: {len(site.plan.logins)} simultaneous logins ({label})", "py",
                        len(site.plan.logins), len(site.plan.logins) * rounds, None, None, None, None,
                        int(sum(results[(site.trainees, "login_errors")])), wall=m["login_wall"],
                        note=f"median {m['login_wall']:.2f} s"))
    first, last = sites[0].trainees, sites[-1].trainees
    flat = ["", f"| cost (median of {rounds} interleaved rounds) | {first:,} trainees | {last:,} trainees | change "
                "| flat (≤ 10 %) |", "|---|---|---|---|---|"]
    for key, label, unit in (("lesson_ratio", "lesson page, req/s ÷ floor", "×"),
                             ("submit_ratio", "quiz submit, req/s ÷ floor (py)", "×"),
                             ("login_wall", "50 simultaneous logins, wall time", "s")):
        a, b = median(results[(first, key)]), median(results[(last, key)])
        change = (a / b - 1) if unit == "×" else (b / a - 1)  # positive: costlier at the larger size
        flat.append(f"| {label} | {a:.3f} {unit} | {b:.3f} {unit} | {change:+.1%} | "
                    f"{'yes' if abs(change) <= 0.10 else '**no**'} |")
    seeds = [f"{backend}, {s.trainees:,} trainees: seeded in {s.seconds:.0f} s (incl. migrations)" for s in sites]
    return rows, flat, seeds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk/closed-loop run (default 10)")
    parser.add_argument("--submits", type=int, default=800, help="quiz submissions in the throughput run")
    parser.add_argument("--locust-seconds", type=int, default=30, help="0 skips locust")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--seed-timeout", type=float, default=1800)
    parser.add_argument("--scale", action="store_true", help="compare 10,000 and 100,000 trainees (SQLite by default)")
    parser.add_argument("--scale-sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=5, help="--scale: interleaved rounds per size")
    parser.add_argument("--scale-duration", type=float, default=4, help="--scale: seconds per wrk run")
    parser.add_argument("--scale-submits", type=int, default=150, help="--scale: quiz submissions per round")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "instance").mkdir(exist_ok=True)
    import logging

    logging.disable(logging.INFO)
    began = time.perf_counter()
    load_before = load()
    have_wrk = shutil.which("wrk") is not None
    redis = redis_url(args.redis_url)
    secret = "bench-" + uuid.uuid4().hex + uuid.uuid4().hex
    rng = random.Random(7)  # noqa: S311 - load data, not secrets
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.scale and args.backends == "sqlite,postgresql":
        backends = ["sqlite"]
    rows: list[Row] = []
    notes: list[str] = []
    seeds: list[str] = []
    if not have_wrk:
        notes.append("wrk is not installed: GET pages were measured with the thread client (bench.client) instead")
    if not redis:
        notes.append(f"Redis at {args.redis_url} unreachable: rate limits counted per worker (memory://)")
    flat: list[str] = []
    if args.scale:
        sizes = [int(x) for x in args.scale_sizes.split(",")]
        for backend in backends:
            found, more_flat, more_seeds = scale_run(args, secret, redis, have_wrk, rng, backend, sizes)
            rows += found
            flat += more_flat
            seeds += more_seeds
    else:
        for backend in backends:
            tag = f"{args.trainees // 1000}k-{os.getpid()}"
            found, more, seconds = bench_backend(backend, args, secret, redis, have_wrk, rng, args.trainees, tag)
            rows += found
            notes += [f"{backend}: {n}" for n in more]
            seeds.append(f"{backend}, {args.trainees:,} trainees: seeded in {seconds:.0f} s (incl. migrations)")
    elapsed = time.perf_counter() - began
    body = table(rows) + "\n" + "\n".join(flat)
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    info = versions(args.pg_url if "postgresql" in backends else None, redis)
    report = "\n".join([
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"load average before {load_before}, after {load()}; whole run {elapsed / 60:.1f} min.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in info.items()) + ".",
        f"Server: gunicorn.conf.py ({gunicorn_settings()}), `--preload --no-control-socket`, LMS_PROXY_HOPS=1, "
        f"rate limits in {'Redis' if redis else 'memory'}; client and server share the machine.",
        "",
        "Command: `" + command.strip() + "` (`make bench` runs `python -m bench.run`, "
        "`make bench-scale` runs `python -m bench.run --scale`).",
        "",
        *[f"- {s}" for s in seeds],
        *[f"- note: {n}" for n in notes],
        "",
        body,
    ])
    print()
    print(report)
    if not args.no_doc:
        write_doc("bench-scale" if args.scale else "bench", report)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
