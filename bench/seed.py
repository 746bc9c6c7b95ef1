"""A city-scale Sinau database for the benchmarks.

    python -m bench.seed --trainees 10000 [--database-url URL]

What it builds (10,000 trainees; every number scales with --trainees):

- the repository's curriculum (lms.courses.importer, quiz validator on),
  Kota Malang's agencies, one admin and a trainer per five waves;
- 10,000 trainees (lms.auth.services.create_user, ONE precomputed scrypt hash
  shared by every seeded account: hashing 10,000 times would take minutes);
- 200 waves of 50 spread over the past year (lms.waves.services.save_wave),
  each with the whole curriculum as its learning path, four class sessions
  and two announcements, plus one city-wide stage-2 wave of 500 running now
  (KOTA-500) whose members come from recently finished waves;
- realistic learning: ~20 progress rows per trainee (~200,000), one or more
  quiz attempts per completed module that has a quiz, attendance, login
  sessions and login events, wave completions (lms.completion.evaluate) and,
  when the certificates package is installed, certificates.

Everything that has a bench subject goes through the real services: the model
wave G0001 (everyone completes everything), the most recent wave and the 500
enrolments of KOTA-500 use waves.apply, attendance.set_roster,
courses.mark_started / mark_completed and quizzes.start_attempt /
submit_attempt. The other waves would take minutes that way (SQLAlchemy
spends ~1.8 ms building each mark_completed), so their rows are written with
bulk INSERTs of exactly the columns those services write; quiz attempts there
are copies of attempts the services made (same questions, answers and grade).
At the end a sample of bulk rows is handed back to the services
(mark_completed must find nothing to change, attempt_report must read the
attempt) so the two paths cannot drift apart unnoticed.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import answers

BENCH_PASSWORD = "bench sinau kota malang"
PROGRAMME = "Pelatihan Influencer & Literasi Digital Kota Malang 2026"
ADMIN_LOGIN = "admin@bench.sinau"
BENCH_TRAINER_LOGIN = "pelatih1@bench.sinau"
MODEL_WAVE = "TELADAN"  # the most recently ended wave: everyone completes everything (certificate ZIP)
CURRENT_WAVE = "BERJALAN"  # the newest wave of 50, running now (grid of 50, bursts of 50)
BIG_WAVE = "KOTA-500"  # city-wide stage 2, 500 trainees, running now
EXERCISES_SINCE_DAYS = 180  # practical exercises joined the programme half a year ago
WAVE_SIZE = 50
BIG_WAVE_SIZE = 500
WAVE_DAYS = 14
SESSIONS_PER_WAVE = 4

FIRST_NAMES = (
    "Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Sri", "Eko", "Nur", "Wahyu", "Indah", "Bagus", "Fitri",
    "Rizky", "Putri", "Hendra", "Ayu", "Dimas", "Lestari", "Joko", "Ani", "Yusuf", "Ratna", "Fajar", "Maya",
    "Slamet", "Wulan", "Arif", "Nanda", "Yoga", "Kartika", "Galih", "Dian", "Teguh", "Lilis", "Ilham",
)
LAST_NAMES = (
    "Wijaya", "Santoso", "Rahmawati", "Prasetyo", "Hidayat", "Kusuma", "Setiawan", "Lestari", "Saputra",
    "Nugroho", "Purnomo", "Handayani", "Susanto", "Maharani", "Firmansyah", "Utami", "Kurniawan", "Anggraini",
    "Wibowo", "Hartono", "Pratiwi", "Syahputra", "Ramadhani", "Gunawan",
)
KECAMATAN = ("blimbing", "klojen", "kedungkandang", "lowokwaru", "sukun", "luar-kota")


def trainee_login(n: int) -> str:
    """The phone number of seeded trainee n (1-based), as typed on the login form."""
    return f"0857{n:08d}"


def trainer_login(n: int) -> str:
    return f"pelatih{n}@bench.sinau"


def wave_code(k: int) -> str:
    """Code of the k-th (0-based) wave of 50."""
    return f"G{k + 1:04d}"


# --------------------------------------------------------------------------- plumbing


class Clock:
    def __init__(self, quiet: bool = False):
        self.began = time.perf_counter()
        self.quiet = quiet

    @contextmanager
    def phase(self, name: str):
        start = time.perf_counter()
        yield
        if not self.quiet:
            print(f"  {name:<66} {time.perf_counter() - start:6.1f} s", flush=True)

    def note(self, text: str) -> None:
        print(f"  note: {text}", flush=True)

    @property
    def total(self) -> float:
        return time.perf_counter() - self.began


class Bulk:
    """Buffered multi-row INSERTs (SQLAlchemy "insertmanyvalues" on SQLite and PostgreSQL)."""

    def __init__(self, size: int = 5000):
        self.size = size
        self.rows: dict[type, list[dict]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, model, row: dict) -> None:
        rows = self.rows[model]
        rows.append(row)
        if len(rows) >= self.size:
            self.flush(model)

    def flush(self, model=None) -> None:
        from lms.extensions import db

        for m in [model] if model is not None else list(self.rows):
            rows = self.rows[m]
            if rows:
                # Core executemany: the ORM's bulk path costs ~30 µs a row in Python.
                db.session.connection().execute(m.__table__.insert(), rows)
                self.counts[m.__tablename__] += len(rows)
                rows.clear()


@dataclass
class WavePlan:
    index: int  # -1 for the big wave
    code: str
    starts_on: date
    ends_on: date
    track: str
    trainees: list[int]  # user ids
    via_services: bool
    model: bool = False
    wave_id: int | None = None
    exercises: bool = False  # the wave requires practical exercises
    trainer_id: int | None = None
    session_ids: list[tuple[int, datetime]] = field(default_factory=list)  # (id, starts_at) of held sessions


@dataclass
class Summary:
    trainees: int
    seconds: float
    rows: dict[str, int]
    notes: list[str]


def _local_start(day: date, hour: int = 9) -> datetime:
    """09:00 in Malang (UTC+7) as naive UTC."""
    return datetime(day.year, day.month, day.day, hour) - timedelta(hours=7)


EXERCISE_WAITING, EXERCISE_APPROVED = "menunggu", "lulus"  # lms.exercises.models statuses
EXERCISE_COPIED = ("course_slug", "module_slug", "revision_number", "exercise_slug", "exercise_title", "video_provider",
                   "video_id", "video_url", "text_answer", "note", "score", "max_score", "pass_score", "rubric_scores",
                   "feedback")


def _exercise_answer(exercises, spec, rng: random.Random):
    if "text" in spec.submit:
        return exercises.Answer(text=rng.choice((
            "Saya membuat konten tentang UMKM keripik tempe di Sanan: ajakan jelas, sumber dicantumkan.",
            "Cek fakta: saya bandingkan tiga sumber resmi sebelum membagikan info banjir di Sukun.",
            "Naskah 30 detik: pembuka, masalah, solusi, ajakan mampir ke Kampung Warna-warni Jodipan.",
        )))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return exercises.Answer(link="https://youtu.be/" + "".join(rng.choice(alphabet) for _ in range(11)))


def _best_levels(spec) -> list[int]:
    return [max(range(len(c.levels)), key=lambda i: c.levels[i].points) for c in spec.criteria]


# ------------------------------------------------------------------------------ seed


def seed(app, trainees: int, *, rng_seed: int = 2026, all_certificates: bool = False, quiet: bool = False,
         batch: int = 2000, service_trainees: int = 15) -> Summary:
    """Fill an empty, migrated database. Returns the row counts and the time taken."""
    from sqlalchemy import func, inspect

    from lms.agencies import services as agencies
    from lms.auth import passwords
    from lms.auth import services as accounts
    from lms.auth.models import LoginEvent, User, UserSession
    from lms.core.db import utcnow
    from lms.courses import importer
    from lms.courses import services as courses
    from lms.courses.models import STATUS_COMPLETED, STATUS_STARTED, Course, Module, ModuleRevision, Progress
    from lms.extensions import db
    from lms.quizzes import pages as quiz_pages
    from lms.quizzes import services as quizzes
    from lms.quizzes.models import OPEN, QuizAttempt
    from lms.waves import announcements, attendance
    from lms.waves import services as waves
    from lms.waves.models import ENROLLED, Attendance, ClassSession, Enrolment, Wave

    clock = Clock(quiet)
    rng = random.Random(rng_seed)  # noqa: S311 - test data, not secrets
    notes: list[str] = []
    bulk = Bulk()
    now = utcnow()
    today = waves.local_today(now)

    if db.session.scalar(db.select(func.count(User.id))):
        raise SystemExit("bench.seed: the database already has users; seed a fresh one")

    # --- optional packages ------------------------------------------------------------
    try:
        from lms.exercises import reviewing
        from lms.exercises import services as exercises
        from lms.exercises.models import Submission, SubmissionEvent
        if "exercise_submissions" not in inspect(db.session.connection()).get_table_names():
            raise ImportError("no 'exercise_submissions' table: its migration is not in migrations/versions yet")
    except ImportError as error:
        exercises = reviewing = None
        notes.append(f"exercises: skipped ({error}); waves do not require exercises")
    try:
        from lms.certificates import services as certificates
        if "certificates" not in inspect(db.session.connection()).get_table_names():
            raise ImportError("no 'certificates' table: its migration is not in migrations/versions yet")
    except ImportError as error:
        certificates = None
        notes.append(f"certificates: skipped ({error})")

    # --- reference data and curriculum -------------------------------------------------
    with clock.phase("agencies and curriculum (importer)"):
        agencies.seed()
        root = Path(app.config["LMS_COURSES_PATH"])
        result = importer.import_courses(root, now, validators=importer.block_validators(app))
        if not result.ok:
            raise SystemExit("bench.seed: the curriculum does not import:\n" + "\n".join(map(str, result.problems)))
        db.session.commit()
        path = db.session.execute(
            db.select(Course.slug, Module.slug, ModuleRevision.number)
            .join(Module, Module.course_id == Course.id)
            .join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
            .where(Course.retired_at.is_(None), Module.retired_at.is_(None))
            .order_by(Course.order, Course.slug, Module.order, Module.slug)
        ).all()
        revision = {m: n for _c, m, n in path}
        path = [(c, m) for c, m, _n in path]
        quiz_info = {m: quizzes.current_quiz(m) for _c, m in path}
        quiz_info = {m: info for m, info in quiz_info.items() if info is not None}
        exercise_info = {}
        if exercises is not None:
            exercise_info = {m: exercises.get_exercise(m) for _c, m in path}
            exercise_info = {m: e for m, e in exercise_info.items() if e is not None}
        opd_agencies = [a.id for a in agencies.active_agencies()] if hasattr(agencies, "active_agencies") else []

    # --- accounts ------------------------------------------------------------------------
    n_waves = math.ceil(trainees / WAVE_SIZE)
    n_trainers = max(4, n_waves // 5)
    with clock.phase(f"{trainees:,} trainees + {n_trainers} trainers (auth.services.create_user)"):
        shared_hash = passwords.hash_password(BENCH_PASSWORD)  # once: scrypt costs ~0.1 s per hash
        created_at = now - timedelta(days=400)
        admin = accounts.create_user(accounts.NewAccount(
            name="Admin Bench", password="", email=ADMIN_LOGIN, role="admin", consent_version="bench"),
            shared_hash, created_at)
        admin_id = admin.id
        trainer_ids = []
        for t in range(1, n_trainers + 1):
            trainer = accounts.create_user(accounts.NewAccount(
                name=f"Pelatih {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {t}", password="",
                email=trainer_login(t), role="trainer", consent_version="bench"), shared_hash, created_at)
            trainer_ids.append(trainer.id)
        tracks = ["opd" if k % 5 == 3 else ("lansia" if k % 10 == 7 else "umum") for k in range(n_waves)]
        user_ids: list[int] = []
        for n in range(1, trainees + 1):
            track = tracks[(n - 1) // WAVE_SIZE]
            year = rng.randint(1950, 1966) if track == "lansia" else rng.randint(1970, 2007)
            user = accounts.create_user(accounts.NewAccount(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", password="",
                phone=trainee_login(n), kecamatan=rng.choice(KECAMATAN), birth_year=year,
                agency_id=rng.choice(opd_agencies) if track == "opd" and opd_agencies else None,
                consent_version="bench"), shared_hash, created_at)
            user_ids.append(user.id)
            if n % batch == 0:
                db.session.commit()
                db.session.expunge_all()
        db.session.commit()
        db.session.expunge_all()

    # --- waves ---------------------------------------------------------------------------
    plans: list[WavePlan] = []
    step = 365 / max(n_waves, 1)
    for k in range(n_waves):
        starts = today - timedelta(days=365 - int(k * step) + 2)
        members = user_ids[k * WAVE_SIZE:(k + 1) * WAVE_SIZE]
        plans.append(WavePlan(k, wave_code(k), starts, starts + timedelta(days=WAVE_DAYS), tracks[k], members,
                              via_services=False))
    current = plans[-1]  # the newest wave runs now, whatever the spacing of the others
    current.code, current.via_services, current.track = CURRENT_WAVE, True, "umum"
    current.starts_on, current.ends_on = today - timedelta(days=4), today + timedelta(days=WAVE_DAYS - 4)
    ended = [p for p in plans if p.ends_on < today]
    recent = sorted(ended, key=lambda p: p.ends_on, reverse=True)
    model = next(p for p in recent if p.track == "umum")
    model.code, model.model, model.via_services = MODEL_WAVE, True, True
    big_members = [uid for p in recent for uid in p.trainees if p.track != "opd" and not p.model][:BIG_WAVE_SIZE]
    big = WavePlan(-1, BIG_WAVE, today - timedelta(days=10), today + timedelta(days=20), "umum", big_members,
                   via_services=True)
    with clock.phase(f"{n_waves + 1} waves, sessions, announcements (waves.save_wave)"):
        admin = db.session.get(User, admin_id)
        for plan in plans + [big]:
            trainers = [trainer_ids[plan.index % n_trainers]] if plan.index >= 0 else []
            if plan.via_services:
                trainers = sorted(set(trainers + [trainer_ids[0]]))
            wave = waves.save_wave(None, waves.WaveData(
                name=("Gelombang Kota — Tahap 2" if plan is big else f"Gelombang {plan.index + 1}"),
                programme=PROGRAMME, code=plan.code, track=plan.track, stage=2 if plan is big else 1,
                starts_on=plan.starts_on, ends_on=plan.ends_on,
                venue=rng.choice(("Ruang Sidang Balai Kota Malang", "Command Center Diskominfo",
                                  "Gedung Kartini", "Perpustakaan Umum Kota Malang")),
                capacity=BIG_WAVE_SIZE if plan is big else WAVE_SIZE, hours=32,
                registration_opens_at=_local_start(plan.starts_on - timedelta(days=21)),
                registration_closes_at=_local_start(plan.starts_on - timedelta(days=1)),
                quizzes_required=True, trainer_ids=trainers,
                exercises_required=exercises is not None and (today - plan.starts_on).days <= EXERCISES_SINCE_DAYS,
            ), admin, now)
            plan.wave_id = wave.id
            plan.exercises = wave.exercises_required
            plan.trainer_id = (trainers or [trainer_ids[0]])[0]
            waves.set_learning_path(wave, path)
            span = (plan.ends_on - plan.starts_on).days
            for s in range(SESSIONS_PER_WAVE):
                day = plan.starts_on + timedelta(days=round(s * span / SESSIONS_PER_WAVE))
                starts_at = _local_start(day)
                session = attendance.save_session(wave, None, f"Pertemuan {s + 1}", starts_at,
                                                  starts_at + timedelta(hours=3), admin, now)
                if starts_at <= now:
                    plan.session_ids.append((session.id, starts_at))
            for a in range(2):
                announcements.post_announcement(wave, admin, f"Info gelombang {a + 1}",
                                                "Jangan lupa membawa HP yang sudah terisi daya.\nSampai jumpa di kelas!",
                                                min(now, _local_start(plan.starts_on + timedelta(days=a * 3))))
            db.session.commit()
        db.session.expunge_all()

    # --- enrolment and attendance ------------------------------------------------------------
    with clock.phase("enrolments + attendance (waves.apply / set_roster; bulk)"):
        for plan in plans + [big]:
            wave = db.session.get(Wave, plan.wave_id)
            applied = _local_start(plan.starts_on - timedelta(days=7))
            if plan.via_services:
                for uid in plan.trainees:
                    waves.apply(wave, db.session.get(User, uid), applied, source="admin", check_window=False)
            else:
                for uid in plan.trainees:
                    bulk.add(Enrolment, dict(wave_id=plan.wave_id, user_id=uid, status=ENROLLED, source="admin",
                                             applied_at=applied, enrolled_at=applied))
            bulk.flush(Enrolment)
            diligence = {uid: 1.0 if plan.model else rng.uniform(0.55, 1.0) for uid in plan.trainees}
            trainer = db.session.get(User, trainer_ids[max(plan.index, 0) % n_trainers])
            for session_id, starts_at in plan.session_ids:
                present = [uid for uid in plan.trainees if rng.random() < diligence[uid]]
                if plan.via_services:
                    attendance.set_roster(db.session.get(ClassSession, session_id), present, trainer,
                                          starts_at + timedelta(hours=3))
                else:
                    for uid in present:
                        bulk.add(Attendance, dict(session_id=session_id, user_id=uid, method="roster",
                                                  recorded_at=starts_at + timedelta(hours=3),
                                                  recorded_by=trainer.id))
            bulk.flush()
            db.session.commit()
            db.session.expunge_all()

    # --- learning: progress and quiz attempts ------------------------------------------------
    templates: dict[str, dict[bool, list[dict]]] = defaultdict(lambda: {True: [], False: []})
    limits: dict[str, timedelta | None] = {}
    exercise_templates: dict[str, list[dict]] = {}
    service_learners = {uid for p in plans if p.via_services for uid in p.trainees[:service_trainees]}

    def learning(plan: WavePlan, uid: int):
        """(modules touched in order with (completed?, opened_at, completed_at)), ability."""
        window_end = min(_local_start(plan.ends_on, 17), now - timedelta(hours=1))
        start = _local_start(plan.starts_on)
        span = max((window_end - start).total_seconds(), 3600)
        if plan.model:
            share = 1.0
        elif plan.ends_on < today:
            share = 1.0 if rng.random() < 0.4 else rng.uniform(0.2, 0.9)
        else:
            elapsed = (today - plan.starts_on).days / max((plan.ends_on - plan.starts_on).days, 1)
            share = min(1.0, max(0.0, elapsed * rng.uniform(0.5, 1.2)))
        touched = round(share * len(path))
        done = touched if share >= 1.0 else max(0, touched - rng.randint(1, 2))
        steps = []
        for i, (course_slug, module_slug) in enumerate(path[:touched]):
            opened = start + timedelta(seconds=span * i / max(len(path), 1))
            completed = opened + timedelta(minutes=rng.randint(8, 40)) if i < done else None
            steps.append((course_slug, module_slug, opened, completed))
        return steps, rng.uniform(0.6, 0.97)

    with clock.phase(f"learning of {len(service_learners)} trainees (courses, quizzes, exercises services)"):
        reviewer = db.session.get(User, trainer_ids[0])  # assigned to every service wave
        reviewer_id = reviewer.id
        for plan in plans:
            for uid in plan.trainees:
                if uid not in service_learners:
                    continue
                user = db.session.get(User, uid)
                steps, ability = learning(plan, uid)
                for course_slug, module_slug, opened, completed in steps:
                    courses.mark_started(user, course_slug, module_slug, opened)
                    if completed is None:
                        continue
                    courses.mark_completed(user, course_slug, module_slug, completed)
                    at = completed + timedelta(minutes=2)
                    exercise = exercise_info.get(module_slug)
                    if plan.exercises and exercise is not None and exercise.spec.applies_to(plan.track):
                        sent = exercises.submit(user, exercise, _exercise_answer(exercises, exercise.spec, rng), at)
                        if plan.model or rng.random() < 0.7:
                            reviewing.review(reviewer, sent, exercise, _best_levels(exercise.spec),
                                             "Bagus, pesannya jelas. Lanjutkan!", EXERCISE_APPROVED,
                                             at + timedelta(hours=rng.randint(2, 40)))
                    if module_slug not in quiz_info:
                        continue
                    for tries in range(1, 4):
                        started = quizzes.start_attempt(user, module_slug, at)
                        attempt = db.session.get(QuizAttempt, started.attempt_id)
                        questions = quizzes.attempt_questions(attempt)
                        p_right = 1.0 if (plan.model and tries == 3) else ability
                        outcome = quizzes.submit_attempt(
                            user, started.attempt_id, answers.responses(questions, p_right, rng),
                            at + timedelta(minutes=rng.randint(3, 9)))
                        if outcome.passed:
                            break
                        at += timedelta(hours=rng.randint(1, 30))
                db.session.commit()
                db.session.expunge_all()
                reviewer = db.session.get(User, reviewer_id)
        if exercises is not None:
            for sub in db.session.scalars(db.select(Submission).where(Submission.status == EXERCISE_APPROVED)):
                exercise_templates.setdefault(sub.module_slug, []).append({
                    c: getattr(sub, c) for c in EXERCISE_COPIED})
        for attempt in db.session.scalars(db.select(QuizAttempt).where(QuizAttempt.status != OPEN)):
            templates[attempt.module_slug][bool(attempt.passed)].append(dict(
                course_slug=attempt.course_slug, revision_number=attempt.revision_number,
                question_ids=attempt.question_ids, option_orders=attempt.option_orders, answers=attempt.answers,
                fractions=attempt.fractions, score=attempt.score, max_score=attempt.max_score,
                percent=attempt.percent, pass_mark=attempt.pass_mark, passed=attempt.passed, status=attempt.status,
            ))
            limits[attempt.module_slug] = (attempt.deadline_at - attempt.started_at) if attempt.deadline_at else None
        db.session.expunge_all()

    with clock.phase("learning of the others (bulk rows, same columns)"):
        first_bulk_submission = (db.session.scalar(db.select(func.max(Submission.id))) or 0) if exercises else 0
        for plan in plans:
            for uid in plan.trainees:
                if uid in service_learners:
                    continue
                steps, ability = learning(plan, uid)
                for course_slug, module_slug, opened, completed in steps:
                    row = dict(user_id=uid, module_slug=module_slug, course_slug=course_slug,
                               status=STATUS_COMPLETED if completed else STATUS_STARTED, first_opened_at=opened,
                               completed_at=completed, revision_number_completed=revision[module_slug] if completed else None,
                               best_score=None, quiz_passed_at=None)
                    sent = exercise_templates.get(module_slug) if plan.exercises and completed else None
                    if sent and exercise_info[module_slug].spec.applies_to(plan.track):
                        at = completed + timedelta(minutes=2)
                        waiting = plan.ends_on >= today and rng.random() < 0.3
                        reviewed = None if waiting else at + timedelta(hours=rng.randint(2, 40))
                        row_sent = dict(rng.choice(sent), user_id=uid, wave_id=plan.wave_id, attempt=1,
                                        submitted_at=at, updated_at=reviewed or at, reviewed_at=reviewed,
                                        reviewed_by=None if waiting else plan.trainer_id,
                                        status=EXERCISE_WAITING if waiting else EXERCISE_APPROVED)
                        if waiting:
                            row_sent.update(score=None, max_score=None, pass_score=None, rubric_scores=None,
                                            feedback=None)
                        bulk.add(Submission, row_sent)
                    pool = templates.get(module_slug)
                    if completed is not None and pool and (pool[True] or pool[False]):
                        at = completed + timedelta(minutes=2)
                        for tries in range(1, 4):
                            passed = (plan.model and tries == 3) or rng.random() < ability or not pool[False]
                            template = rng.choice(pool[passed] or pool[not passed])
                            submitted = at + timedelta(minutes=rng.randint(3, 9))
                            limit = limits[module_slug]
                            bulk.add(QuizAttempt, dict(
                                template, user_id=uid, module_slug=module_slug, attempt_number=tries, started_at=at,
                                deadline_at=at + limit if limit else None, submitted_at=submitted))
                            if row["best_score"] is None or template["percent"] > row["best_score"]:
                                row["best_score"] = template["percent"]
                            if template["passed"]:
                                row["quiz_passed_at"] = submitted
                                break
                            at += timedelta(hours=rng.randint(1, 30))
                    bulk.add(Progress, row)
            if plan.index % 10 == 0:
                bulk.flush()
                db.session.commit()
        bulk.flush()
        if exercises is not None:
            # Their history rows (sent, then judged), for the bulk submissions only.
            sub = Submission.__table__
            columns = ["submission_id", "actor_id", "action", "from_status", "to_status", "score", "note", "at"]
            for select in (
                db.select(sub.c.id, sub.c.user_id, db.literal("kirim"), db.literal(None), db.literal(EXERCISE_WAITING),
                          db.literal(None), sub.c.note, sub.c.submitted_at).where(sub.c.id > first_bulk_submission),
                db.select(sub.c.id, sub.c.reviewed_by, db.literal("nilai"), db.literal(EXERCISE_WAITING), sub.c.status,
                          sub.c.score, sub.c.feedback, sub.c.reviewed_at)
                .where(sub.c.id > first_bulk_submission, sub.c.reviewed_at.is_not(None)),
            ):
                db.session.execute(SubmissionEvent.__table__.insert().from_select(columns, select))
        db.session.commit()

    # --- logins (history of sessions and login events) ------------------------------------------
    with clock.phase("login sessions and login events (bulk)"):
        for plan in plans:
            base = _local_start(plan.starts_on)
            for uid in plan.trainees:
                for i in range(rng.randint(2, 6)):
                    at = min(base + timedelta(days=i * 3, minutes=rng.randint(0, 600)), now - timedelta(minutes=5))
                    ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
                    if rng.random() < 0.15:
                        bulk.add(LoginEvent, dict(user_id=uid, ip=ip, outcome="failure", at=at))
                    bulk.add(LoginEvent, dict(user_id=uid, ip=ip, outcome="success", at=at))
                    bulk.add(UserSession, dict(
                        user_id=uid, token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(), created_at=at,
                        revoked_at=at + timedelta(hours=2) if rng.random() < 0.5 else None))
        bulk.flush()
        db.session.commit()

    # --- completion and certificates ------------------------------------------------------------
    from lms.completion import services as completion
    from lms.completion.models import WaveCompletion

    completed_waves: dict[int, int] = {}
    with clock.phase("wave completions (completion.evaluate per wave)"):
        for plan in plans + [big]:
            wave = db.session.get(Wave, plan.wave_id)
            at = min(now, _local_start(plan.ends_on, 17))
            rows = [r for r in completion.evaluate(wave, at).rows
                    if r.status == completion.COMPLETE and r.completed_at is None]
            for r in rows:
                db.session.add(WaveCompletion(wave_id=wave.id, user_id=r.user.id, completed_at=at))
            completed_waves[plan.wave_id] = len(rows)
            db.session.commit()
            db.session.expunge_all()

    if certificates is not None:
        with clock.phase("certificates (certificates.issue_wave)"):
            targets = [p for p in plans if p.ends_on < today and (all_certificates or p.via_services)]
            if not all_certificates:
                notes.append(f"certificates: issued for {len(targets)} ended service waves only "
                             "(--all-certificates issues every ended wave)")
            for plan in targets:
                wave = db.session.get(Wave, plan.wave_id)
                issuer = db.session.get(User, trainer_ids[plan.index % n_trainers])
                certificates.issue_wave(wave, issuer, min(now, _local_start(plan.ends_on, 17)))
                db.session.commit()
                db.session.expunge_all()

    # --- the two paths must agree ------------------------------------------------------------------
    with clock.phase("check bulk rows against the services (sample)"):
        sample = db.session.execute(
            db.select(Progress.user_id, Progress.course_slug, Progress.module_slug)
            .where(Progress.status == STATUS_COMPLETED).order_by(func.random()).limit(100)
        ).all()
        for uid, course_slug, module_slug in sample:
            changed = courses.mark_completed(db.session.get(User, uid), course_slug, module_slug, now)
            if changed is not False:
                raise SystemExit(f"bench.seed: bulk progress of user {uid} at {module_slug} differs from the service")
        attempts = db.session.execute(
            db.select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.percent).order_by(func.random()).limit(30)
        ).all()
        for attempt_id, uid, percent in attempts:
            report = quiz_pages.attempt_report(db.session.get(User, uid), attempt_id)
            if report is None or report.attempt.percent != percent:
                raise SystemExit(f"bench.seed: attempt {attempt_id} does not read back through the services")
        db.session.rollback()

    counts = {}
    for table in ("users", "waves", "wave_enrolments", "wave_sessions", "wave_attendance", "progress",
                  "quiz_attempts", "exercise_submissions", "exercise_events", "user_sessions", "login_events",
                  "wave_completions", "certificates"):
        if table in inspect(db.session.connection()).get_table_names():
            counts[table] = db.session.scalar(db.text(f'SELECT count(*) FROM "{table}"'))  # noqa: S608 - fixed names
    db.session.rollback()
    return Summary(trainees, clock.total, counts, notes)


# ------------------------------------------------------------------------------ CLI


def migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def absolute_sqlite(database_url: str | None) -> str | None:
    """`sqlite:///bench/out/x.sqlite3` means that path from here (Flask-SQLAlchemy would
    otherwise read a relative SQLite path from the app's instance folder)."""
    prefix = "sqlite:///"
    if database_url and database_url.startswith(prefix) and not database_url.startswith(prefix + "/"):
        return prefix + str(Path(database_url[len(prefix):]).resolve())
    return database_url


def make_app(database_url: str | None):
    from lms import create_app

    database_url = absolute_sqlite(database_url)
    config = {"SQLALCHEMY_DATABASE_URI": database_url} if database_url else None
    return create_app(config)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.seed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="default: DATABASE_URL, else instance/sinau.sqlite3 (must be empty)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (the data are reproducible)")
    parser.add_argument("--all-certificates", action="store_true", help="issue certificates in every ended wave")
    parser.add_argument("--service-trainees", type=int, default=15,
                        help="trainees per service wave whose learning goes through the services (default 15)")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of the seeding")
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.INFO)  # the app logs every import line at INFO
    app = make_app(args.database_url)
    print(f"bench.seed: {args.trainees:,} trainees into {app.config['SQLALCHEMY_DATABASE_URI']}", flush=True)
    began = time.perf_counter()
    migrate(app)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    with app.app_context():
        summary = seed(app, args.trainees, rng_seed=args.seed, all_certificates=args.all_certificates,
                       quiet=args.quiet, service_trainees=args.service_trainees)
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
    for note in summary.notes:
        print(f"  note: {note}")
    print("  rows: " + ", ".join(f"{table} {n:,}" for table, n in summary.rows.items()))
    print(f"bench.seed: done in {time.perf_counter() - began:.1f} s (seeding {summary.seconds:.1f} s, "
          f"{args.trainees:,} trainees)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
