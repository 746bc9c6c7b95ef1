"""`lms import-questions` and `lms export-questions`."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from lms.courses.models import Module, ModuleRevision
from lms.extensions import db
from lms.quizzes import Quiz, services

from .conftest import FIXTURES, QUIZ_MODULE

QUIZ = """
pass_mark: 80
attempts: 3
show_answers: never
questions:
  - id: pilar
    type: single
    text: Pilar mana yang **paling rendah**?
    options:
      - text: Aman
        correct: true
        feedback: Benar.
      - text: Budaya
    explanation: Nilainya 3,12.
  - id: ciri
    type: multiple
    scoring: weighted
    text: Ciri hoaks?
    options:
      - text: Minta disebar
        weight: 50
      - text: Judul heboh
        weight: 50
      - text: Ada tautan resmi
        weight: -50
        feedback: Tidak selalu.
    explanation: Dua ciri.
  - id: foto
    type: truefalse
    text: Foto lama bisa menyesatkan.
    answer: true
    feedback_false: Bisa.
    explanation: Konteks penting.
  - id: situs
    type: short
    text: Situs cek fakta?
    answers: [cekfakta.com, {text: cek fakta, weight: 50, feedback: Hampir.}]
    explanation: cekfakta.com
  - id: kecamatan
    type: numeric
    text: Jumlah kecamatan di Kota Malang?
    answer: 5
    explanation: Lima.
  - id: kisaran
    type: numeric
    text: Kisaran nilai?
    min: 3
    max: 3.5
    explanation: Sekitar 3,1.
  - id: istilah
    type: matching
    text: Pasangkan.
    pairs:
      - {left: takarir, right: caption}
      - {left: unggah, right: upload}
      - {left: tagar, right: hashtag}
    explanation: Istilah.
