"""The Open Badges image every BadgeClass points at: static/badges/sinau-badge.png.

The PNG is generated once with Pillow and shipped in static/ (served like any
static file). Regenerate it after a design change with:

    python -m lms.certificates.badge_image
"""
from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from lms.certificates.pdf import BRAND, FONT_DIR

ROOT = Path(__file__).resolve().parent.parent.parent
OUTPUT = ROOT / "static" / "badges" / "sinau-badge.png"
SIZE = 512
GOLD = (232, 176, 36)


def _centred(draw: ImageDraw.ImageDraw, y: float, text: str, font, fill) -> None:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((SIZE - (right - left)) / 2 - left, y - (bottom - top) / 2 - top), text, font=font, fill=fill)


def badge_png() -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, outer = SIZE / 2, SIZE / 2 - 8
    # A twelve-pointed rosette behind a round medal.
    points = []
    for i in range(24):
        radius = outer if i % 2 == 0 else outer - 26
        angle = math.pi * i / 12 - math.pi / 2
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=GOLD)
    draw.ellipse([centre - 200, centre - 200, centre + 200, centre + 200], fill=BRAND)
    draw.ellipse([centre - 184, centre - 184, centre + 184, centre + 184], outline=(255, 255, 255), width=5)
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold-Latin.ttf"), 92)
    small = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Latin.ttf"), 34)
    tiny = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold-Latin.ttf"), 26)
    _centred(draw, centre - 62, "LULUS", tiny, GOLD)
    _centred(draw, centre + 6, "SINAU", bold, (255, 255, 255))
    _centred(draw, centre + 80, "Kota Malang", small, (255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(badge_png())
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
