"""Completion tests reuse the wave builders and the course fixture folders."""
from __future__ import annotations

import pytest

from ..courses.helpers import BODY_END, import_tree, module_text, write_course  # noqa: F401
from ..waves.conftest import enrol, make_session, make_wave  # noqa: F401  (fixtures)

QUIZ = """
```quiz
pass_mark: 50
questions:
  - id: satu
    type: truefalse
    text: Kota Malang punya lima kecamatan.
    answer: true
    explanation: Blimbing, Klojen, Kedungkandang, Lowokwaru, Sukun.
```
"""


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
    """A course 'kursus-uji' with two modules (m1 has a quiz), required for umum and opd."""
    extra = "required:\n  umum: [kursus-uji-m1, kursus-uji-m2]\n  opd: [kursus-uji-m2]\n"
    write_course(courses_dir, "kursus-uji", [
        ("kursus-uji-m1", module_text("kursus-uji-m1", order=1, body=QUIZ)),
        ("kursus-uji-m2", module_text("kursus-uji-m2", order=2)),
    ], extra=extra)
    import_tree(app, courses_dir)
    return "kursus-uji"
