"""The certificate PDF: A4 landscape, Indonesian with an English line, a QR code.

Pure functions: `render(content, design) -> bytes`. Fonts ship beside this
file (see fonts/README.md); the design (texts, signature, logo) is data an
admin edits, never code.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import segno
from babel.dates import format_date
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BRAND = (11, 83, 148)
INK = (31, 41, 51)
MUTED = (82, 96, 109)
PLACEHOLDER = re.compile(r"\{(programme|wave|stage|dates|hours)\}")


@dataclass(frozen=True)
class CertificateContent:
    name: str
    programme: str
    wave: str
    stage: int
    starts_on: date
    ends_on: date
    hours: float
    serial: str
    verify_url: str
    issued_on: date


@dataclass(frozen=True)
class CertificateDesign:
    heading: str = "SERTIFIKAT"
    heading_en: str = "Certificate of Completion"
    awarded: str = "diberikan kepada"
    awarded_en: str = "awarded to"
    body: str = "atas keberhasilannya menyelesaikan {programme}, {wave} (tahap {stage}), {dates}, selama {hours} jam pelajaran."
    body_en: str = "for completing {programme}, {wave} (stage {stage}), {dates}, {hours} learning hours."
    issuer_name: str = "Kepala Dinas Komunikasi dan Informatika"
    issuer_title: str = "Kota Malang"
    place: str = "Malang"
    signature_png: bytes | None = field(default=None, repr=False)
    logo_png: bytes | None = field(default=None, repr=False)


def format_dates(start: date, end: date, locale: str) -> str:
    if start == end:
        return format_date(start, "d MMMM y", locale=locale)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, 'd MMMM y', locale=locale)}"
    return f"{format_date(start, 'd MMMM y', locale=locale)} – {format_date(end, 'd MMMM y', locale=locale)}"


def _hours(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def fill(template: str, content: CertificateContent, locale: str) -> str:
    """Replace only the known {placeholders}: admin text is never a format string."""
    values = {
        "programme": content.programme,
        "wave": content.wave,
        "stage": str(content.stage),
        "dates": format_dates(content.starts_on, content.ends_on, locale),
        "hours": _hours(content.hours),
    }
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    return buffer


def _fit_font_size(pdf: FPDF, text: str, width: float, start: float, minimum: float) -> float:
    size = start
    while size > minimum:
        pdf.set_font_size(size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 1
    return size


def render(content: CertificateContent, design: CertificateDesign) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 15, 20)
    pdf.set_title(f"Sertifikat {content.serial}")
    pdf.set_author(design.issuer_name)
    pdf.set_creator("Sinau")
    pdf.add_font("Sans", "", str(FONT_DIR / "DejaVuSans-Latin.ttf"))
    pdf.add_font("Sans", "B", str(FONT_DIR / "DejaVuSans-Bold-Latin.ttf"))
    pdf.add_page()
    width = pdf.w - 40

    # Frame
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(2.2)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_line_width(0.5)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)

    if design.logo_png:
        pdf.image(io.BytesIO(design.logo_png), x=(pdf.w - 22) / 2, y=16, h=20)
    pdf.set_y(40 if design.logo_png else 26)

    pdf.set_text_color(*BRAND)
    pdf.set_font("Sans", "B", 34)
    pdf.cell(width, 15, design.heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*MUTED)
    pdf.set_font("Sans", "", 13)
    pdf.cell(width, 7, design.heading_en, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_text_color(*INK)
    pdf.set_font("Sans", "", 13)
    pdf.cell(width, 7, f"{design.awarded} / {design.awarded_en}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    pdf.set_font("Sans", "B", 30)
    size = _fit_font_size(pdf, content.name, width, 30, 14)
    pdf.set_font("Sans", "B", size)
    pdf.cell(width, 16, content.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.3)
    y = pdf.get_y() + 1
    pdf.line(60, y, pdf.w - 60, y)
    pdf.ln(6)

    pdf.set_font("Sans", "", 13)
    pdf.multi_cell(width, 7, fill(design.body, content, "id"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_text_color(*MUTED)
    pdf.set_font("Sans", "", 10.5)
    pdf.multi_cell(width, 5.5, fill(design.body_en, content, "en"), align="C", new_x="LMARGIN", new_y="NEXT")

    # Signature block, centred at the bottom.
    pdf.set_text_color(*INK)
    pdf.set_font("Sans", "", 11)
    block_x, block_w = (pdf.w - 100) / 2, 100
    pdf.set_xy(block_x, 138)
    pdf.cell(block_w, 6, f"{design.place}, {format_date(content.issued_on, 'd MMMM y', locale='id')}", align="C")
    if design.signature_png:
        pdf.image(io.BytesIO(design.signature_png), x=(pdf.w - 40) / 2, y=145, h=22)
    pdf.set_xy(block_x, 170)
    pdf.set_font("Sans", "B", 11.5)
    pdf.cell(block_w, 6, design.issuer_name, align="C")
    pdf.set_xy(block_x, 176)
    pdf.set_font("Sans", "", 10.5)
    pdf.cell(block_w, 6, design.issuer_title, align="C")

    # Serial (left) and QR code (right).
    pdf.set_text_color(*MUTED)
    pdf.set_font("Sans", "", 9.5)
    pdf.set_xy(20, 172)
    pdf.cell(80, 5, "Nomor sertifikat / Serial", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Sans", "B", 11)
    pdf.set_text_color(*INK)
    pdf.cell(80, 6, content.serial)
    pdf.image(qr_png(content.verify_url), x=pdf.w - 20 - 34, y=150, w=34)
    pdf.set_font("Sans", "", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(pdf.w - 20 - 70, 185)
    pdf.cell(70, 4, "Pindai untuk memeriksa keaslian / Scan to verify", align="R")
    return bytes(pdf.output())
