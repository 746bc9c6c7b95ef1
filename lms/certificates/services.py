"""Certificates: issue once, revoke, re-issue, look up; the PDF and Open Badges 2.0 documents.

Plain functions with explicit arguments (`user`, `now`, `base_url`); they
flush, never commit, and raise `CertificateError(field, message)` when a rule
refuses. Whether a trainee completed a wave is asked of `lms.completion`,
never decided here.

Exactly one valid certificate per trainee and wave: a partial unique index
(`WHERE revoked_at IS NULL`) on (user_id, wave_id). Issuing inserts inside a
savepoint; an IntegrityError means another request issued first (or took the
same serial number), so we look again and return theirs or try the next
number.
"""
from __future__ import annotations

import hashlib
import io
import re
import secrets
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from lms.audit import services as audit
from lms.auth.models import User
from lms.certificates import pdf
from lms.certificates.models import Certificate, CertificateDesign
from lms.completion import services as completion
from lms.courses.models import STATUS_COMPLETED, Progress
from lms.extensions import db
from lms.waves import services as waves
from lms.waves.models import Wave

ISSUER_NAME = "Diskominfo Kota Malang"
ISSUER_URL = "https://kominfo.malangkota.go.id/"
BADGE_IMAGE_PATH = "/static/badges/sinau-badge.png"
OB_CONTEXT = "https://w3id.org/openbadges/v2"
SERIAL_PREFIX = "SINAU"
MAX_TRIES = 5
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SERIAL_RE = re.compile(r"^[A-Z0-9/-]{1,40}$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = ("programme", "wave", "stage", "dates", "hours")
MAX_IMAGE_PIXELS = 16_000_000  # refuse before decoding (decompression bombs)
IMAGE_BOX = (1200, 600)  # signatures and logos are scaled down to fit


class CertificateError(ValueError):
    """A rule refused; `field` names the form field to blame (or "")."""

    def __init__(self, field: str, message):
        super().__init__(message)  # lazy: rendered in the reader's language when shown
        self.field = field
        self.message = message


def local_date(value: datetime) -> date:
    return waves.local_today(value)


# --- looking certificates up --------------------------------------------------------


def get(certificate_id: int) -> Certificate | None:
    return db.session.get(Certificate, certificate_id)


def by_code(code: str) -> Certificate | None:
    if not code or not CODE_RE.match(code):
        return None
    return db.session.scalar(db.select(Certificate).where(Certificate.code == code))


def normalise_serial(raw: str | None) -> str:
    """What someone typed from paper: spaces dropped, upper case ("sinau/2026/g03/0047")."""
    return "".join((raw or "").split()).upper()[:60]


def by_serial(raw: str | None) -> Certificate | None:
    serial = normalise_serial(raw)
    if not serial or not SERIAL_RE.match(serial):
        return None
    return db.session.scalar(db.select(Certificate).where(Certificate.serial == serial))


def can_view(user: User, certificate: Certificate) -> bool:
    """The owner, the wave's trainers and admins; for anyone else it does not exist."""
    return certificate.user_id == user.id or waves.can_manage(user, certificate.wave)


def of_user(user: User) -> list[Certificate]:
    return list(
        db.session.scalars(
            db.select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def of_wave(wave: Wave, valid_only: bool = False) -> list[Certificate]:
    stmt = db.select(Certificate).where(Certificate.wave_id == wave.id)
    if valid_only:
        stmt = stmt.where(Certificate.revoked_at.is_(None))
    return list(db.session.scalars(stmt.order_by(Certificate.sequence)))


def valid_for(wave: Wave, user: User) -> Certificate | None:
    return db.session.scalar(
        db.select(Certificate).where(
            Certificate.wave_id == wave.id, Certificate.user_id == user.id, Certificate.revoked_at.is_(None)
        )
    )


# --- issuing ----------------------------------------------------------------------


def pending(wave: Wave, now: datetime) -> list[User]:
    """Who would get a certificate now: completed (per lms.completion) and no valid one yet."""
    progress = completion.evaluate(wave, now)
    holders = set(
        db.session.scalars(
            db.select(Certificate.user_id).where(Certificate.wave_id == wave.id, Certificate.revoked_at.is_(None))
        )
    )
    return [row.user for row in progress.rows if row.status == completion.COMPLETE and row.user.id not in holders]


def issue(wave: Wave, user: User, now: datetime, issuer: User | None = None) -> tuple[Certificate, bool]:
    """The trainee's valid certificate for the wave: (existing, False) or (new, True).

    `issuer` is the person who issued it, None when issued automatically.
    Refuses (CertificateError) when the trainee has not completed the wave.
    """
    existing = valid_for(wave, user)
    if existing is not None:
        return existing, False
    progress = completion.trainee_progress(wave, user, now)
    if progress is None or progress.status != completion.COMPLETE:
        raise CertificateError("", _l("%(name)s belum menyelesaikan %(wave)s.", name=user.name, wave=wave.name))
    return _create(wave, user, now, issuer, completed_modules(wave, [user.id]).get(user.id, []))


def issue_wave(wave: Wave, actor: User, now: datetime) -> list[Certificate]:
    """Issue to everyone `pending` lists; returns the certificates created by this call."""
    people = pending(wave, now)
    modules = completed_modules(wave, [p.id for p in people])
    created = []
    for person in people:
        certificate, new = _create(wave, person, now, actor, modules.get(person.id, []))
        if new:
            created.append(certificate)
    if created:
        audit.record(actor, "certificates.issued", "wave", wave.id, now, code=wave.code, count=len(created))
    return created


def on_wave_completed(sender, user_id: int, wave_id: int, now: datetime, **_extra) -> None:
    """Receiver of `wave_completed`: issue the certificate automatically (flush only)."""
    user = db.session.get(User, user_id)
    wave = waves.get_wave(wave_id)
    if user is None or wave is None:
        return
    try:
        issue(wave, user, now, issuer=None)
    except CertificateError:
        pass  # the rule says not complete after all: staff can issue later from the wave's page


def completed_modules(wave: Wave, user_ids: Iterable[int]) -> dict[int, list[dict]]:
    """{user id: [{course, module, title, revision, completed_at}]} for the wave's path, from Progress."""
    user_ids = list(user_ids)
    path = completion.path_modules(wave)
    if not user_ids or not path:
        return {}
    rows = db.session.scalars(
        db.select(Progress).where(
            Progress.user_id.in_(user_ids),
            Progress.module_slug.in_([m.module_slug for m in path]),
            Progress.status == STATUS_COMPLETED,
        )
    )
    found = {(p.user_id, p.module_slug): p for p in rows}
    result: dict[int, list[dict]] = {}
    for user_id in user_ids:
        items = []
        for module in path:
            p = found.get((user_id, module.module_slug))
            if p is None:
                continue
            items.append(
                {
                    "course": module.course_slug,
                    "module": module.module_slug,
                    "title": module.title,
                    "revision": p.revision_number_completed,
                    "completed_at": p.completed_at.isoformat(timespec="seconds") if p.completed_at else None,
                }
            )
        result[user_id] = items
    return result


def _recipient(user: User) -> tuple[str, str, str]:
    """Open Badges 2.0 recipient, fixed at issue time: (type, identity, salt).

    An email is hashed with a salt (what backpacks match on). A phone number is
    never used: Indonesian mobile numbers are few enough (~10^10) that anyone
    holding the public assertion could recover one from its salted hash. An
    account without email is identified by its certificate's own verification
    page instead (type "url", hashed when the assertion is built, see
    `recipient_of`): no personal data, and the page shows the name.
    """
    salt = secrets.token_hex(16)
    if user.email:
        return "email", "sha256$" + hashlib.sha256((user.email.lower() + salt).encode()).hexdigest(), salt
    return "url", "", salt


def recipient_of(certificate: Certificate, base_url: str) -> dict:
    """The assertion's IdentityObject ("telephone" rows from before 0016 are "url" now too)."""
    if certificate.recipient_type == "email":
        identity = certificate.recipient_identity
    else:
        identity = "sha256$" + hashlib.sha256((verify_url(base_url, certificate.code) + certificate.recipient_salt).encode()).hexdigest()
    return {"type": "email" if certificate.recipient_type == "email" else "url", "hashed": True,
            "salt": certificate.recipient_salt, "identity": identity}


def _next_sequence(wave: Wave) -> int:
    return (db.session.scalar(db.select(func.max(Certificate.sequence)).where(Certificate.wave_id == wave.id)) or 0) + 1


def serial_for(year: int, wave_code: str, sequence: int) -> str:
    return f"{SERIAL_PREFIX}/{year}/{wave_code}/{sequence:04d}"


def _insert(certificate: Certificate) -> bool:
    """Insert inside a savepoint; False when a unique index refused it."""
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return False
    return True


def _create(wave: Wave, user: User, now: datetime, issuer: User | None, modules: list[dict]) -> tuple[Certificate, bool]:
    design = current_design()
    kind, identity, salt = _recipient(user)
    for _attempt in range(MAX_TRIES):
        existing = valid_for(wave, user)
        if existing is not None:
            return existing, False  # another request issued it first
        sequence = _next_sequence(wave)
        certificate = Certificate(
            user_id=user.id,
            wave_id=wave.id,
            sequence=sequence,
            serial=serial_for(local_date(now).year, wave.code, sequence),
            code=secrets.token_urlsafe(24),  # 192 bits
            name=user.name,
            programme=wave.programme,
            wave_name=wave.name,
            stage=wave.stage,
            starts_on=wave.starts_on,
            ends_on=wave.ends_on,
            hours=wave.hours,
            modules=modules,
            design_id=design.id if design else None,
            recipient_type=kind,
            recipient_identity=identity,
            recipient_salt=salt,
            issued_at=now,
            issued_by=issuer.id if issuer else None,
        )
        if _insert(certificate):
            return certificate, True
        # Already issued by a concurrent request, or its serial was taken: look again.
    existing = valid_for(wave, user)
    if existing is not None:
        return existing, False
    raise RuntimeError(f"could not issue a certificate for user {user.id} in wave {wave.id}")


# --- revoking -----------------------------------------------------------------------


def revoke(certificate: Certificate, actor: User, reason: str, now: datetime) -> Certificate:
    """Mark the certificate revoked (kept, never deleted). Atomic: two admins cannot both revoke it."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError("reason", _l("Tulis alasan pencabutan."))
    if len(reason) > 300:
        raise CertificateError("reason", _l("Maksimal 300 karakter."))
    result = db.session.execute(
        db.update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by=actor.id, revoke_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise CertificateError("", _l("Sertifikat ini sudah dicabut."))
    db.session.refresh(certificate)
    audit.record(actor, "certificate.revoked", "certificate", certificate.id, now, serial=certificate.serial, reason=reason)
    return certificate


def reissue(certificate: Certificate, actor: User, reason: str, now: datetime) -> Certificate:
    """Revoke, then issue a new certificate (new serial and code) with today's name and design."""
    revoke(certificate, actor, reason, now)
    new, _created = issue(certificate.wave, certificate.user, now, issuer=actor)
    audit.record(actor, "certificate.reissued", "certificate", new.id, now, serial=new.serial, replaces=certificate.serial)
    return new


# --- the design -----------------------------------------------------------------------


@dataclass
class DesignData:
    heading: str
    heading_en: str
    awarded: str
    awarded_en: str
    body: str
    body_en: str
    issuer_name: str
    issuer_title: str
    place: str
    signature: bytes | None = None  # uploaded bytes (re-encoded here)
    logo: bytes | None = None
    remove_signature: bool = False
    remove_logo: bool = False


def current_design() -> CertificateDesign | None:
    return db.session.scalar(db.select(CertificateDesign).order_by(CertificateDesign.id.desc()).limit(1))


def pdf_design(row: CertificateDesign | None) -> pdf.CertificateDesign:
    """The renderer's frozen design (plain data) for a stored version, or the built-in one."""
    if row is None:
        return pdf.CertificateDesign()
    return pdf.CertificateDesign(
        heading=row.heading, heading_en=row.heading_en, awarded=row.awarded, awarded_en=row.awarded_en,
        body=row.body, body_en=row.body_en, issuer_name=row.issuer_name, issuer_title=row.issuer_title,
        place=row.place, signature_png=row.signature_png, logo_png=row.logo_png,
    )


def unknown_placeholders(text: str) -> list[str]:
    return [m.group(0) for m in PLACEHOLDER_RE.finditer(text or "") if m.group(1) not in PLACEHOLDERS]


def clean_image(data: bytes) -> bytes:
    """A PNG or JPEG upload re-encoded as PNG (metadata and anything hidden dropped), scaled to fit."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ("PNG", "JPEG"):
                    raise CertificateError("", _l("Unggah gambar PNG atau JPEG."))
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise CertificateError("", _l("Gambar terlalu besar. Maksimal 4000 × 4000 piksel."))
                image.load()
                has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
                clean = image.convert("RGBA" if has_alpha else "RGB")
    except CertificateError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning, SyntaxError):
        raise CertificateError("", _l("Berkas ini bukan gambar PNG atau JPEG yang bisa dibaca.")) from None
    clean.thumbnail(IMAGE_BOX)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def build_design(data: DesignData, previous: CertificateDesign | None) -> CertificateDesign:
    """A new (unsaved) version from the form; images are cleaned, or carried over from `previous`."""
    for field in ("heading", "heading_en", "awarded", "awarded_en", "body", "body_en"):
        bad = unknown_placeholders(getattr(data, field))
        if bad:
            raise CertificateError(
                field,
                _l("Penanda %(bad)s tidak dikenal. Yang bisa dipakai: %(known)s.", bad=", ".join(bad),
                   known=", ".join("{%s}" % p for p in PLACEHOLDERS)),
            )
    images = {}
    for name, upload, remove in (("signature", data.signature, data.remove_signature), ("logo", data.logo, data.remove_logo)):
        if upload:
            try:
                images[name] = clean_image(upload)
            except CertificateError as error:
                raise CertificateError(name, error.message) from None
        elif remove or previous is None:
            images[name] = None
        else:
            images[name] = getattr(previous, f"{name}_png")
    return CertificateDesign(
        heading=data.heading.strip(), heading_en=data.heading_en.strip(), awarded=data.awarded.strip(),
        awarded_en=data.awarded_en.strip(), body=data.body.strip(), body_en=data.body_en.strip(),
        issuer_name=data.issuer_name.strip(), issuer_title=data.issuer_title.strip(), place=data.place.strip(),
        signature_png=images["signature"], logo_png=images["logo"],
    )


def save_design(data: DesignData, actor: User, now: datetime) -> CertificateDesign:
    """Save a new version; certificates issued from now on use it (older ones keep theirs)."""
    row = build_design(data, current_design())
    row.created_at, row.created_by = now, actor.id
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "certificate_design.saved", "certificate_design", row.id, now)
    return row


# --- the PDF ----------------------------------------------------------------------------


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url}/verify/{code}"


def pdf_content(certificate: Certificate, base_url: str) -> pdf.CertificateContent:
    return pdf.CertificateContent(
        name=certificate.name,
        programme=certificate.programme,
        wave=certificate.wave_name,
        stage=certificate.stage,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        hours=certificate.hours,
        serial=certificate.serial,
        verify_url=verify_url(base_url, certificate.code),
        issued_on=local_date(certificate.issued_at),
    )


def design_of(certificate: Certificate) -> pdf.CertificateDesign:
    row = db.session.get(CertificateDesign, certificate.design_id) if certificate.design_id else None
    return pdf_design(row)


def signatory(certificate: Certificate) -> tuple[str, str]:
    """(name, title) of who signed it, without loading the design's images."""
    if certificate.design_id:
        row = db.session.execute(
            db.select(CertificateDesign.issuer_name, CertificateDesign.issuer_title)
            .where(CertificateDesign.id == certificate.design_id)
        ).first()
        if row is not None:
            return row[0], row[1]
    default = pdf.CertificateDesign()
    return default.issuer_name, default.issuer_title


def render_pdf(certificate: Certificate, base_url: str) -> bytes:
    return pdf.render(pdf_content(certificate, base_url), design_of(certificate))


def file_name(certificate: Certificate, ext: str = "pdf") -> str:
    """SINAU/2026/G03/0047 → SINAU-2026-G03-0047.pdf"""
    return re.sub(r"[^A-Za-z0-9-]", "-", certificate.serial) + f".{ext}"


@dataclass(frozen=True)
class PdfJob:
    """Everything needed to render one PDF without the database."""

    filename: str
    content: pdf.CertificateContent
    design: pdf.CertificateDesign

    def render(self) -> bytes:
        return pdf.render(self.content, self.design)


def pdf_jobs(certificates: Iterable[Certificate], base_url: str) -> list[PdfJob]:
    designs: dict[int | None, pdf.CertificateDesign] = {}
    jobs = []
    for certificate in certificates:
        if certificate.design_id not in designs:
            designs[certificate.design_id] = design_of(certificate)
        jobs.append(PdfJob(file_name(certificate), pdf_content(certificate, base_url), designs[certificate.design_id]))
    return jobs


def sample_content(base_url: str, today: date) -> pdf.CertificateContent:
    """What the design preview prints."""
    return pdf.CertificateContent(
        name="Ni Luh Putu Ayu Déwi",
        programme="Pelatihan Influencer Kota Malang 2026",
        wave="Gelombang 3",
        stage=1,
        starts_on=today,
        ends_on=today,
        hours=16,
        serial=f"{SERIAL_PREFIX}/{today.year}/CONTOH/0001",
        verify_url=f"{base_url}/verify",
        issued_on=today,
    )


# --- Open Badges 2.0 -----------------------------------------------------------------------


def assertion_url(base_url: str, code: str) -> str:
    return f"{base_url}/badges/assertions/{code}.json"


def badge_class_url(base_url: str, wave_code: str) -> str:
    return f"{base_url}/badges/classes/{wave_code}.json"


def issuer_url(base_url: str) -> str:
    return f"{base_url}/badges/issuer.json"


def _iso(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"  # stored as naive UTC


def assertion(certificate: Certificate, base_url: str) -> dict:
    """The hosted Open Badges 2.0 Assertion (JSON-LD)."""
    doc = {
        "@context": OB_CONTEXT,
        "type": "Assertion",
        "id": assertion_url(base_url, certificate.code),
        "recipient": recipient_of(certificate, base_url),
        "badge": badge_class_url(base_url, certificate.wave.code),
        "verification": {"type": "hosted"},
        "issuedOn": _iso(certificate.issued_at),
        "evidence": verify_url(base_url, certificate.code),
    }
    if certificate.revoked_at is not None:
        doc["revoked"] = True
        doc["revocationReason"] = certificate.revoke_reason or ""
    return doc


def criteria_narrative(wave: Wave) -> str:
    """The wave's requirements in words (the rule itself lives in lms.completion)."""
    parts = [_("Menyelesaikan semua modul di jalur belajar gelombang ini")]
    if wave.quizzes_required:
        parts.append(_("lulus kuis setiap modul yang memiliki kuis"))
    if wave.exercises_required:
        parts.append(_("tugas praktik disetujui pelatih"))
    parts.append(_("hadir minimal %(p)d%% sesi tatap muka", p=wave.attendance_min_percent))
    return ", ".join(parts) + "."


def badge_class(wave: Wave, base_url: str) -> dict:
    with force_locale("id"):  # the hosted documents are stable: always Indonesian
        dates = pdf.format_dates(wave.starts_on, wave.ends_on, "id")
        return {
            "@context": OB_CONTEXT,
            "type": "BadgeClass",
            "id": badge_class_url(base_url, wave.code),
            "name": f"{wave.programme} — {wave.name}",
            "description": _(
                "Sertifikat kelulusan %(wave)s (tahap %(stage)d, %(dates)s, %(hours)d jam pelajaran) "
                "dalam %(programme)s yang diselenggarakan Diskominfo Kota Malang.",
                wave=wave.name, stage=wave.stage, dates=dates, hours=wave.hours, programme=wave.programme,
            ),
            "image": base_url + BADGE_IMAGE_PATH,
            "criteria": {"narrative": criteria_narrative(wave)},
            "issuer": issuer_url(base_url),
        }


def issuer_profile(base_url: str, website: str = ISSUER_URL) -> dict:
    with force_locale("id"):
        return {
            "@context": OB_CONTEXT,
            "type": "Issuer",
            "id": issuer_url(base_url),
            "name": ISSUER_NAME,
            "url": website,
            "description": _("Dinas Komunikasi dan Informatika Kota Malang, penyelenggara pelatihan Sinau."),
        }
