"""Open Badges 2.0 hosted documents: a certificate's Assertion, a wave's
BadgeClass and the Issuer profile (JSON-LD), always in Indonesian.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from lms.certificates import pdf
from lms.certificates.models import Certificate
from lms.certificates.services import verify_url
from lms.waves.models import Wave

ISSUER_NAME = "Diskominfo Kota Malang"
ISSUER_URL = "https://kominfo.malangkota.go.id/"
BADGE_IMAGE_PATH = "/static/badges/sinau-badge.png"
OB_CONTEXT = "https://w3id.org/openbadges/v2"


def assertion_url(base_url: str, code: str) -> str:
    return f"{base_url}/badges/assertions/{code}.json"


def badge_class_url(base_url: str, wave_code: str) -> str:
    return f"{base_url}/badges/classes/{wave_code}.json"


def issuer_url(base_url: str) -> str:
    return f"{base_url}/badges/issuer.json"


def recipient_of(certificate: Certificate, base_url: str) -> dict:
    """The assertion's IdentityObject ("telephone" rows from before 0016 are "url" now too)."""
    if certificate.recipient_type == "email":
        identity = certificate.recipient_identity
    else:
        identity = "sha256$" + hashlib.sha256((verify_url(base_url, certificate.code) + certificate.recipient_salt).encode()).hexdigest()
    return {"type": "email" if certificate.recipient_type == "email" else "url", "hashed": True,
            "salt": certificate.recipient_salt, "identity": identity}


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
