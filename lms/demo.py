"""Demo data for trying Sinau out: `flask --app wsgi lms demo`."""
from __future__ import annotations

from datetime import datetime

from lms.agencies import services as agencies
from lms.auth import services as accounts
from lms.auth.models import User
from lms.extensions import db

DEMO_PASSWORD = "belajar bareng di sinau"

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
    return lines
