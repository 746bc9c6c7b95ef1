"""Scale-out: nginx (deploy/nginx.conf) in front of two Sinau instances sharing PostgreSQL and Redis.

Shows that the production setup of docs/deploy.md holds together:

- a login session started on instance A works on instance B (same SECRET_KEY,
  sessions in the shared database);
- the login rate limit is counted once for both instances (Redis);
- nginx serves /static/ itself;
- a wave of 50 pressing "Kirim jawaban" at once, spread by nginx over both
  instances, loses nothing: 50 responses, 0 errors, exactly 50 graded attempts.

Needs nginx (skipped without it unless LMS_REQUIRE_BROWSER=1, as in CI),
PostgreSQL (TEST_DATABASE_URL) and Redis (REDIS_URL).
"""
from __future__ import annotations

import http.cookiejar
import os
import random
import re
import shutil
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

from lms.extensions import db
from lms.quizzes.models import SUBMITTED, QuizAttempt

from ..conftest import TEST_PASSWORD
from ..courses.helpers import import_tree, module_text, write_course

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TRAINEES = 50
LOGIN_LIMIT = 3  # per minute and address, for both instances together
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
MODULE = "kuis-dua-instans"
QUIZ = """
```quiz
pass_mark: 50
questions:
  - id: satu
    type: truefalse
    text: Sinau berjalan di dua instans sekaligus.
    answer: true
    explanation: -.
  - id: dua
    type: single
    text: Siapa membagi permintaan?
    options:
      - text: nginx
        correct: true
      - text: Tidak ada
    explanation: -.
```
"""


def nginx_binary() -> str:
    path = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if path is None:
        if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
            pytest.fail("nginx is required (LMS_REQUIRE_BROWSER=1) but not installed; .ci/run installs nginx-light")
        pytest.skip("nginx not installed; .ci/run installs nginx-light")
    return path


def served_per_instance(logs: list[Path], expected: int, seconds: float = 10) -> list[int]:
    """Count quiz submissions in each instance's access log.

    gunicorn writes an access line after the response has gone out, so the
    last lines can land a moment after the client has its answer: wait for
    them (bounded) instead of reading the logs once.
    """
    deadline = time.monotonic() + seconds
    while True:
        served = [len(re.findall(r'"POST /kuis/percobaan/\d+ ', log.read_text(errors="replace"))) for log in logs]
        if sum(served) >= expected or time.monotonic() > deadline:
            return served
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not come up:\n" + log.read_text(errors="replace")[-3000:])


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Phone:
    """One trainee's phone: a cookie jar shared by every host, its own client address."""

    def __init__(self, address: str):
        self.address = address
        self.jar = http.cookiejar.CookieJar()
        self.follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, url: str, data: dict | None = None, follow: bool = True) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={"X-Forwarded-For": self.address})
        try:
            response = (self.follow if follow else self.stay).open(req, timeout=60)
            return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(errors="replace")

    def token(self, url: str) -> str:
        status, _url, page = self.request(url)
        assert status == 200, (url, status)
        return CSRF.search(page).group(1)

    def login(self, base: str, login: str, password: str = TEST_PASSWORD) -> tuple[int, str]:
        status, url, _page = self.request(base + "/masuk", {"csrf_token": self.token(base + "/masuk"),
                                                            "login": login, "password": password})
        return status, url


