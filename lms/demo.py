"""Demo data for trying Sinau out: `flask --app wsgi lms demo`."""
from __future__ import annotations

from datetime import datetime

from lms.agencies import services as agencies
from lms.auth import services as accounts
from lms.auth.models import User
from lms.extensions import db

DEMO_PASSWORD = "belajar bareng di sinau"  # nosec B105 - public on purpose: the README lists the demo logins

DEMO_USERS = (
    # role, name, login, kecamatan, birth year, agency, kepala OPD
    ("admin", "Admin Diskominfo", "admin@sinau.demo", "klojen", 1985, "Diskominfo", False),
    ("trainer", "Rina Wulandari", "pelatih@sinau.demo", "lowokwaru", 1990, None, False),
    ("trainer", "Bagus Prasetyo", "pelatih2@sinau.demo", "blimbing", 1988, None, False),
    ("trainee", "Siti Aminah", "081234500001", "sukun", 1996, None, False),
    ("trainee", "Pak Slamet Riyadi", "081234500002", "kedungkandang", 1958, None, False),
    ("trainee", "Dr. Hendra Kusuma", "081234500003", "klojen", 1972, "Dispendukcapil", True),
    ("trainee", "Ni Luh Putu Ayu Déwi", "081234500004", "lowokwaru", 2001, None, False),
)


def create_demo_data(now: datetime, only_if_empty: bool = False) -> list[str] | None:
    if only_if_empty and db.session.scalar(db.select(User.id).limit(1)) is not None:
        return None
    agencies.seed()
    password_hash = accounts.passwords.hash_password(DEMO_PASSWORD)
    lines = []
    for role, name, login, kecamatan, year, agency_name, head in DEMO_USERS:
        user = accounts.find_by_login(login)
        if user is None:
            agency = agencies.find_by_name(agency_name) if agency_name else None
            kind, value = accounts.normalise_login(login)
            user = accounts.create_user(
                accounts.NewAccount(
                    name=name, password=DEMO_PASSWORD, role=role, kecamatan=kecamatan, birth_year=year,
                    agency_id=agency.id if agency else None, is_opd_head=head, consent_version="demo",
                    phone=value if kind == "phone" else None, email=value if kind == "email" else None,
                ),
                password_hash,
                now,
            )
        label = f"{role}{' (kepala OPD)' if user.is_opd_head else ''}"
        lines.append(f"{label:<22} {user.login:<22} {DEMO_PASSWORD}")
    _demo_waves(now)
    _demo_certificate(now)
    return lines


def _demo_waves(now: datetime) -> None:
    """A running public wave (G01) with a session today and an OPD wave (G02). Idempotent."""
    from datetime import timedelta

    from lms.waves import announcements, attendance
    from lms.waves import services as waves

    admin = accounts.find_by_login("admin@sinau.demo")
    trainer = accounts.find_by_login("pelatih@sinau.demo")
    today = waves.local_today(now)
    specs = (
        ("G01", "Gelombang 1 — Tahap 1", "umum", ("081234500001", "081234500002", "081234500004")),
        ("G02", "Gelombang 2 — OPD Tahap 1", "opd", ("081234500003",)),
    )
    for code, name, track, logins in specs:
        wave = waves.find_wave_by_code(code)
        if wave is None:
            wave = waves.save_wave(
                None,
                waves.WaveData(
                    name=name, programme="Pelatihan Influencer Kota Malang 2026", code=code, track=track,
                    starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=13),
                    venue="Ruang Sidang Balai Kota Malang" if track == "umum" else "Command Center Diskominfo",
                    capacity=50, hours=32, registration_opens_at=now - timedelta(days=7),
                    registration_closes_at=now + timedelta(days=14), trainer_ids=[trainer.id],
                ),
                admin,
                now,
            )
        if all(t.id != trainer.id for t in wave.trainers):
            # The demo trainer runs both waves: they review G02's OPD exercises too.
            wave.trainers.append(trainer)
            db.session.flush()
        for login in logins:
            waves.apply(wave, accounts.find_by_login(login), now, source="admin", check_window=False)
        if code != "G01":
            continue
        if not any(waves.utc_to_local(s.starts_at).date() == today for s in attendance.sessions_of(wave)):
            local_now = waves.utc_to_local(now).replace(minute=0, second=0, microsecond=0)
            start = max(local_now - timedelta(hours=1), local_now.replace(hour=0))
            attendance.save_session(
                wave, None, "Pertemuan 1 — Kenalan dengan Sinau dan literasi digital",
                waves.local_to_utc(start), waves.local_to_utc(start + timedelta(hours=4)), trainer, now,
            )
        if not announcements.announcements_of(wave, limit=1):
            announcements.post_announcement(
                wave, trainer, "Selamat datang di Gelombang 1",
                "Pertemuan pertama hari ini di Ruang Sidang Balai Kota Malang.\n"
                "Bawa HP yang baterainya penuh. Kode presensi tampil di layar depan kelas.",
                now,
            )


def _demo_certificate(now: datetime) -> None:
    """A finished public wave (G00, ended last month) that Ni Luh Putu Ayu Déwi
    completed, with her certificate issued through the certificate service.
    Idempotent: nothing is added twice and her certificate keeps its serial."""
    from datetime import time, timedelta

    from lms.certificates import services as certificates
    from lms.completion import services as completion
    from lms.courses import services as courses
    from lms.courses.models import Progress
    from lms.waves import services as waves

    admin = accounts.find_by_login("admin@sinau.demo")
    trainer = accounts.find_by_login("pelatih@sinau.demo")
    trainee = accounts.find_by_login("081234500004")
    ends_on = waves.local_today(now).replace(day=1) - timedelta(days=1)  # the last day of last month
    starts_on = ends_on - timedelta(days=3)
    wave = waves.find_wave_by_code("G00")
    if wave is None:
        wave = waves.save_wave(
            None,
            waves.WaveData(
                name="Gelombang 0 — Uji Coba", programme="Pelatihan Influencer Kota Malang 2026", code="G00",
                track="umum", starts_on=starts_on, ends_on=ends_on, venue="Ruang Sidang Balai Kota Malang",
                capacity=20, hours=8, exercises_required=False, trainer_ids=[trainer.id],
            ),
            admin,
            now,
        )
        # A short path: the introduction module only (if the curriculum is imported).
        choices = waves.available_modules()
        short = [c for c in choices if c.module_slug == "mengenal-sinau"] or choices[:1]
        waves.set_learning_path(wave, [(c.course_slug, c.module_slug) for c in short])
    waves.apply(wave, trainee, now, source="admin", check_window=False)
    done_at = waves.local_to_utc(datetime.combine(wave.ends_on, time(11, 0)))
    for module in completion.path_modules(wave):
        courses.mark_completed(trainee, module.course_slug, module.module_slug, done_at)
        if not module.has_quiz:
            continue
        db.session.execute(  # the quiz, passed on the last day
            db.update(Progress)
            .where(Progress.user_id == trainee.id, Progress.module_slug == module.module_slug,
                   Progress.quiz_passed_at.is_(None))
            .values(quiz_passed_at=done_at, best_score=100.0)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    if trainee.id not in completion.completed_user_ids(wave):
        completion.record_completions(trainee, done_at)
    try:
        certificates.issue(wave, trainee, done_at)
    except certificates.CertificateError:
        pass  # the path could not be completed (e.g. the module has an exercise block that needs review)

