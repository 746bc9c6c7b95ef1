"""Images uploaded into a module: at most 2 MB, re-encoded (lms.core.images);
PNG stays PNG so diagrams and screenshots stay sharp."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from lms.core import images
from lms.core.images import CleanImage, ImageError  # noqa: F401  (used by services and routes)

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 1600
MAX_NAME = 60

MSG_TOO_BIG = _l("Ukuran gambar maksimal 2 MB. Perkecil dulu gambarnya, lalu unggah lagi.")
MSG_NOT_IMAGE = _l("Berkas ini bukan gambar PNG, JPEG atau WebP yang utuh.")
MSG_TOO_MANY_PIXELS = _l("Ukuran piksel gambar ini terlalu besar. Perkecil dulu gambarnya.")
MSG_NO_FILE = _l("Pilih gambar yang akan diunggah.")

LIMITS = images.Limits(
    max_bytes=MAX_BYTES, max_side=MAX_SIDE, too_big=MSG_TOO_BIG, not_image=MSG_NOT_IMAGE,
    too_many_pixels=MSG_TOO_MANY_PIXELS, empty=MSG_NO_FILE, jpeg_quality=85, keep_png=True,
)


def reencode(data: bytes) -> CleanImage:
    return images.reencode(data, LIMITS)


def base_name(filename: str | None) -> str:
    """A file-name stem fit for Markdown and URLs: "Foto Alun-Alun (1).JPG" → "foto-alun-alun-1"."""
    stem = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_NAME].strip("-")
    return slug or "gambar"
