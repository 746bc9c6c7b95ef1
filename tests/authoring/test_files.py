"""Files and the browser together: export-courses, the round trip, import conflicts."""
from __future__ import annotations

import hashlib
import io

from PIL import Image

from lms.courses.models import Course, Module
from lms.extensions import db

from ..conftest import AuthActions
from .conftest import COURSE, M1, M2, editor_form, login, post_editor
from .test_drafts import revisions
from .test_images import upload


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["lms", *map(str, args)])
    return result


def publish_everything(app, people):
    """A browser edit touching the body, the quiz, the exercise and an uploaded image."""
    trainer = login(app, people.trainer)
    png = io.BytesIO()
    Image.new("RGB", (30, 20), (30, 120, 60)).save(png, format="PNG")
    name = upload(trainer, png.getvalue(), "peta-malang.png").get_json()["filename"]
    data = editor_form(trainer)
    data["body"] = data["body"].replace("literasi digial", "literasi digital") + f"\n\n![Peta Kota Malang]({name})\n"
    data["quiz-questions-2-text"] = "Foto lama dengan keterangan baru bisa menyesatkan: benar?"
    data["quiz-time_limit_minutes"] = "15"
    data["exercise-title"] = "Video tips: \"saring\" dulu"
    data["objectives"] = "Memahami contoh.\nNo: tanpa tanda kutip # bukan komentar"
    response = post_editor(trainer, M1, data, "publish")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return trainer, name


def test_export_then_import_check_finds_no_changes(app, curriculum, people, tmp_path):
    _trainer, name = publish_everything(app, people)
    AuthActions(login(app, people.admin)).post(f"/tulis/kursus/{COURSE}", {})  # an invalid save changes nothing
    out = tmp_path / "ekspor"
    result = run(app, "export-courses", out)
    assert result.exit_code == 0, result.output
    assert "1 course(s), 2 module(s)" in result.stdout
    module_file = out / COURSE / f"01-{M1}.md"
    text = module_file.read_text(encoding="utf-8")
    latest = revisions(app)[-1]
    assert hashlib.sha256(module_file.read_bytes()).hexdigest() == latest.content_hash
    assert "```quiz" in text and "```exercise" in text and "time_limit_minutes: 15" in text
    assert (out / COURSE / name).read_bytes() == db_image(app, name)
    assert (out / COURSE / "pilar.png").is_file() and (out / COURSE / "course.md").is_file()
    result = run(app, "import-courses", out, "--check")
    assert result.exit_code == 0, result.output
    assert "courses: added 0, changed 0, retired 0, unchanged 1" in result.stdout
    assert "modules: added 0, changed 0, retired 0, unchanged 2" in result.stdout
    assert "re-rendered" not in result.stdout and "conflict" not in result.output
    # Exporting again writes nothing new.
    assert "0 written" in run(app, "export-courses", out).stdout


def db_image(app, name):
    from lms.authoring.models import CourseImage

    with app.app_context():
        return db.session.scalar(db.select(CourseImage.data).where(CourseImage.filename == name))


def test_import_skips_a_module_edited_in_the_browser_unless_forced(app, curriculum, people, courses_dir):
    publish_everything(app, people)
    path = courses_dir / COURSE / f"01-{M1}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Teks bagian satu.", "Teks bagian satu, dari berkas."),
                    encoding="utf-8")
    other = courses_dir / COURSE / f"02-{M2}.md"
    other.write_text(other.read_text(encoding="utf-8").replace("Teks bagian satu.", "Diubah di berkas."), encoding="utf-8")
    result = run(app, "import-courses", courses_dir)
    assert result.exit_code == 0, result.output
    assert (f"conflict: {path} was edited in the browser since its last import; use --force to overwrite"
            in result.stderr)
    assert "conflicts: 1 skipped" in result.stdout
    rows = revisions(app)
    assert [r.number for r in rows] == [1, 2] and rows[-1].source == "browser"
    assert [r.number for r in revisions(app, M2)] == [1, 2]  # the other module was imported
    # --check says the same and changes nothing.
    assert "conflict:" in run(app, "import-courses", courses_dir, "--check").stderr
    result = run(app, "import-courses", courses_dir, "--force")
    assert result.exit_code == 0 and "conflict" not in result.output
    rows = revisions(app)
    assert [r.number for r in rows] == [1, 2, 3] and rows[-1].source == "file"
    assert "dari berkas" in rows[-1].source_text
    # Imported from the file now: the next file change imports without a conflict.
    path.write_text(path.read_text(encoding="utf-8").replace("dari berkas", "dari berkas lagi"), encoding="utf-8")
    assert "conflict" not in run(app, "import-courses", courses_dir).output
    assert len(revisions(app)) == 4


def test_exported_browser_edits_are_no_longer_conflicts(app, curriculum, people, courses_dir):
    publish_everything(app, people)
    result = run(app, "export-courses", courses_dir)  # back into the curriculum folder itself
    assert result.exit_code == 0, result.output
    result = run(app, "import-courses", courses_dir)
    assert "unchanged 2" in result.stdout and "conflict" not in result.output
    assert revisions(app)[-1].source == "synced"
    path = courses_dir / COURSE / f"01-{M1}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Teks bagian satu.", "Teks dari git."), encoding="utf-8")
    result = run(app, "import-courses", courses_dir)
    assert "conflict" not in result.output and "changed 1" in result.stdout
    assert revisions(app)[-1].source == "file"


