"""The certificate's design (versions edited by admins) and its PDF: what the
renderer in `pdf.py` is given for a stored certificate, one by one or in bulk.

Plain functions with explicit arguments; they flush, never commit.
"""
from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from lms.audit import services as audit
from lms.auth.models import User
from lms.certificates import pdf
from lms.certificates.models import Certificate, CertificateDesign
from lms.certificates.services import SERIAL_PREFIX, CertificateError, current_design, local_date, verify_url
from lms.extensions import db

PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = ("programme", "wave", "stage", "dates", "hours")
MAX_IMAGE_PIXELS = 16_000_000  # refuse before decoding (decompression bombs)
IMAGE_BOX = (1200, 600)  # signatures and logos are scaled down to fit


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
