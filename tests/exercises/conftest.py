"""Exercise tests reuse the wave builders and the course fixture folders."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image

from ..courses.helpers import BODY_END, import_tree, module_text, write_course  # noqa: F401
from ..waves.conftest import enrol, login_as, make_session, make_wave  # noqa: F401  (fixtures)

# Two criteria of 0/1/2 points: the best score is 4, passing needs 3.
EXERCISE = """
```exercise
slug: video-tips-uji
title: Video tips uji
submit: [link, text, image]
tracks: [umum, opd]
pass_score: 3
instructions: |
  Buat video **pendek** tentang satu tips.

  <script>alert(1)</script>
  [tautan jahat](javascript:alert(1))
rubric:
  - criterion: Pembuka
    levels:
      - {label: Belum ada, points: 0}
      - {label: Ada, tetapi lemah, points: 1}
      - {label: Kuat dan jelas, points: 2}
  - criterion: Takarir
    levels:
      - {label: "Tidak ada", points: 0}
      - {label: "Ada", points: 1}
      - {label: "Lengkap", points: 2}
```
"""

OPD_EXERCISE = """
```exercise
slug: video-kepala-opd-uji
title: Video kepala OPD uji
submit: [link]
tracks: [opd]
pass_score: 1
instructions: Kirim tautan video layanan.
rubric:
  - criterion: Layanan jelas
    levels:
      - {label: Belum, points: 0}
      - {label: Jelas, points: 1}
```
"""

COURSE = "kursus-tugas"
M1 = "tugas-m1"  # umum and opd; link, text or image
M2 = "tugas-m2"  # opd only; link


@pytest.fixture
def courses_dir(tmp_path):
    path = tmp_path / "courses"
    path.mkdir()
    return path


@pytest.fixture
def app_config(base_config, courses_dir):
    return {**base_config, "LMS_COURSES_PATH": str(courses_dir)}


@pytest.fixture
def course(app, courses_dir):
    """A course with two modules that each carry an exercise (no quizzes)."""
    extra = f"required:\n  umum: [{M1}]\n  opd: [{M1}, {M2}]\n"
    write_course(courses_dir, COURSE, [
        (M1, module_text(M1, order=1, body=EXERCISE)),
        (M2, module_text(M2, order=2, body=OPD_EXERCISE)),
    ], extra=extra)
    from lms.courses import importer

    import_tree(app, courses_dir, validators=importer.block_validators(app))
    return COURSE


@dataclass
class World:
    wave: object
    other_wave: object
    trainer: object
    other_trainer: object
    admin: object
    trainee: object
    other_trainee: object


@pytest.fixture
def world(app, course, make_wave, enrol, make_user):
    trainer = make_user(role="trainer", name="Bu Rina Pelatih")
    other_trainer = make_user(role="trainer", name="Pak Bagus Pelatih")
    admin = make_user(role="admin", name="Admin Uji")
    wave = make_wave(trainers=[trainer], quizzes_required=False)
    other_wave = make_wave(trainers=[other_trainer], quizzes_required=False)
    trainee = make_user(name="Siti Aminah")
    other_trainee = make_user(name="Pak Slamet")
    enrol(wave, trainee)
    enrol(wave, other_trainee)
    return World(wave, other_wave, trainer, other_trainer, admin, trainee, other_trainee)


def png_bytes(size=(40, 30), colour=(200, 30, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour if mode == "RGB" else colour + (128,)).save(out, format="PNG", **save)
    return out.getvalue()


def jpeg_with_exif(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {2: (7.0, 58.0, 0.0), 1: "S"}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


@pytest.fixture
def make_agency(app):
    """make_agency("Dispendukcapil", "Dinas …") → agency id."""
    from lms.agencies import services as agencies
    from lms.extensions import db

    def build(abbreviation: str, name: str | None = None) -> int:
        with app.app_context():
            agency = agencies.save(None, abbreviation, name or f"Dinas {abbreviation}", "dinas")
            db.session.commit()
            return agency.id

    return build
