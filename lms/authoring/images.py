"""Images uploaded into a module: checked by their content, re-encoded.

`reencode(data)` accepts only PNG, JPEG and WebP, read by Pillow (never by
the file name or the browser's content type); SVG, HTML, GIF, truncated
files and decompression bombs are refused. The camera's rotation is
applied, every bit of metadata (EXIF with GPS, ICC profiles, text chunks)
is dropped, the longer side is shrunk to 1600 px, and a fresh PNG (for PNG
input or transparency: diagrams and screenshots stay sharp) or JPEG is
written. CPU work only: call it before the write transaction starts.
"""
from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000
FORMATS = ("PNG", "JPEG", "WEBP")
JPEG_QUALITY = 85
MAX_NAME = 60

MSG_TOO_BIG = _l("Ukuran gambar maksimal 2 MB. Perkecil dulu gambarnya, lalu unggah lagi.")
MSG_NOT_IMAGE = _l("Berkas ini bukan gambar PNG, JPEG atau WebP yang utuh.")
MSG_TOO_MANY_PIXELS = _l("Ukuran piksel gambar ini terlalu besar. Perkecil dulu gambarnya.")
MSG_NO_FILE = _l("Pilih gambar yang akan diunggah.")


class ImageError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mimetype: str  # image/png | image/jpeg
    extension: str  # png | jpg
    width: int
    height: int


def reencode(data: bytes) -> CleanImage:
    if len(data) > MAX_BYTES:
        raise ImageError(MSG_TOO_BIG)
    if not data:
        raise ImageError(MSG_NO_FILE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise ImageError(MSG_TOO_MANY_PIXELS)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                source_format = image.format
                image.load()
                image = ImageOps.exif_transpose(image)
                return _save(image, lossless=source_format == "PNG")
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(MSG_TOO_MANY_PIXELS) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
            raise ImageError(MSG_NOT_IMAGE) from None


def _save(image: Image.Image, lossless: bool) -> CleanImage:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A brand-new image holds the pixels only: no EXIF, ICC profile or text chunks survive.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if has_alpha or lossless:
        clean.save(out, format="PNG", optimize=True)
        return CleanImage(out.getvalue(), "image/png", "png", clean.width, clean.height)
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return CleanImage(out.getvalue(), "image/jpeg", "jpg", clean.width, clean.height)


def base_name(filename: str | None) -> str:
    """A file-name stem fit for Markdown and URLs: "Foto Alun-Alun (1).JPG" → "foto-alun-alun-1"."""
    stem = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_NAME].strip("-")
    return slug or "gambar"
