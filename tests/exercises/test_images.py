"""Screenshots are checked by content and re-encoded without metadata."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from lms.exercises import images

from .conftest import jpeg_with_exif, png_bytes

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, format="GIF", comment=b"<script>alert(1)</script>")
    return out.getvalue()


@pytest.mark.parametrize("data", [
    SVG,
    HTML,
    b"\x89PNG\r\n\x1a\n" + b"junk" * 100,  # a PNG header followed by junk
    png_bytes()[:60],  # a truncated PNG
    _gif(),
    b"GIF89a<script>alert(1)</script>",
    b"",
    b"%PDF-1.4 not an image",
])
def test_non_images_are_refused(app, data):
    with app.test_request_context(), pytest.raises(images.ImageError):
        images.reencode(data)


def test_over_the_per_file_limit_is_refused(app):
    with app.test_request_context(), pytest.raises(images.ImageError) as caught:
        images.reencode(b"\x89PNG" + b"\x00" * images.MAX_BYTES)
    assert "3 MB" in str(caught.value.message)


def test_a_photo_loses_its_exif_and_gps():
    original = jpeg_with_exif()
    assert b"KameraRahasia" in original
    clean = images.reencode(original)
    assert clean.mimetype == "image/jpeg"
    assert clean.data != original
    assert b"KameraRahasia" not in clean.data and b"Exif" not in clean.data
    with Image.open(io.BytesIO(clean.data)) as reread:
        assert not reread.getexif()
        assert reread.size == (64, 48)


def test_large_screenshots_are_shrunk_and_transparency_kept():
    clean = images.reencode(png_bytes(size=(2400, 1200)))
    assert (clean.width, clean.height) == (1600, 800)
    transparent = images.reencode(png_bytes(size=(30, 20), colour=(1, 2, 3), mode="RGBA"))
    assert transparent.mimetype == "image/png"


def test_webp_is_accepted():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 200, 0)).save(out, format="WEBP")
    assert images.reencode(out.getvalue()).mimetype == "image/jpeg"


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script> rumah di Jl. Ijen 12")
    original = png_bytes(pnginfo=info)
    clean = images.reencode(original)
    assert b"Jl. Ijen" not in clean.data
