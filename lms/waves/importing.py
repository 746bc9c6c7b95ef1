"""Bulk enrolment from a CSV: read and check the file, keep a preview on the
server, then create the missing accounts and enrol every valid row once the
admin confirms.

Same rules as `lms.waves.services`: explicit arguments, flush but never
commit, `WaveError(field, message)` when a rule refuses. Confirming takes the
wave's lock (`lock_wave`) like every other change to who holds a seat.
"""
from __future__ import annotations

import csv
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from lms.agencies import services as agencies
from lms.audit import services as audit
from lms.auth import passwords
from lms.auth import services as accounts
from lms.auth.models import KECAMATAN, Role, User
from lms.extensions import db
from lms.waves.models import ACTIVE_STATUSES, REMOVED, WAITLISTED, EnrolmentImport, Wave
from lms.waves.services import (
    WaveError,
    apply,
    check_eligible,
    count_enrolments,
    enrolment_for,
    lock_wave,
    seats_left,
)

MAX_IMPORT_ROWS = 1000
STALE_IMPORT_AGE = timedelta(days=1)


HEADER_ALIASES = {
    "nama": {"nama", "name", "namalengkap", "fullname", "namapeserta", "peserta"},
    "hp": {"hp", "nohp", "nomorhp", "nomerhp", "hpwa", "wa", "nowa", "nomorwa", "whatsapp", "nomorwhatsapp", "telepon",
           "telp", "notelp", "notelepon", "nomortelepon", "phone", "handphone", "ponsel", "nomorponsel"},
    "email": {"email", "surel", "alamatemail", "mail", "surat elektronik"},
    "kecamatan": {"kecamatan", "kec", "district"},
    "opd": {"opd", "instansi", "perangkatdaerah", "agency", "dinas", "unitkerja", "skpd"},
    "kepala_opd": {"kepalaopd", "kepala", "kepaladinas", "iskepala", "isopdhead", "opdhead", "kepalaperangkatdaerah"},
}
_YES = {"ya", "y", "yes", "1", "true", "benar", "v", "x", "iya", "kepala"}
_NO = {"", "tidak", "t", "no", "n", "0", "false", "bukan", "-", "tdk"}
_KECAMATAN_ALIASES = {"luarkota": "luar-kota", "luarkotamalang": "luar-kota", "luarmalang": "luar-kota"}

ROW_MESSAGES = {
    "name_missing": _l("Nama kosong."),
    "name_long": _l("Nama lebih dari 120 karakter."),
    "phone_invalid": _l("Nomor HP tidak dikenali: %(value)s."),
    "email_invalid": _l("Email tidak valid: %(value)s."),
    "login_missing": _l("Isi nomor HP atau email."),
    "duplicate": _l("Sama dengan baris %(line)s di berkas ini."),
    "agency_unknown": _l("OPD tidak dikenal: %(value)s."),
    "kecamatan_unknown": _l("Kecamatan tidak dikenal: %(value)s."),
    "head_unknown": _l("Kolom kepala_opd: tulis ya atau tidak (tertulis %(value)s)."),
    "opd_required": _l("Gelombang OPD: isi kolom opd."),
    "opd_account": _l("Akun yang sudah ada ini belum terhubung ke OPD."),
    "conflict": _l("Nomor HP dan email ini milik dua akun berbeda."),
    "staff_account": _l("Akun ini milik pelatih atau admin."),
    "inactive_account": _l("Akun ini dinonaktifkan."),
    "removed": _l("Orang ini pernah dikeluarkan dari gelombang ini; daftarkan dari halaman gelombang bila perlu."),
}
ROW_NOTES = {
    "existing": _l("Akun sudah ada: didaftarkan tanpa akun baru."),
    "already": _l("Sudah terdaftar di gelombang ini: tidak berubah."),
    "waitlist": _l("Kursi penuh: masuk daftar tunggu."),
}


def row_message(problem: dict) -> str:
    """The text of a stored row problem or note, in the reader's language."""
    code = problem.get("code", "")
    template = ROW_MESSAGES.get(code) or ROW_NOTES.get(code)
    if template is None:
        return code
    params = {k: v for k, v in problem.items() if k != "code"}
    return str(template) % params if params else str(template)


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


