"""Importing: idempotent, one revision per change, retire without losing history."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from lms.courses import importer, services
from lms.courses.models import Course, Module, ModuleRevision, Progress
from lms.extensions import db

from .helpers import module_text, tiny_png, write_course

REPO_COURSES = Path(__file__).resolve().parents[2] / "courses"


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Course, Module, ModuleRevision))


def test_import_twice_changes_nothing_the_second_time(app, courses_dir, do_import):
    write_course(courses_dir, "kursus-a", modules=3)
    write_course(courses_dir, "kursus-b", modules=2, order=2)
    first = do_import(courses_dir)
    assert first.summary() == ["courses: added 2, changed 0, retired 0, unchanged 0",
                               "modules: added 5, changed 0, retired 0, unchanged 0"]
    second = do_import(courses_dir)
    assert second.summary() == ["courses: added 0, changed 0, retired 0, unchanged 2",
                                "modules: added 0, changed 0, retired 0, unchanged 5"]
    assert second.details == [] and second.revisions == 0 and second.rerendered == 0
    assert counts(app) == (2, 5, 5)
    with app.app_context():
        module = db.session.scalar(db.select(Module).where(Module.slug == "kursus-a-m2"))
        revision = db.session.get(ModuleRevision, module.current_revision_id)
        assert (module.source_path, module.order, revision.number, revision.title) == (
            "kursus-a/02-kursus-a-m2.md", 2, 1, "Modul kursus-a-m2")
        assert revision.meta["verified_on"] == "2026-11-28" and revision.quiz is None
        assert len(revision.content_hash) == 64


def test_a_changed_file_makes_exactly_one_new_revision(app, courses_dir, do_import):
    folder = write_course(courses_dir, "kursus-a", modules=3)
    do_import(courses_dir)
    path = folder / "02-kursus-a-m2.md"
    path.write_text(path.read_text() + "\nParagraf baru.\n\n```quiz\npass_mark: 80\n```\n")
    result = do_import(courses_dir, created_by=None)
    assert result.modules.changed == 1 and result.modules.unchanged == 2 and result.revisions == 1
    assert result.details == ["  ~ kursus-a/kursus-a-m2 (revision 2)"]
    assert counts(app) == (1, 3, 4)
    with app.app_context():
        module = db.session.scalar(db.select(Module).where(Module.slug == "kursus-a-m2"))
        current = db.session.get(ModuleRevision, module.current_revision_id)
        assert current.number == 2 and "Paragraf baru." in current.body_html and current.quiz == {"pass_mark": 80}
        old = db.session.scalar(db.select(ModuleRevision).where(ModuleRevision.number == 1,
                                                                 ModuleRevision.module_id == module.id))
        assert "Paragraf baru." not in old.body_html  # old revisions are kept as they were
    assert do_import(courses_dir).revisions == 0


def test_removed_module_retires_and_history_remains(app, courses_dir, do_import, make_user, auth, client):
    folder = write_course(courses_dir, "kursus-a", modules=3)
    do_import(courses_dir)
    trainee = make_user()
    with app.app_context():
        services.mark_completed(trainee, "kursus-a", "kursus-a-m3", datetime(2026, 11, 29))
        db.session.commit()
    moved = folder / "03-kursus-a-m3.md"
    parked = courses_dir.parent / "parked.md"
    moved.rename(parked)
    result = do_import(courses_dir)
    assert result.modules.retired == 1 and result.details == ["  - kursus-a/kursus-a-m3 retired"]
    with app.app_context():
        module = db.session.scalar(db.select(Module).where(Module.slug == "kursus-a-m3"))
        assert module.retired_at is not None and module.current_revision_id is not None
        progress = db.session.scalar(db.select(Progress))
        assert (progress.module_slug, progress.status, progress.revision_number_completed) == ("kursus-a-m3", "completed", 1)
    auth.login(trainee.login_name)
    catalogue = client.get("/kursus").get_data(as_text=True)
    assert "0 dari 2 modul selesai" in catalogue
    page = client.get("/kursus/kursus-a").get_data(as_text=True)
    assert "Modul lama yang sudah Anda selesaikan" in page and "Modul kursus-a-m3" in page and "revisi 1" in page
    lesson = client.get("/kursus/kursus-a/kursus-a-m3")
    assert lesson.status_code == 200 and "sudah tidak dipakai lagi" in lesson.get_data(as_text=True)
    assert "Tandai selesai" not in lesson.get_data(as_text=True)
    assert auth.post("/kursus/kursus-a/kursus-a-m3/selesai").status_code == 404
    # The same slug coming back is restored, with its old revisions.
    parked.rename(moved)
    result = do_import(courses_dir)
    assert result.modules.changed == 1 and result.details == ["  ~ kursus-a/kursus-a-m3 (restored)"]
    assert counts(app) == (1, 3, 3)
    assert "1 dari 3 modul selesai" in client.get("/kursus").get_data(as_text=True)


def test_whole_tree_retires_missing_courses_one_folder_does_not(app, courses_dir, do_import):
    write_course(courses_dir, "kursus-a", modules=1)
    folder_b = write_course(courses_dir, "kursus-b", modules=1, order=2)
    do_import(courses_dir)
    # One course folder: only that course's modules are in scope.
    result = do_import(courses_dir / "kursus-a")
    assert result.summary()[0] == "courses: added 0, changed 0, retired 0, unchanged 1"
    shutil.rmtree(folder_b)
    result = do_import(courses_dir)
    assert (result.courses.retired, result.modules.retired) == (1, 1)
    with app.app_context():
        assert db.session.scalar(db.select(Course.retired_at).where(Course.slug == "kursus-b")) is not None
    write_course(courses_dir, "kursus-b", modules=1, order=2)
    result = do_import(courses_dir)
    assert (result.courses.changed, result.modules.changed) == (1, 1)


def test_module_slug_owned_by_another_course_is_refused(app, courses_dir, do_import):
    write_course(courses_dir, "kursus-a", modules=[("bersama", module_text("bersama"))])
    do_import(courses_dir)
    other = courses_dir.parent / "lain"
    write_course(other, "kursus-c", modules=[("bersama", module_text("bersama"))])
    result = do_import(other / "kursus-c", expect_ok=False)
    (problem,) = result.problems
    assert problem.path.endswith("kursus-c/01-bersama.md") and problem.line == 2
    assert "already used by a module of course 'kursus-a'" in problem.message
    assert counts(app) == (1, 1, 1)


def test_changed_image_refreshes_html_without_a_new_revision(app, courses_dir, do_import):
    folder = write_course(courses_dir, "kursus-a", modules=[("gambar", module_text("gambar", body="![Foto](foto.png)\n"))])
    (folder / "foto.png").write_bytes(tiny_png())
    do_import(courses_dir)
    (folder / "foto.png").write_bytes(tiny_png(colour=(200, 0, 0)))
    result = do_import(courses_dir)
    assert result.revisions == 0 and result.rerendered == 1 and result.modules.unchanged == 1
    assert counts(app) == (1, 1, 1)


def test_block_validators_registered_by_other_packages_run(app, courses_dir):
    write_course(courses_dir, "kursus-a", modules=[("kuis", module_text("kuis", body="```quiz\npass_mark: 700\n```\n"))])

    def validate_quiz(data, line_of):
        return [(line_of(("pass_mark",)), "pass_mark must be between 0 and 100")] if data["pass_mark"] > 100 else []

    importer.register_block_validator(app, "quiz", validate_quiz)
    result = app.test_cli_runner().invoke(args=["lms", "import-courses", str(courses_dir)])
    assert result.exit_code == 1
    assert "kursus-a/01-kuis.md:21: pass_mark must be between 0 and 100" in result.stderr


def test_cli_check_on_a_broken_file_names_file_and_line_and_writes_nothing(app, courses_dir):
    write_course(courses_dir, "kursus-a", modules=[
        ("baik", module_text("baik")),
        ("rusak", module_text("rusak", replace={9: "verified_on: 2026-11-28"},
                              body="[[video https://example.org/video | Judul]]\n")),
    ])
    runner = app.test_cli_runner()
    for args in (["--check"], []):
        result = runner.invoke(args=["lms", "import-courses", str(courses_dir), *args])
        assert result.exit_code == 1, result.output
        assert "kursus-a/02-rusak.md:9: verified_on: expected a date in quotes" in result.stderr
        assert "kursus-a/02-rusak.md:20: only YouTube and TikTok videos can be embedded" in result.stderr
        assert "2 problem(s)" in result.stderr and "nothing imported" in result.stderr
        assert result.stdout == ""
        assert counts(app) == (0, 0, 0)


def test_cli_check_reports_what_would_change_then_rolls_back(app, courses_dir):
    write_course(courses_dir, "kursus-a", modules=2)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "import-courses", str(courses_dir), "--check"])
    assert result.exit_code == 0, result.output
    assert "modules: added 2, changed 0, retired 0, unchanged 0" in result.stdout
    assert "nothing was changed" in result.stdout
    assert counts(app) == (0, 0, 0)
    app.config["LMS_COURSES_PATH"] = str(courses_dir)
    result = runner.invoke(args=["lms", "import-courses"])  # default PATH from the configuration
    assert result.exit_code == 0 and counts(app) == (1, 2, 2)
    result = runner.invoke(args=["lms", "import-courses"])
    assert "modules: added 0, changed 0, retired 0, unchanged 2" in result.stdout


def test_repository_sample_course_passes_check(app):
    result = app.test_cli_runner().invoke(args=["lms", "import-courses", str(REPO_COURSES / "contoh-kursus"), "--check"])
    assert result.exit_code == 0, result.output
    assert "modules: added 3, changed 0, retired 0, unchanged 0" in result.stdout
    assert counts(app) == (0, 0, 0)


def test_sample_course_uses_every_feature(app, courses_dir, do_import):
    shutil.copytree(REPO_COURSES / "contoh-kursus", courses_dir / "contoh-kursus")
    do_import(courses_dir)
    with app.app_context():
        course = db.session.scalar(db.select(Course))
        assert (course.title, course.order, course.tracks) == ("Contoh Kursus: Mengenal Sinau", 99, ["umum", "opd", "lansia"])
        revisions = db.session.scalars(db.select(ModuleRevision).order_by(ModuleRevision.id)).all()
    assert len(revisions) == 3
    everything = "".join(r.body_html for r in revisions)
    for needle in ("<table>", 'class="admonition tip"', "<img ", 'data-video-provider="youtube"',
                   'data-video-provider="tiktok"', 'href="#'):
        assert needle in everything, needle
    assert any(r.meta["time_sensitive"] for r in revisions) and all(r.meta["verified_on"] for r in revisions)
    assert any(r.meta["sources"] for r in revisions)
    quiz = next(r.quiz for r in revisions if r.quiz and len(r.quiz["questions"]) > 1)
    kinds = {(q["type"], q.get("scoring"), "min" in q, "tolerance" in q) for q in quiz["questions"]}
    assert {("single", None, False, False), ("multiple", "all_or_nothing", False, False),
            ("multiple", "weighted", False, False), ("truefalse", None, False, False), ("short", None, False, False),
            ("numeric", None, False, True), ("numeric", None, True, False), ("matching", None, False, False)} <= kinds
    weighted = next(q for q in quiz["questions"] if q.get("scoring") == "weighted")
    assert any(o["weight"] < 0 for o in weighted["options"])
    assert all(q.get("explanation") for q in quiz["questions"])
    exercise = next(r.exercise for r in revisions if r.exercise)
    assert exercise["rubric"] and exercise["pass_score"] <= sum(max(l["points"] for l in c["levels"]) for c in exercise["rubric"])


def test_lazily_translated_validator_messages_work_on_the_command_line(app, courses_dir):
    from flask_babel import lazy_gettext as _l

    write_course(courses_dir, "kursus-a", modules=[("kuis", module_text("kuis", body="```quiz\npass_mark: 700\n```\n"))])
    importer.register_block_validator(app, "quiz", lambda data, line_of: [(line_of(("pass_mark",)), _l("Nilai lulus salah"))])
    result = app.test_cli_runner().invoke(args=["lms", "import-courses", str(courses_dir), "--check"])
    assert result.exit_code == 1 and "01-kuis.md:21: Nilai lulus salah" in result.stderr
