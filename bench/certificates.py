"""Certificate PDF generation time, warm, per certificate.

Renders 50 certificates (different names, serials and verify URLs; a design
with a logo and a signature, as an admin would upload them) after a few
warm-up renders, and prints min / median / p95 in milliseconds. The goal is
under 100 ms per certificate.

    python -m bench.certificates          # from the repository root
"""
from __future__ import annotations

import io
import secrets
import statistics
import time
from datetime import date

from PIL import Image, ImageDraw

from lms.certificates.pdf import CertificateContent, CertificateDesign, render
from lms.certificates.documents import clean_image

COUNT = 50
WARM_UP = 3
NAMES = ("Ni Luh Putu Ayu Déwi", "Ṣāliḥah binti Abdullah", "Pak Slamet Riyadi", "Dr. Hendra Kusuma, S.Kom., M.T.",
         "Siti Aminah", "Bagus Prasetyo Wicaksono Adiningrat Kusumawardhani")


def _image(size, colour) -> bytes:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([10, 10, size[0] - 10, size[1] - 10], outline=colour, width=8)
    draw.line([20, size[1] // 2, size[0] - 20, size[1] // 3], fill=colour, width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return clean_image(out.getvalue())


def main() -> None:
    design = CertificateDesign(signature_png=_image((600, 240), (20, 20, 90)), logo_png=_image((300, 300), (11, 83, 148)))
    contents = [
        CertificateContent(
            name=NAMES[i % len(NAMES)], programme="Pelatihan Influencer Kota Malang 2026", wave=f"Gelombang {i % 9 + 1}",
            stage=1, starts_on=date(2026, 3, 22), ends_on=date(2026, 3, 23), hours=16, serial=f"SINAU/2026/G03/{i + 1:04d}",
            verify_url=f"https://sinau.malangkota.go.id/verify/{secrets.token_urlsafe(24)}", issued_on=date(2026, 3, 24),
        )
        for i in range(COUNT)
    ]
    for content in contents[:WARM_UP]:
        render(content, design)
    timings = []
    for content in contents:
        start = time.perf_counter()
        data = render(content, design)
        timings.append((time.perf_counter() - start) * 1000)
        assert data.startswith(b"%PDF")
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"{COUNT} certificates: min {timings[0]:.1f} ms, median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
