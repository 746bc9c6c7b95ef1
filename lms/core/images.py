"""Uploaded pictures: checked by their content and re-encoded before storing.

`reencode(data, limits)` accepts only PNG, JPEG and WebP, read by Pillow
(never by the file name or the browser's content type), and refuses anything
else (SVG, HTML, GIF, a PNG header followed by junk, decompression bombs).
It applies the camera's rotation, drops every bit of metadata (EXIF with GPS,
ICC profiles, text chunks), shrinks the longer side to `limits.max_side` and
writes a fresh PNG (transparency, or PNG input when `keep_png`) or JPEG.
CPU work only: call it before the write transaction starts.

Each package that takes uploads (exercises, authoring) sets its own limits
and messages.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("PNG", "JPEG", "WEBP")


class ImageError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    too_big: object  # the messages a person reads (lazy gettext strings)
    not_image: object
    too_many_pixels: object
    empty: object
    max_side: int = 1600
    max_pixels: int = 40_000_000  # a 40-megapixel photo is the most a phone takes
    jpeg_quality: int = 82
    keep_png: bool = False  # PNG stays PNG (diagrams and screenshots stay sharp)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mimetype: str  # image/png | image/jpeg
    extension: str  # png | jpg
    width: int
    height: int


def reencode(data: bytes, limits: Limits) -> CleanImage:
    if len(data) > limits.max_bytes:
        raise ImageError(limits.too_big)
    if not data:
        raise ImageError(limits.empty)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                if probe.width * probe.height > limits.max_pixels:
                    raise ImageError(limits.too_many_pixels)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                lossless = limits.keep_png and image.format == "PNG"
                image.load()
                return _save(ImageOps.exif_transpose(image), lossless, limits)
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(limits.too_many_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
            raise ImageError(limits.not_image) from None


def _save(image: Image.Image, lossless: bool, limits: Limits) -> CleanImage:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
    # A brand-new image holds the pixels only: no EXIF, ICC profile or text chunks survive.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if has_alpha or lossless:
        clean.save(out, format="PNG", optimize=True)
        return CleanImage(out.getvalue(), "image/png", "png", clean.width, clean.height)
    clean.save(out, format="JPEG", quality=limits.jpeg_quality, optimize=True, progressive=True)
    return CleanImage(out.getvalue(), "image/jpeg", "jpg", clean.width, clean.height)
