"""Benchmark: the trainer's progress grid of a big wave.

    python -m bench.grid [--trainees 500] [--modules 30] [--repeat 20]

Builds a scratch SQLite database (or --database-url) through the real
services: a course of N modules imported from Markdown, a wave of the given
size with every module on its learning path, progress for about 60% of the
cells, then times the grid's server side (`lms.completion.services.evaluate`)
and the whole page through the test client, warm, and prints min / median /
p95 in milliseconds.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

MODULE = """---
slug: {slug}
title: Modul {n}
order: {n}
duration_minutes: 10
objectives: [Memahami contoh.]
tracks: [umum]
verified_on: "2026-11-28"
sources:
  - {{title: Sumber, url: "https://example.org/a", date: "2026-11"}}
---
Isi modul {n}.
"""


def build(app, trainees: int, modules: int):
    from lms.auth import passwords
    from lms.auth import services as accounts
    from lms.core.db import utcnow
    from lms.courses import importer
    from lms.courses import services as courses
    from lms.extensions import db
    from lms.waves import services as waves

    root = Path(tempfile.mkdtemp()) / "courses"
    folder = root / "bench"
    folder.mkdir(parents=True)
    (folder / "course.md").write_text("---\ntitle: Bench\nsummary: Bench.\norder: 1\ntracks: [umum]\nestimated_hours: 5\n---\nBench.\n")
    slugs = [f"bench-m{n:02d}" for n in range(1, modules + 1)]
    for n, slug in enumerate(slugs, 1):
        (folder / f"{n:02d}-{slug}.md").write_text(MODULE.format(slug=slug, n=n))
    now = utcnow()
    with app.app_context():
        result = importer.import_courses(root, now)
        assert result.ok, result.problems
        trainer = accounts.create_user(accounts.NewAccount(name="Pelatih Bench", password="x", email="bench@sinau.test", role="trainer"),
                                       passwords.hash_password("bench password long"), now)
        wave = waves.save_wave(None, waves.WaveData(name="Gelombang Bench", programme="Bench", code="BENCH", track="umum",
                                                    starts_on=now.date(), ends_on=now.date() + timedelta(days=30),
                                                    capacity=trainees, trainer_ids=[trainer.id]), None, now)
        waves.set_learning_path(wave, [("bench", s) for s in slugs])
        password_hash = passwords.hash_password("bench password long")
        rng = random.Random(7)
        for i in range(trainees):
            user = accounts.create_user(accounts.NewAccount(name=f"Peserta {i:04d}", password="x", phone=f"0813{i:08d}"), password_hash, now)
            waves.apply(wave, user, now, source="admin", check_window=False)
            for slug in slugs:
                if rng.random() < 0.6:
                    courses.mark_completed(user, "bench", slug, now)
            if i % 100 == 99:
                db.session.commit()
        db.session.commit()
        return wave.id, trainer.email


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"{label:<32} min {ordered[0]:7.1f} ms   median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--modules", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from lms import create_app
    from lms.core.db import utcnow
    from lms.extensions import db
    from lms.waves import services as waves
    from lms.completion import services as completion

    instance = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench-" + "k" * 40,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
    start = time.perf_counter()
    wave_id, trainer_login = build(app, args.trainees, args.modules)
    print(f"seeded {args.trainees} trainees x {args.modules} modules in {time.perf_counter() - start:.1f} s")

    def server_side():
        with app.app_context():
            completion.evaluate(waves.get_wave(wave_id), utcnow())
            db.session.remove()

    client = app.test_client()
    page = client.get("/masuk").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/masuk", data={"csrf_token": token, "login": trainer_login, "password": "bench password long"})

    def whole_page():
        response = client.get(f"/gelombang/{wave_id}/kemajuan")
        assert response.status_code == 200

    print(report(f"evaluate() {args.trainees}x{args.modules}", timed(server_side, args.repeat)))
    print(report(f"GET grid page {args.trainees}x{args.modules}", timed(whole_page, args.repeat)))


if __name__ == "__main__":
    main()