_ALIAS_INDEX = {_header_key(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases | {column}}


def _kecamatan(raw: str) -> str | None | bool:
    """A kecamatan slug, None for empty, False when unknown."""
    text = raw.casefold().strip()
    for prefix in ("kecamatan", "kec.", "kec "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    key = re.sub(r"[^a-z]", "", text)
    if not key:
        return None
    key = _KECAMATAN_ALIASES.get(key, key)
    return key if key in KECAMATAN else False


def read_csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode and split a CSV: (columns found, [(file line, {column: text})]).

    UTF-8 with or without BOM; `;`, `,` or tab between fields; header names
    in their common spellings (nama / Nama Lengkap, hp / No. HP / WhatsApp …)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WaveError("file", _l("Berkas bukan CSV UTF-8. Di Excel pilih Simpan sebagai → CSV UTF-8.")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in text.split("\n") if line.strip()), "")
    if not first:
        raise WaveError("file", _l("Berkas kosong."))
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns = [_ALIAS_INDEX.get(_header_key(h)) for h in header]
    found = [c for c in columns if c]
    if "nama" not in found or not ({"hp", "email"} & set(found)):
        raise WaveError("file", _l("Baris pertama harus berisi judul kolom: nama, hp, email, kecamatan, opd, kepala_opd."))
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row = {}
        for column, value in zip(columns, values):
            if column and column not in row:
                row[column] = value.strip()
        rows.append((reader.line_num, row))
        if len(rows) > MAX_IMPORT_ROWS:
            raise WaveError("file", _l("Paling banyak %(n)d baris per berkas.", n=MAX_IMPORT_ROWS))
    if not rows:
        raise WaveError("file", _l("Berkas tidak berisi peserta."))
    return found, rows


def _existing_account(phone: str | None, email: str | None) -> tuple[User | None, bool]:
    """(account, conflict): the account a phone or email names."""
    by_phone = db.session.scalar(db.select(User).where(User.phone == phone)) if phone else None
    by_email = db.session.scalar(db.select(User).where(User.email == email)) if email else None
    if by_phone is not None and by_email is not None and by_phone.id != by_email.id:
        return None, True
    return by_phone or by_email, False


def _check_row(wave: Wave, line: int, raw: dict[str, str], seen: dict[str, int], agency_cache: dict) -> dict:
    problems = []
    name = " ".join(raw.get("nama", "").split())
    if not name:
        problems.append({"code": "name_missing"})
    elif len(name) > 120:
        problems.append({"code": "name_long"})
    phone = email = None
    if raw.get("hp"):
        phone = accounts.normalise_phone(raw["hp"])
        if phone is None:
            problems.append({"code": "phone_invalid", "value": raw["hp"][:40]})
    if raw.get("email"):
        email = accounts.normalise_email(raw["email"])
        if email is None:
            problems.append({"code": "email_invalid", "value": raw["email"][:60]})
    if not raw.get("hp") and not raw.get("email"):
        problems.append({"code": "login_missing"})
    for key in (phone, email):
        if key and key in seen:
            problems.append({"code": "duplicate", "line": seen[key]})
            break
    for key in (phone, email):
        if key:
            seen.setdefault(key, line)
    kecamatan = _kecamatan(raw.get("kecamatan", ""))
    if kecamatan is False:
        problems.append({"code": "kecamatan_unknown", "value": raw["kecamatan"][:40]})
        kecamatan = None
    agency_id, agency_label = None, ""
    if raw.get("opd"):
        key = raw["opd"]
        if key not in agency_cache:
            agency_cache[key] = agencies.find_by_name(key)
        agency = agency_cache[key]
        if agency is None:
            problems.append({"code": "agency_unknown", "value": key[:80]})
        else:
            agency_id, agency_label = agency.id, agency.abbreviation
    head_text = raw.get("kepala_opd", "").casefold()
    is_head = head_text in _YES
    if head_text not in _YES and head_text not in _NO:
        problems.append({"code": "head_unknown", "value": raw["kepala_opd"][:20]})
    existing, conflict = _existing_account(phone, email)
    if conflict:
        problems.append({"code": "conflict"})
    notes = []
    existing_status = None
    if existing is not None:
        if existing.role != Role.TRAINEE.value:
            problems.append({"code": "staff_account"})
        elif not existing.active:
            problems.append({"code": "inactive_account"})
        elif wave.track == "opd" and existing.agency_id is None:
            problems.append({"code": "opd_account"})
        current = enrolment_for(wave, existing)
        existing_status = current.status if current else None
        if existing_status == REMOVED:
            problems.append({"code": "removed"})
        notes.append({"code": "already" if existing_status in ACTIVE_STATUSES else "existing"})
    elif wave.track == "opd" and agency_id is None and not raw.get("opd"):
        problems.append({"code": "opd_required"})
    return {
        "line": line,
        "name": name,
        "phone": phone,
        "email": email,
        "login_text": phone or email or raw.get("hp") or raw.get("email") or "",
        "kecamatan": kecamatan,
        "agency_id": agency_id,
        "agency": agency_label,
        "is_opd_head": is_head,
        "existing_user_id": existing.id if existing is not None else None,
        "existing_status": existing_status,
        "errors": problems,
        "notes": notes,
    }


def _mark_waitlist(wave: Wave, rows: list[dict]) -> None:
    """Say which rows will land on the waitlist because the wave is full."""
    free = seats_left(wave) if count_enrolments(wave.id, WAITLISTED) == 0 else 0
    for row in rows:
        row["notes"] = [n for n in row["notes"] if n["code"] != "waitlist"]
        if row["errors"] or row["existing_status"] in ACTIVE_STATUSES:
            continue
        if free > 0:
            free -= 1
        else:
            row["notes"].append({"code": "waitlist"})


def preview_import(wave: Wave, actor: User, filename: str, data: bytes, now: datetime) -> EnrolmentImport:
    """Check a CSV and keep the result on the server until the admin confirms.
    Nothing about people changes here."""
    _found, raw_rows = read_csv(data)
    seen: dict[str, int] = {}
    agency_cache: dict = {}
    rows = [_check_row(wave, line, raw, seen, agency_cache) for line, raw in raw_rows]
    _mark_waitlist(wave, rows)
    # Old previews nobody confirmed, and rows of confirmed ones, are not kept.
    db.session.execute(
        db.delete(EnrolmentImport).where(EnrolmentImport.confirmed_at.is_(None), EnrolmentImport.created_at < now - STALE_IMPORT_AGE)
    )
    pending = EnrolmentImport(wave_id=wave.id, created_by=actor.id, filename=(filename or "")[:200], rows=rows, created_at=now)
    db.session.add(pending)
    db.session.flush()
    return pending


def get_import(wave: Wave, import_id: int, actor: User) -> EnrolmentImport | None:
    """An import of this wave started by this admin (anyone else's is not found)."""
    found = db.session.get(EnrolmentImport, import_id)
    if found is None or found.wave_id != wave.id or found.created_by != actor.id:
        return None
    return found


@dataclass
class ImportPreview:
    rows: list[dict]
    total: int
    valid: int
    invalid: int
    new_accounts: int
    waitlisted: int
    unchanged: int


def describe_import(pending: EnrolmentImport) -> ImportPreview:
    rows = []
    for row in pending.rows:
        rows.append(
            {
                **row,
                "error_texts": [row_message(p) for p in row["errors"]],
                "note_texts": [row_message(n) for n in row["notes"]],
            }
        )
    valid = [r for r in rows if not r["errors"]]
    return ImportPreview(
        rows=rows,
        total=len(rows),
        valid=len(valid),
        invalid=len(rows) - len(valid),
        new_accounts=sum(1 for r in valid if r["existing_user_id"] is None),
        waitlisted=sum(1 for r in valid if any(n["code"] == "waitlist" for n in r["notes"])),
        unchanged=sum(1 for r in valid if r["existing_status"] in ACTIVE_STATUSES),
    )


def lines_needing_accounts(pending: EnrolmentImport) -> list[int]:
    """Read-only: the valid rows whose person has no account yet."""
    lines = []
    for row in pending.rows:
        if row["errors"]:
            continue
        existing, _conflict = _existing_account(row["phone"], row["email"])
        if existing is None:
            lines.append(row["line"])
    return lines


def hash_passwords(plain: dict[int, str]) -> dict[int, str]:
    """Hash many one-time passwords (slow; call before the write transaction).
    scrypt releases the GIL, so a few threads share the work."""
    if not plain:
        return {}
    keys = list(plain)
    # Each scrypt hash takes ~32 MB; four at a time keeps a small server comfortable.
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1, len(keys)))) as pool:
        hashes = list(pool.map(passwords.hash_password, (plain[k] for k in keys)))
    return dict(zip(keys, hashes))


