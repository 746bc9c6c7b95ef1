"""Editorial warnings: review dates, missing quizzes, links, long sentences."""
from __future__ import annotations

from datetime import date

from lms.courses import format as fmt
from lms.courses.lint import lint

from .helpers import BODY_END, module_text, write_course


def _warnings(root, today=date(2026, 11, 28)):
    curriculum = fmt.parse(root)
    assert curriculum.problems == []
    return [str(w) for w in lint(curriculum, today)]


def test_review_due_and_missing_quiz(tmp_path):
    write_course(tmp_path, "kursus-uji", [("lama", module_text("lama", replace={9: 'verified_on: "2024-01-01"'}))])
    warnings = _warnings(tmp_path)
    assert any("01-lama.md:2: warning: facts verified on 2024-01-01 are due for review since 2024-12-31" in w for w in warnings)
    assert any("01-lama.md:2: warning: module has no quiz" in w for w in warnings)
    assert not any("due for review" in w for w in _warnings(tmp_path, today=date(2024, 6, 1)))


def test_long_sentence_and_unknown_module_link(tmp_path):
    long = "Kata " + " ".join(["kata"] * 29) + "."
    body = f"\n{long}\n\nLihat [modul lain](/kursus/kursus-uji/tidak-ada) dan [yang ada](/kursus/kursus-uji/ada).\n"
    write_course(tmp_path, "kursus-uji", [("ada", module_text("ada", body=body))])
    warnings = _warnings(tmp_path)
    line_long, line_link = BODY_END + 1, BODY_END + 3
    assert any(f"01-ada.md:{line_long}: warning: sentence of 30 words" in w for w in warnings), warnings
    assert any(f"01-ada.md:{line_link}: warning: link to unknown module /kursus/kursus-uji/tidak-ada" in w for w in warnings)
    assert not any("/kursus/kursus-uji/ada" in w for w in warnings)