def nginx_config(runtime: Path, port: int, upstreams: list[int]) -> Path:
    """deploy/nginx.conf with its placeholders filled for a non-root run inside `runtime`."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    mime = "include /etc/nginx/mime.types;" if os.path.exists("/etc/nginx/mime.types") else ""
    text = (text.replace("@RUNTIME@", str(runtime)).replace("@LISTEN@", f"127.0.0.1:{port}")
            .replace("@ROOT@", str(ROOT)).replace("@MIME@", mime)
            .replace("@UPSTREAMS@", " ".join(f"server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in upstreams)))
    if os.geteuid() == 0:
        # Run as root (a CI container): keep the workers root too, so they can read the tmp dir.
        text = "user root;\n" + text
    conf = runtime / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


@pytest.fixture
def courses_dir(tmp_path):
    path = tmp_path / "courses"
    path.mkdir()
    return path


@pytest.fixture
def app_config(base_config, courses_dir):
    return {**base_config, "LMS_COURSES_PATH": str(courses_dir)}


def test_two_instances_behind_nginx(app, make_user, courses_dir, tmp_path):
    nginx = nginx_binary()
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    if database_url.startswith("sqlite"):
        pytest.skip("two instances share a PostgreSQL database: run with TEST_DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL not set: the instances count rate limits in Redis")

    from lms.courses import importer

    write_course(courses_dir, "kursus-skala", [(MODULE, module_text(MODULE, body=QUIZ))], title="Kursus Skala")
    import_tree(app, courses_dir, validators=importer.block_validators(app))
    users = [make_user() for _ in range(TRAINEES)]

    env = {k: v for k, v in os.environ.items() if k not in ("LMS_ENV",)}
    env.update(DATABASE_URL=database_url.replace("postgresql+psycopg://", "postgresql://", 1),
               SECRET_KEY=app.config["SECRET_KEY"], REDIS_URL=redis_url, LMS_PROXY_HOPS="1",
               LMS_COURSES_PATH=str(courses_dir), LMS_INSTANCE_PATH=str(tmp_path / "instance"),
               RATELIMIT_LOGIN=f"{LOGIN_LIMIT} per minute", WEB_CONCURRENCY="2", PYTHONUNBUFFERED="1")
    ports = [free_port(), free_port()]
    front = free_port()
    runtime = tmp_path / "nginx"
    runtime.mkdir()
    processes: list[subprocess.Popen] = []
    logs = [tmp_path / "instance-a.log", tmp_path / "instance-b.log"]
    try:
        for port, log in zip(ports, logs):
            with open(log, "wb") as out:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                     "--no-control-socket", "--preload", "wsgi:app"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        conf = nginx_config(runtime, front, ports)
        nginx_log = runtime / "error.log"
        with open(runtime / "nginx.out", "wb") as out:
            processes.append(subprocess.Popen([nginx, "-p", str(runtime), "-c", str(conf), "-g", "daemon off;"],
                                              stdout=out, stderr=subprocess.STDOUT))
        a, b, edge = (f"http://127.0.0.1:{p}" for p in (*ports, front))
        for base, process, log in ((a, processes[0], logs[0]), (b, processes[1], logs[1])):
            wait_for(base + "/healthz", process, log)
        wait_for(edge + "/healthz", processes[2], nginx_log if nginx_log.exists() else runtime / "nginx.out")

        # 1. A session started on A works on B (and through nginx).
        net = random.randrange(1, 250)
        phone = Phone(f"10.{net}.0.1")
        status, url = phone.login(a, users[0].login_name)
        assert status == 200 and url.endswith("/beranda"), (status, url)
        status, url, page = phone.request(b + "/beranda", follow=False)
        assert status == 200, f"B did not accept A's session: {status} {url}"
        assert users[0].name in page
        assert phone.request(edge + "/beranda", follow=False)[0] == 200

        # 2. The login limit is shared: A counts, B refuses.
        stranger = Phone(f"10.{net}.0.2")
        answers = [stranger.login(a, "081299999999", "salah sekali kata sandinya")[0] for _ in range(LOGIN_LIMIT - 1)]
        answers.append(stranger.login(b, "081299999999", "salah sekali kata sandinya")[0])
        assert answers == [200] * LOGIN_LIMIT, answers  # the form again, with its error
        assert stranger.login(b, "081299999999", "salah sekali kata sandinya")[0] == 429

        # 3. nginx serves the static files itself.
        before = [log.read_text(errors="replace").count("/static/css/sinau.css") for log in logs]
        assert phone.request(edge + "/static/css/sinau.css")[0] == 200
        assert [log.read_text(errors="replace").count("/static/css/sinau.css") for log in logs] == before

        # 4. A wave of 50 submits at once through nginx; nothing is lost.
        def prepare(index: int):
            person = Phone(f"10.{net}.{1 + index // 200}.{index % 200 + 1}")
            status, url = person.login((a, b)[index % 2], users[index].login_name)
            assert status == 200 and url.endswith("/beranda"), (status, url)
            token = person.token(f"{edge}/kuis/{MODULE}")
            status, url, page = person.request(f"{edge}/kuis/{MODULE}/mulai", {"csrf_token": token})
            match = re.search(r"/kuis/percobaan/(\d+)$", url)
            assert status == 200 and match, (status, url)
            return person, int(match.group(1)), CSRF.search(page).group(1)

        with ThreadPoolExecutor(max_workers=8) as pool:
            prepared = list(pool.map(prepare, range(TRAINEES)))
        barrier = threading.Barrier(TRAINEES + 1)
        statuses = [0] * TRAINEES

        def fire(index: int) -> None:
            person, attempt_id, token = prepared[index]
            answer = {"q-satu": "true", "q-dua": "o1"} if index % 2 else {"q-satu": "false"}
            barrier.wait(timeout=60)
            statuses[index] = person.request(f"{edge}/kuis/percobaan/{attempt_id}", {"csrf_token": token, **answer},
                                             follow=False)[0]

        threads = [threading.Thread(target=fire, args=(i,)) for i in range(TRAINEES)]
        for thread in threads:
            thread.start()
        barrier.wait(timeout=60)
        began = time.perf_counter()
        for thread in threads:
            thread.join(60)
        elapsed = time.perf_counter() - began
        served = served_per_instance(logs, TRAINEES)
    finally:
        for process in reversed(processes):
            stop(process)

    assert statuses == [302] * TRAINEES, (statuses, logs[0].read_text(errors="replace")[-2000:])
    assert all(served) and sum(served) == TRAINEES, f"nginx should spread the burst over both instances: {served}"
    with app.app_context():
        rows = db.session.execute(db.select(QuizAttempt.status, QuizAttempt.passed)).all()
    assert len(rows) == TRAINEES and all(status == SUBMITTED for status, _passed in rows)
    assert sum(1 for _status, passed in rows if passed) == TRAINEES // 2
    print(f"\ntwo instances: {TRAINEES} submissions through nginx in {elapsed:.2f} s, per instance {served}")