@dataclass
class SheetRow:
    name: str
    login: str
    password: str | None  # None: the account existed, the old password stays
    status: str


def confirm_import(
    pending: EnrolmentImport, actor: User, one_time: dict[int, tuple[str, str]], now: datetime
) -> list[SheetRow] | None:
    """Create the missing accounts and enrol every valid row.

    `one_time` maps a file line to (password, hash), hashed beforehand. Returns
    the handout sheet, or None if this import was confirmed already."""
    wave = lock_wave(pending.wave_id)
    db.session.refresh(pending)
    if pending.confirmed_at is not None:
        return None
    sheet = []
    created = enrolled = 0
    for row in pending.rows:
        if row["errors"]:
            continue
        user, conflict = _existing_account(row["phone"], row["email"])
        if conflict:
            continue
        password = None
        if user is None:
            if row["line"] not in one_time:
                continue  # appeared between preview and confirm: upload again
            password, password_hash = one_time[row["line"]]
            user = accounts.create_user(
                accounts.NewAccount(
                    name=row["name"], password="", phone=row["phone"], email=row["email"], kecamatan=row["kecamatan"],
                    agency_id=row["agency_id"], is_opd_head=row["is_opd_head"], role=Role.TRAINEE.value,
                ),
                password_hash,
                now,
                must_change_password=True,
            )
            created += 1
        elif user.role != Role.TRAINEE.value or not user.active:
            continue
        try:
            check_eligible(wave, user)
        except WaveError:
            continue
        current = enrolment_for(wave, user)
        if current is not None and current.status == REMOVED:
            continue
        enrolment = apply(wave, user, now, source="csv", check_window=False)
        enrolled += 1
        sheet.append(SheetRow(user.name, user.login, password, enrolment.status))
    pending.confirmed_at = now
    pending.rows = []  # the personal data has done its job
    db.session.flush()
    audit.record(actor, "wave.import.confirmed", "wave", wave.id, now, created=created, enrolled=enrolled)
    return sheet