"""


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def revisions(app, slug: str = QUIZ_MODULE) -> list[ModuleRevision]:
    with app.app_context():
        rows = list(db.session.scalars(
            db.select(ModuleRevision).join(Module, Module.id == ModuleRevision.module_id)
            .where(Module.slug == slug).order_by(ModuleRevision.number)))
        current = db.session.scalar(db.select(Module.current_revision_id).where(Module.slug == slug))
        for row in rows:
            db.session.expunge(row)
    assert rows[-1].id == current
    return rows


def test_check_reports_skipped_items_and_writes_nothing(app, runner, make_quiz, tmp_path):
    make_quiz(QUIZ)
    source = tmp_path / "soal.gift"
    shutil.copy(FIXTURES / "every-construct.gift", source)
    result = runner.invoke(args=["lms", "import-questions", str(source), "--module", QUIZ_MODULE, "--check"])
    assert result.exit_code == 0, result.output
    assert f"{source}:104: skipped: pertanyaan 'Refleksi': soal esai" in result.stderr
    assert f"{source}:107: skipped: pertanyaan 'Pengantar': deskripsi" in result.stderr
    assert "23 question(s) appended to the quiz, 30 in all; 2 skipped" in result.stdout
    assert "nothing was changed" in result.stdout
    assert len(revisions(app)) == 1


def test_errors_exit_non_zero_with_file_and_line(app, runner, make_quiz, tmp_path):
    make_quiz(QUIZ)
    source = tmp_path / "rusak.gift"
    source.write_text("::Baik:: Benar? {T}\n\n::Rusak:: Tidak ditutup {=a ~b\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "import-questions", str(source), "--module", QUIZ_MODULE])
    assert result.exit_code == 1
    assert f"{source}:3: pertanyaan 'Rusak': kurung kurawal" in result.stderr
    assert "nothing imported" in result.stderr
    assert len(revisions(app)) == 1
    unknown = runner.invoke(args=["lms", "import-questions", str(FIXTURES / "example.aiken"), "--module", "tidak-ada"])
    assert unknown.exit_code == 1 and "unknown module 'tidak-ada'" in unknown.stderr
    other = tmp_path / "soal.csv"
    other.write_text("x", encoding="utf-8")
    assert runner.invoke(args=["lms", "import-questions", str(other), "--module", QUIZ_MODULE]).exit_code == 2


def test_import_makes_one_new_revision(app, runner, make_quiz, tmp_path):
    make_quiz(QUIZ)
    [before] = revisions(app)
    source = tmp_path / "soal.aiken"
    shutil.copy(FIXTURES / "example.aiken", source)
    result = runner.invoke(args=["lms", "import-questions", str(source), "--module", QUIZ_MODULE])
    assert result.exit_code == 0, result.output
    first, after = revisions(app)
    assert (first.id, after.number) == (before.id, 2)
    quiz = Quiz.from_dict(after.quiz)
    assert [q.id for q in quiz.questions][:7] == ["pilar", "ciri", "foto", "situs", "kecamatan", "kisaran", "istilah"]
    assert len(quiz.questions) == 7 + 3
    # Colliding ids are renamed, never silently merged.
    assert len({q.id for q in quiz.questions}) == 10
    # Settings kept; everything else copied from the current revision.
    assert quiz.settings.pass_mark == 80 and quiz.settings.attempts == 3 and quiz.settings.show_answers == "never"
    assert (after.title, after.body_html, after.toc, after.meta, after.exercise) == \
           (before.title, before.body_html, before.toc, before.meta, before.exercise)
    text = json.dumps(after.quiz, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert after.content_hash == hashlib.sha256(("questions:" + text).encode()).hexdigest()
    assert after.content_hash != before.content_hash
    assert f"revision 2 stored, content hash {after.content_hash}" in result.stdout
    # The trainees' quiz now uses the new revision.
    with app.app_context():
        info = services.current_quiz(QUIZ_MODULE)
    assert info.revision_number == 2 and len(info.quiz.questions) == 10


def test_gift_round_trip_through_the_commands(app, runner, make_quiz, tmp_path):
    make_quiz(QUIZ)
    [original] = revisions(app)
    with app.app_context():
        questions = [q.to_dict() for q in services.load_quiz(original.quiz).questions]
    exported = tmp_path / "kuis.gift"
    result = runner.invoke(args=["lms", "export-questions", "--module", QUIZ_MODULE, "--format", "gift",
                                 "--output", str(exported)])
    assert result.exit_code == 0, result.output
    text = exported.read_text("utf-8")
    assert "::pilar::" in text and "[markdown]" in text
    stdout = runner.invoke(args=["lms", "export-questions", "--module", QUIZ_MODULE])
    assert stdout.exit_code == 0 and stdout.stdout == text

    result = runner.invoke(args=["lms", "import-questions", str(exported), "--module", QUIZ_MODULE, "--replace"])
    assert result.exit_code == 0, result.output
    assert "7 question(s) replacing the quiz (7 removed), 7 in all" in result.stdout
    _first, second = revisions(app)
    assert [q.to_dict() for q in Quiz.from_dict(second.quiz).questions] == questions
    # Exporting the imported revision gives the same file again.
    again = runner.invoke(args=["lms", "export-questions", "--module", QUIZ_MODULE])
    assert again.stdout == text


def test_import_into_a_module_without_quiz_uses_the_defaults(app, runner, courses_dir, tmp_path):
    from tests.courses.helpers import import_tree, module_text, write_course

    write_course(courses_dir, "tanpa-kuis", modules=[("polos", module_text("polos"))])
    import_tree(app, courses_dir)
    source = tmp_path / "soal.txt"
    source.write_text("::Satu:: Sinau dibuat di Malang. {T}\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "import-questions", str(source), "--module", "polos"])
    assert result.exit_code == 0, result.output
    [_first, second] = revisions(app, "polos")
    quiz = Quiz.from_dict(second.quiz)
    assert quiz.settings == services.QuizSettings() and [q.id for q in quiz.questions] == ["satu"]
    empty = runner.invoke(args=["lms", "export-questions", "--module", "tidak-ada"])
    assert empty.exit_code == 1
