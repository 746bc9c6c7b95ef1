"""50 trainees press "Kirim jawaban" at the same moment, against a real gunicorn.

The users, their login sessions and their open attempts are prepared over
HTTP first; then 50 threads wait at a barrier and submit together. Every
request must answer 2xx/3xx and exactly 50 attempts must end up graded, on
SQLite (writers queue on BEGIN IMMEDIATE) and on PostgreSQL.
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lms.courses.models import Progress
from lms.extensions import db
from lms.quizzes.models import SUBMITTED, QuizAttempt

from ..conftest import TEST_PASSWORD
from .conftest import QUIZ_MODULE

ROOT = Path(__file__).resolve().parents[2]
TRAINEES = 50
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

QUIZ = """
pass_mark: 50
attempts: 1
questions:
  - id: satu
    type: single
    text: Pilih yang benar.
    options:
      - text: Benar
        correct: true
      - text: Salah
    explanation: -.
  - id: dua
    type: truefalse
    text: Sinau hemat kuota.
    answer: true
    explanation: -.
  - id: tiga
    type: numeric
    text: Dua tambah dua?
    answer: 4
    explanation: -.
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One trainee's phone: a cookie jar and its own client address (the server trusts
    one proxy hop, so X-Forwarded-For gives each trainee their own rate-limit bucket)."""

    def __init__(self, base: str, address: str):
        self.base, self.address = base, address
        jar = http.cookiejar.CookieJar()
        self.follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, follow: bool = True):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"X-Forwarded-For": self.address})
        try:
            response = (self.follow if follow else self.stay).open(req, timeout=60)
            return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), ""

    def token(self, path: str) -> str:
        status, _url, page = self.request(path)
        assert status == 200, (path, status)
        return CSRF.search(page).group(1)


def start_server(app, tmp_path: Path):
    port = free_port()
    env = dict(os.environ)  # REDIS_URL only if the suite itself has one
    env.update(DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY=app.config["SECRET_KEY"],
               LMS_INSTANCE_PATH=str(tmp_path / "instance"), LMS_PROXY_HOPS="1", PYTHONUNBUFFERED="1")
    log = open(tmp_path / "gunicorn.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", "4", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "--no-control-socket", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, base, log
        except OSError:
            time.sleep(0.2)
    stop_server(process, log)
    pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text(errors="replace")[-3000:])


def stop_server(process, log) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    log.close()


def prepare(base: str, index: int, login: str) -> tuple[Browser, int, str]:
    """Log in through the form, start the attempt, read the quiz page's CSRF token."""
    browser = Browser(base, f"10.20.{index // 200}.{index % 200 + 1}")
    token = browser.token("/masuk")
    status, url, _page = browser.request("/masuk", {"csrf_token": token, "login": login, "password": TEST_PASSWORD})
    assert status == 200 and url.endswith("/beranda"), (login, status, url)
    token = browser.token(f"/kuis/{QUIZ_MODULE}")
    status, url, page = browser.request(f"/kuis/{QUIZ_MODULE}/mulai", {"csrf_token": token})
    match = re.search(r"/kuis/percobaan/(\d+)$", url)
    assert status == 200 and match, (login, status, url)
    return browser, int(match.group(1)), CSRF.search(page).group(1)


def test_fifty_trainees_submit_at_once(app, make_user, make_quiz, tmp_path, capsys):
    make_quiz(QUIZ)
    users = [make_user() for _ in range(TRAINEES)]
    process, base, log = start_server(app, tmp_path)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            prepared = list(pool.map(lambda pair: prepare(base, pair[0], pair[1].login_name), enumerate(users)))
        assert len({attempt_id for _b, attempt_id, _t in prepared}) == TRAINEES

        barrier = threading.Barrier(TRAINEES + 1)
        statuses: list[int] = [0] * TRAINEES

        def fire(index: int) -> None:
            browser, attempt_id, token = prepared[index]
            answers = {"q-satu": "o1", "q-dua": "true", "q-tiga": "4"} if index % 2 else {"q-satu": "o2"}
            barrier.wait()
            statuses[index] = browser.request(f"/kuis/percobaan/{attempt_id}", {"csrf_token": token, **answers},
                                              follow=False)[0]

        threads = [threading.Thread(target=fire, args=(i,)) for i in range(TRAINEES)]
        for thread in threads:
            thread.start()
        barrier.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join(120)
        elapsed = time.perf_counter() - began
    finally:
        stop_server(process, log)

    errors = sum(1 for status in statuses if not 200 <= status < 400)
    with capsys.disabled():
        sys.stdout.write(f"\nquiz burst: {TRAINEES} requests, {elapsed:.2f} s, {errors} errors\n")
        sys.stdout.flush()
    assert errors == 0, (statuses, (tmp_path / "gunicorn.log").read_text(errors="replace")[-3000:])
    assert all(status == 302 for status in statuses)
    with app.app_context():
        rows = db.session.execute(db.select(QuizAttempt.status, QuizAttempt.passed)).all()
        assert len(rows) == TRAINEES
        assert sum(1 for status, _passed in rows if status == SUBMITTED) == TRAINEES
        assert sum(1 for _status, passed in rows if passed) == TRAINEES // 2
        best = db.session.scalars(db.select(Progress.best_score).where(Progress.module_slug == QUIZ_MODULE)).all()
        assert len(best) == TRAINEES and sorted(set(best)) == [0.0, 100.0]
