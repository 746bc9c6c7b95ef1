"""The ```exercise block: every rule is checked at import, reported as file:line."""
from __future__ import annotations

from pathlib import Path

from lms.courses import format as fmt
from lms.courses import importer
from lms.exercises.block import read_exercise, validate_exercise_block

from .conftest import BODY_END, import_tree, module_text, write_course

ROOT = Path(__file__).resolve().parents[2]


def _line_of(path=()):
    return 1


GOOD = {
    "slug": "video-uji", "title": "Video uji", "instructions": "Buat video.", "submit": ["link", "image"],
    "tracks": ["opd"], "pass_score": 3,
    "rubric": [
        {"criterion": "Pembuka", "levels": [{"label": "Belum", "points": 0}, {"label": "Kuat", "points": 2}]},
        {"criterion": "Takarir", "levels": [{"label": "Tidak", "points": 0}, {"label": "Ada", "points": 1},
                                             {"label": "Lengkap", "points": 2}]},
    ],
}


def _messages(app, data):
    with app.test_request_context():
        return [str(message) for _line, message in validate_exercise_block(data, _line_of)]


def test_a_good_block_has_no_problems(app):
    assert _messages(app, GOOD) == []
    spec = read_exercise(GOOD)
    assert spec.max_score == 4 and spec.pass_score == 3
    assert spec.submit == ("link", "image") and spec.applies_to("opd") and not spec.applies_to("umum")


def test_every_rule(app):
    cases = [
        ({"tipe": "x"}, "kunci 'tipe' tidak dikenal"),
        ({"slug": "Video Uji"}, "'slug' harus berupa slug"),
        ({"title": 5}, "'title' harus berupa teks"),
        ({"title": "x" * 201}, "'title' maksimal 200 karakter"),
        ({"instructions": ""}, "'instructions' harus berupa teks"),
        ({"submit": []}, "'submit' harus daftar"),
        ({"submit": ["video"]}, "jenis kiriman 'video' tidak dikenal"),
        ({"submit": ["link", "link"]}, "jenis kiriman 'link' tertulis dua kali"),
        ({"tracks": "opd"}, "'tracks' harus daftar jalur"),
        ({"tracks": ["asn"]}, "jalur 'asn' tidak dikenal"),
        ({"pass_score": 5}, "'pass_score' (5) melebihi skor tertinggi rubrik (4"),
        ({"pass_score": -1}, "'pass_score' harus bilangan bulat minimal 0"),
        ({"pass_score": "3"}, "'pass_score' harus bilangan bulat minimal 0"),
        ({"rubric": []}, "'rubric' harus daftar berisi minimal satu kriteria"),
        ({"rubric": [{"criterion": "A", "levels": [{"label": "x", "points": 1}]}]}, "butuh minimal 2 tingkat"),
        ({"rubric": [{"criterion": "A", "levels": [{"label": "x", "points": -1}, {"label": "y", "points": 1}]}]},
         "'points' harus bilangan bulat dari 0 sampai 100"),
        ({"rubric": [{"criterion": "A", "levels": [{"label": "x", "points": 0}, {"label": "x", "points": 1}]}]},
         "label 'x' sudah dipakai"),
        ({"rubric": [{"criterion": "A", "levels": [{"points": 0}, {"label": "y", "points": 1}]}]}, "'label' wajib diisi"),
        ({"rubric": [{"criterion": "A", "levels": [{"label": "x", "points": 0, "bobot": 2}, {"label": "y", "points": 1}]}]},
         "kunci 'bobot' tidak dikenal"),
        ({"rubric": [{"levels": [{"label": "x", "points": 0}, {"label": "y", "points": 1}]}]}, "'criterion' wajib diisi"),
        ({"rubric": [{"criterion": "A", "levels": [{"label": "x", "points": 0}, {"label": "y", "points": 1}]},
                     {"criterion": "A", "levels": [{"label": "x", "points": 0}, {"label": "y", "points": 1}]}]},
         "kriteria 'A' tertulis dua kali"),
    ]
    for change, expected in cases:
        data = {**GOOD, **change}
        found = _messages(app, data)
        assert any(expected in m for m in found), (change, found)
    for key in ("slug", "title", "instructions", "submit", "rubric", "pass_score"):
        data = {k: v for k, v in GOOD.items() if k != key}
        assert any(f"'{key}' wajib diisi" in m for m in _messages(app, data)), key


def test_an_unquoted_label_with_commas_is_read_back_whole(app):
    level = {"label": "Ada", "sebagian salah": None, "points": 1}
    data = {**GOOD, "rubric": [{"criterion": "A", "levels": [{"label": "Tidak", "points": 0}, level]}], "pass_score": 1}
    assert _messages(app, data) == []
    assert read_exercise(data).criteria[0].levels[1].label == "Ada, sebagian salah"


def test_problems_name_the_file_and_line(app, courses_dir):
    body = "\n".join([
        "```exercise",            # BODY_END + 1
        "slug: tugas-uji",        # + 2
        "title: Tugas uji",       # + 3
        "submit: [link, video]",  # + 4
        "pass_score: 9",          # + 5
        "instructions: Kerjakan.",  # + 6
        "rubric:",                # + 7
        "  - criterion: Pembuka",  # + 8
        "    levels:",            # + 9
        "      - {label: Belum, points: 0}",  # + 10
        "      - {label: Ada, points: -2}",   # + 11
        "```",
    ]) + "\n"
    folder = write_course(courses_dir, "kursus-salah", [("modul-salah", module_text("modul-salah", body=body))])
    result = import_tree(app, courses_dir, expect_ok=False, validators=importer.block_validators(app))
    lines = [str(p) for p in result.problems]
    path = str(folder / "01-modul-salah.md")
    assert any(line.startswith(f"{path}:{BODY_END + 4}: ") and "'video' tidak dikenal" in line for line in lines), lines
    assert any(line.startswith(f"{path}:{BODY_END + 11}: ") and "'points'" in line for line in lines), lines
    assert any(line.startswith(f"{path}:{BODY_END + 5}: ") and "pass_score" in line for line in lines), lines


def test_the_real_curriculum_passes(app):
    with app.test_request_context():
        curriculum = fmt.parse(ROOT / "courses", {"exercise": validate_exercise_block})
    assert [str(p) for p in curriculum.problems] == []
    exercises = [m.exercise.data for c in curriculum.courses for m in c.modules if m.exercise]
    assert len(exercises) >= 20
    for data in exercises:
        spec = read_exercise(data)
        assert spec.pass_score <= spec.max_score and all(level.label for c in spec.criteria for level in c.levels)
