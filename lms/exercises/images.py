"""Screenshots: checked by their content and re-encoded before they are stored.

`reencode(data)` accepts only PNG, JPEG and WebP (read by Pillow, never by
the file name or the browser's content type), refuses anything else (SVG,
HTML, GIF, a PNG header followed by junk, decompression bombs), applies the
camera's rotation, drops every bit of metadata (EXIF with GPS, ICC, text
chunks), shrinks it to at most 1600 px on its longer side and saves a fresh
JPEG (or PNG when the picture has transparency). CPU work only: call it
before the write transaction starts.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 3 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the most a phone takes
FORMATS = ("PNG", "JPEG", "WEBP")
JPEG_QUALITY = 82

MSG_TOO_BIG = _l("Ukuran gambar maksimal 3 MB. Kirim tangkapan layar biasa (bukan foto resolusi penuh) atau perkecil dulu.")
MSG_NOT_IMAGE = _l("Berkas ini bukan gambar PNG, JPEG atau WebP yang utuh. Kirim tangkapan layar dari HP Anda.")
MSG_TOO_MANY_PIXELS = _l("Gambar ini terlalu besar ukuran pikselnya. Kirim tangkapan layar biasa.")


class ImageError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mimetype: str  # image/jpeg | image/png
    width: int
    height: int


def reencode(data: bytes) -> CleanImage:
    if len(data) > MAX_BYTES:
        raise ImageError(MSG_TOO_BIG)
    if not data:
        raise ImageError(MSG_NOT_IMAGE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise ImageError(MSG_TOO_MANY_PIXELS)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                return _save(image)
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(MSG_TOO_MANY_PIXELS) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
            raise ImageError(MSG_NOT_IMAGE) from None


def _save(image: Image.Image) -> CleanImage:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A brand-new image holds the pixels only: no EXIF, ICC profile or text chunks survive.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG", optimize=True)
        mimetype = "image/png"
    else:
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        mimetype = "image/jpeg"
    return CleanImage(out.getvalue(), mimetype, clean.width, clean.height)
