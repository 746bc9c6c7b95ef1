"""Screenshots sent as exercise evidence: at most 3 MB, re-encoded (lms.core.images)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.core import images
from lms.core.images import CleanImage, ImageError  # noqa: F401  (used by services and routes)

MAX_BYTES = 3 * 1024 * 1024
MAX_SIDE = 1600
MSG_TOO_BIG = _l("Ukuran gambar maksimal 3 MB. Kirim tangkapan layar biasa (bukan foto resolusi penuh) atau perkecil dulu.")
MSG_NOT_IMAGE = _l("Berkas ini bukan gambar PNG, JPEG atau WebP yang utuh. Kirim tangkapan layar dari HP Anda.")
MSG_TOO_MANY_PIXELS = _l("Gambar ini terlalu besar ukuran pikselnya. Kirim tangkapan layar biasa.")

LIMITS = images.Limits(
    max_bytes=MAX_BYTES, max_side=MAX_SIDE, too_big=MSG_TOO_BIG, not_image=MSG_NOT_IMAGE,
    too_many_pixels=MSG_TOO_MANY_PIXELS, empty=MSG_NOT_IMAGE, jpeg_quality=82,
)


def reencode(data: bytes) -> CleanImage:
    return images.reencode(data, LIMITS)