def test_a_module_made_in_the_browser_is_not_retired_by_an_import(app, curriculum, people, courses_dir):
    trainer = login(app, people.trainer)
    AuthActions(trainer).post(f"/tulis/kursus/{COURSE}/modul-baru", {"title": "Modul Web", "slug": "modul-web", "order": "3"})
    assert run(app, "import-courses", courses_dir).exit_code == 0  # a draft only: nothing to retire, no conflict
    data = editor_form(trainer, "modul-web")
    data.update({"objectives": "Satu.", "sources-0-title": "S", "sources-0-url": "https://example.org",
                 "sources-0-date": "2026-01", "body": "Isi web."})
    assert post_editor(trainer, "modul-web", data, "publish").status_code == 302
    result = run(app, "import-courses", courses_dir)
    assert f"conflict: {COURSE}/03-modul-web.md was edited in the browser" in result.stderr
    with app.app_context():
        assert db.session.scalar(db.select(Module.retired_at).where(Module.slug == "modul-web")) is None
    # Exported, the module file exists and the import is quiet.
    run(app, "export-courses", courses_dir)
    assert (courses_dir / COURSE / "03-modul-web.md").is_file()
    result = run(app, "import-courses", courses_dir)
    assert "conflict" not in result.output and "unchanged 3" in result.stdout


def test_course_edited_in_the_browser_is_protected_too(app, curriculum, people, courses_dir):
    trainer = login(app, people.trainer)
    page = trainer.get(f"/tulis/kursus/{COURSE}").get_data(as_text=True)
    from .conftest import form_data

    data = form_data(page)
    data.update({"title": "Kursus Tulis (diperbarui)", "intro": "Pengantar **baru**."})
    response = trainer.post(f"/tulis/kursus/{COURSE}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        course = db.session.scalar(db.select(Course))
        assert course.title == "Kursus Tulis (diperbarui)" and "<strong>baru</strong>" in course.intro_html
    # A stale form is refused with the diff.
    response = trainer.post(f"/tulis/kursus/{COURSE}", data={**data, "title": "Lagi"})
    assert response.status_code == 409 and "Kursus ini baru saja diubah oleh Rina Pelatih" in response.get_data(as_text=True)
    result = run(app, "import-courses", courses_dir)
    assert f"conflict: {courses_dir / COURSE / 'course.md'} was edited in the browser" in result.stderr
    out = courses_dir.parent / "ekspor"
    run(app, "export-courses", out)
    assert "Pengantar **baru**." in (out / COURSE / "course.md").read_text(encoding="utf-8")
    result = run(app, "import-courses", out, "--check")
    assert "courses: added 0, changed 0, retired 0, unchanged 1" in result.stdout and "conflict" not in result.output
    result = run(app, "import-courses", courses_dir, "--force")
    with app.app_context():
        assert db.session.scalar(db.select(Course.title)) == "Kursus Tulis"
    assert "conflict" not in result.output


def test_a_revision_from_import_questions_is_edited_and_exported_with_its_questions(app, curriculum, people, tmp_path):
    gift = tmp_path / "soal.gift"
    gift.write_text("::ibukota:: Ibu kota Jawa Timur? {=Surabaya ~Malang ~Kediri ####Surabaya.}\n\n"
                    "::tanpa-penjelasan:: Kota apel? {=Batu ~Blitar}\n", encoding="utf-8")
    result = run(app, "import-questions", gift, "--module", M2)
    assert result.exit_code == 0, result.output
    rows = revisions(app, M2)
    assert rows[-1].source is None and rows[-1].source_text is None
    trainer = login(app, people.trainer)
    assert "impor soal (GIFT/Aiken)" in trainer.get(f"/tulis/modul/{M2}/riwayat").get_data(as_text=True)
    data = editor_form(trainer, M2)
    assert data["quiz-questions-0-qid"] == "ibukota" and data["quiz-questions-0-options-0-text"] == "Surabaya"
    out = tmp_path / "ekspor"
    result = run(app, "export-courses", out)
    assert result.exit_code == 0 and "came from import-questions" in result.stderr
    assert "will refuse this file until it is fixed: pertanyaan 'tanpa-penjelasan': 'explanation' wajib diisi" \
        in result.stderr
    data["quiz-questions-1-explanation"] = "Batu terkenal dengan apelnya."
    text = (out / COURSE / f"02-{M2}.md").read_text(encoding="utf-8")
    assert "```quiz" in text and "id: ibukota" in text and "Teks bagian satu." in text
    # Publishing from the editor (with the missing explanation) gives a browser revision that round-trips.
    assert post_editor(trainer, M2, data, "publish").status_code == 302
    run(app, "export-courses", out)
    assert "unchanged 2" in run(app, "import-courses", out, "--check").stdout


def test_a_draft_older_than_a_file_import_is_not_published_over_it(app, curriculum, people, courses_dir):
    trainer = login(app, people.trainer)
    data = editor_form(trainer)
    data["body"] = data["body"].replace("literasi digial", "literasi digital")
    assert post_editor(trainer, M1, data, "save").status_code == 302
    path = courses_dir / COURSE / f"01-{M1}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Teks bagian satu.", "Teks dari berkas."), encoding="utf-8")
    result = run(app, "import-courses", courses_dir)
    assert "conflict" not in result.output and "changed 1" in result.stdout  # a draft is not a published edit
    response = post_editor(trainer, M1, editor_form(trainer), "publish")
    assert response.status_code == 409
    assert "Materi ini baru saja diterbitkan oleh impor berkas" in response.get_data(as_text=True)
    assert [r.source for r in revisions(app)] == ["file", "file"]
