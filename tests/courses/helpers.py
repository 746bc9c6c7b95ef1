"""Builders for curriculum fixture folders."""
from __future__ import annotations

import struct
import textwrap
import zlib
from datetime import datetime
from pathlib import Path

from lms.extensions import db

# A module file whose lines are known: tests replace one line and expect the
# problem on that line.
BASE_MODULE = [
    "---",                              # 1
    "slug: {slug}",                     # 2
    "title: {title}",                   # 3
    "order: {order}",                   # 4
    "duration_minutes: 10",             # 5
    "objectives:",                      # 6
    "  - Memahami contoh.",             # 7
    "tracks: [umum, opd]",              # 8
    'verified_on: "2026-11-28"',        # 9
    "sources:",                         # 10
    "  - title: Sumber contoh",         # 11
    "    url: https://example.org/a",   # 12
    '    date: "2026-11"',              # 13
    "---",                              # 14
    "Isi modul {slug}.",                # 15
    "",                                 # 16
    "## Bagian satu",                   # 17
    "",                                 # 18
    "Teks bagian satu.",                # 19
]
BODY_END = len(BASE_MODULE)  # lines appended after the base start at BODY_END + 1


def module_text(slug: str = "contoh", title: str | None = None, order: int = 1,
                replace: dict[int, str] | None = None, body: str = "") -> str:
    lines = [line.format(slug=slug, title=title or f"Modul {slug}", order=order) for line in BASE_MODULE]
    for number, text in (replace or {}).items():
        lines[number - 1] = text
    text = "\n".join(lines) + "\n"
    if body:
        text += textwrap.dedent(body).lstrip("\n")
    return text


def course_text(title: str = "Kursus Uji", order: int = 1, extra: str = "", intro: str = "Pengantar kursus.") -> str:
    return (f"---\ntitle: {title}\nsummary: Ringkasan kursus uji.\norder: {order}\n"
            f"tracks: [umum, opd, lansia]\nestimated_hours: 1.5\n{extra}---\n{intro}\n")


def write_course(root: Path, slug: str = "kursus-uji", modules: int | list = 3, title: str | None = None,
                 order: int = 1, extra: str = "") -> Path:
    """A course folder with modules: an int (n plain modules) or a list of
    (slug, text) pairs."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.md").write_text(course_text(title or f"Kursus {slug}", order, extra), encoding="utf-8")
    if isinstance(modules, int):
        modules = [(f"{slug}-m{n}", module_text(f"{slug}-m{n}", order=n)) for n in range(1, modules + 1)]
    for index, (module_slug, text) in enumerate(modules, 1):
        (folder / f"{index:02d}-{module_slug}.md").write_text(text, encoding="utf-8")
    return folder


def tiny_png(width: int = 2, height: int = 2, colour: tuple = (11, 83, 148)) -> bytes:
    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def import_tree(app, path, expect_ok: bool = True, now: datetime | None = None, **kwargs):
    from lms.courses import importer

    with app.app_context():
        result = importer.import_courses(path, now or datetime(2026, 11, 28, 8, 0), **kwargs)
        if result.ok:
            db.session.commit()
        else:
            db.session.rollback()
    if expect_ok:
        assert result.ok, "\n".join(map(str, result.problems))
    return result
