"""Profile one page of a seeded database in-process (pyinstrument), as the benchmark's users see it.

    python -m bench.profile --database-url sqlite:///bench/out/bench.sqlite3 --page grid-big [--count 5]

Pages: home, lesson, quiz-submit, grid-big (KOTA-500), grid-small (BERJALAN),
review-queue, pdf, zip, login. Also prints the SQL statements per request and the
process's resident memory before and after (the high-water mark of a worker
comes from its largest page).
"""
from __future__ import annotations

import argparse
import logging
import random
import re
import resource
import sys
import time
from pathlib import Path

from bench import answers, seed
from bench.client import USER_AGENT


def rss_mb() -> float:
    match = re.search(r"^VmRSS:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) / 1024 if match else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--no-profile", action="store_true", help="only time it and count statements")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)

    from sqlalchemy import event

    from lms import create_app
    from lms.auth import services as accounts
    from lms.core.db import utcnow
    from lms.extensions import db
    from lms.quizzes import services as quizzes
    from lms.quizzes.models import QuizAttempt
    from lms.waves import services as waves

    from bench.run import address_of, anonymous_session, mint

    secret = "profile-" + "x" * 40
    app = create_app({"SQLALCHEMY_DATABASE_URI": seed.absolute_sqlite(args.database_url), "SECRET_KEY": secret,
                      "RATELIMIT_STORAGE_URI": "memory://"})
    now = utcnow()
    rng = random.Random(3)  # noqa: S311
    requests = []  # (method, path, cookie, address, data)
    with app.app_context():
        trainer = accounts.find_by_login(seed.BENCH_TRAINER_LOGIN)
        big = waves.find_wave_by_code(seed.BIG_WAVE)
        current = waves.find_wave_by_code(seed.CURRENT_WAVE)
        model = waves.find_wave_by_code(seed.MODEL_WAVE)
        users = waves.enrolled_users(big)[: args.count + 2]
        cookies = mint(app, [trainer] + users, now)
        t_cookie = cookies[trainer.id][0]
        t_addr = address_of(trainer.id)
        page = args.page
        for user in users:
            cookie, csrf = cookies[user.id]
            addr = address_of(user.id)
            if page == "home":
                requests.append(("GET", "/beranda", cookie, addr, None))
            elif page == "lesson":
                from lms.courses.models import Progress

                c, m = db.session.execute(db.select(Progress.course_slug, Progress.module_slug)
                                          .where(Progress.user_id == user.id).limit(1)).one()
                requests.append(("GET", f"/kursus/{c}/{m}", cookie, addr, None))
            elif page == "quiz-submit":
                slug = next(i.module_slug for i in waves.learning_path(big)
                            if (q := quizzes.current_quiz(i.module_slug)) and not q.settings.time_limit_minutes)
                started = quizzes.start_attempt(user, slug, now)
                attempt = db.session.get(QuizAttempt, started.attempt_id)
                questions = quizzes.attempt_questions(attempt)
                fields = [("csrf_token", csrf)] + answers.form_fields(questions, answers.responses(questions, 0.8, rng))
                requests.append(("POST", f"/kuis/percobaan/{attempt.id}", cookie, addr, fields))
            elif page == "login":
                anon, token = anonymous_session(app, addr)
                requests.append(("POST", "/masuk", anon, addr, [("csrf_token", token), ("login", user.phone),
                                                                 ("password", seed.BENCH_PASSWORD)]))
        if page == "grid-big":
            requests = [("GET", f"/gelombang/{big.id}/kemajuan", t_cookie, t_addr, None)] * (args.count + 2)
        elif page == "grid-small":
            requests = [("GET", f"/gelombang/{current.id}/kemajuan", t_cookie, t_addr, None)] * (args.count + 2)
        elif page == "review-queue":
            requests = [("GET", f"/gelombang/{current.id}/tugas", t_cookie, t_addr, None)] * (args.count + 2)
        elif page in ("pdf", "zip"):
            from lms.certificates.models import Certificate

            cert = db.session.scalar(db.select(Certificate).where(Certificate.wave_id == model.id).limit(1))
            if page == "pdf":
                requests = [("GET", f"/sertifikat/{cert.id}.pdf", t_cookie, t_addr, None)] * (args.count + 2)
            else:
                requests = [("GET", f"/gelombang/{model.id}/sertifikat.zip", t_cookie, t_addr, None)] * (args.count + 2)
        db.session.commit()
        if not requests:
            raise SystemExit(f"unknown page {page!r}")

    statements = []

    @event.listens_for(_engine(app), "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    client = app.test_client()

    def send(item):
        method, path, cookie, addr, data = item
        client.set_cookie("sinau_session", cookie or "")
        headers = {"X-Forwarded-For": addr, "User-Agent": USER_AGENT}
        if method == "GET":
            return client.get(path, headers=headers)
        from werkzeug.datastructures import MultiDict

        return client.post(path, data=MultiDict(data), headers=headers)

    before = rss_mb()
    for item in requests[:2]:  # warm-up
        response = send(item)
        assert response.status_code < 400, (item[1], response.status_code)
    statements.clear()
    profiler = None
    if not args.no_profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    times = []
    for item in requests[2:]:
        began = time.perf_counter()
        response = send(item)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code < 400, (item[1], response.status_code)
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
    times.sort()
    print(f"{args.page}: {len(times)} requests, median {times[len(times) // 2]:.1f} ms, "
          f"max {times[-1]:.1f} ms, {len(statements) / len(times):.1f} SQL statements per request, "
          f"RSS {before:.0f} → {rss_mb():.0f} MB (peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    return 0


def _engine(app):
    from lms.extensions import db

    with app.app_context():
        return db.engine


if __name__ == "__main__":
    sys.exit(main())
