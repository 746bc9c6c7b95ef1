"""Drafts, publishing and optimistic locking."""
from __future__ import annotations

import hashlib
import html
import re

from lms.authoring.models import ModuleDraft
from lms.courses.models import Module, ModuleRevision, Progress
from lms.extensions import db

from ..conftest import AuthActions
from .conftest import COURSE, M1, M2, editor_form, login, post_editor

LESSON = f"/kursus/{COURSE}/{M1}"


def revisions(app, slug=M1) -> list[ModuleRevision]:
    with app.app_context():
        rows = db.session.scalars(
            db.select(ModuleRevision).join(Module, Module.id == ModuleRevision.module_id)
            .where(Module.slug == slug).order_by(ModuleRevision.number)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def draft_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(ModuleDraft.id)))


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(match.group(1)).lstrip("\r\n")


def test_draft_is_invisible_to_trainees(app, curriculum, people):
    trainer, trainee = login(app, people.trainer), login(app, people.trainee)
    data = editor_form(trainer)
    data["body"] = data["body"].replace("literasi digial", "literasi digital (draf)")
    response = post_editor(trainer, M1, data, "save")
    assert response.status_code == 302
    assert draft_count(app) == 1
    assert len(revisions(app)) == 1
    lesson = trainee.get(LESSON).get_data(as_text=True)
    assert "literasi digial" in lesson and "(draf)" not in lesson
    # Every trainer sees the shared draft, with who saved it.
    other = login(app, people.trainer2)
    page = other.get(f"/tulis/modul/{M1}").get_data(as_text=True)
    assert "literasi digital (draf)" in page and "Rina Pelatih" in page
    # Trainees cannot open it at all.
    assert trainee.get(f"/tulis/modul/{M1}").status_code == 403


def test_publish_creates_exactly_one_revision_and_trainees_see_it(app, curriculum, people):
    trainee_user = people.trainee
    trainee = login(app, trainee_user)
    trainee.get(LESSON)
    AuthActions(trainee).post(f"{LESSON}/selesai")
    trainer = login(app, people.trainer)
    data = editor_form(trainer)
    data["body"] = data["body"].replace("literasi digial", "literasi digital")
    response = post_editor(trainer, M1, data, "publish")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    rows = revisions(app)
    assert [r.number for r in rows] == [1, 2]
    new = rows[1]
    assert new.source == "browser" and new.created_by == people.trainer.id
    assert new.content_hash == hashlib.sha256(new.source_text.encode()).hexdigest()
    assert "literasi digital." in new.source_text and new.quiz == rows[0].quiz and new.exercise == rows[0].exercise
    # Only the typo changed in the stored text.
    assert new.source_text.replace("literasi digital.", "literasi digial.") == rows[0].source_text
    assert draft_count(app) == 0
    lesson = trainee.get(LESSON).get_data(as_text=True)
    assert "literasi digital." in lesson and "digial" not in lesson
    assert "Materi ini diperbarui sejak Anda menyelesaikannya." in lesson
    with app.app_context():
        progress = db.session.scalar(db.select(Progress).where(Progress.user_id == trainee_user.id))
        assert progress.status == "completed" and progress.revision_number_completed == 1
    # Publishing the same again changes nothing.
    again = post_editor(trainer, M1, editor_form(trainer), "publish", follow_redirects=True)
    assert "Tidak ada perubahan" in again.get_data(as_text=True)
    assert len(revisions(app)) == 2


def test_publishing_refused_keeps_the_draft_and_shows_errors_next_to_fields(app, curriculum, people):
    trainer = login(app, people.trainer)
    data = editor_form(trainer)
    data["body"] += "\n\n![](hilang.png)\n"
    data["title"] = ""
    data["quiz-questions-0-options-0-correct"] = None  # the single-choice question has no right answer now
    data = {k: v for k, v in data.items() if v is not None}
    response = post_editor(trainer, M1, data, "publish")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ada yang perlu diperbaiki" in page
    assert "Tulis judul modul." in page
    assert re.search(r'id="quiz-questions-0-options".*?opsi benar harus tepat satu', page, re.S) or \
        "opsi benar harus tepat satu" in page
    summary = page[page.index('class="error-summary"'):]
    assert 'href="#quiz-questions-0-options"' in summary
    assert "hilang.png" in page
    assert len(revisions(app)) == 1
    assert draft_count(app) == 1  # nothing typed is lost
    assert "![](hilang.png)" in textarea(page, "body")


def test_second_save_on_a_stale_version_is_refused_with_a_diff_and_keeps_the_text(app, curriculum, people):
    rina, bagus = login(app, people.trainer), login(app, people.trainer2)
    form_rina, form_bagus = editor_form(rina), editor_form(bagus)
    form_rina["body"] = form_rina["body"].replace("literasi digial", "literasi digital")
    assert post_editor(rina, M1, form_rina, "save").status_code == 302
    form_bagus["body"] = form_bagus["body"].replace("Saring sebelum sharing.", "Saring <b>dulu</b> sebelum sharing.")
    response = post_editor(bagus, M1, form_bagus, "save")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert re.search(r"Materi ini baru saja disimpan oleh Rina Pelatih pada \d+ \w+ \d{4}, \d\d\.\d\d\. "
                     r"Perubahan Anda belum disimpan\.", page)
    # The diff: Rina's line removed, Bagus's lines added; his HTML is shown as text.
    assert 'class="diff-line diff-del"' in page and 'class="diff-line diff-add"' in page
    conflict = page[page.index('id="konflik"'):]
    conflict = conflict[:conflict.index("</section>")].replace("<mark>", "").replace("</mark>", "")
    assert "Saring &lt;b&gt;dulu&lt;/b&gt; sebelum sharing." in conflict and "<b>" not in conflict
    # His text is still in the form, and the draft is still Rina's.
    assert "Saring <b>dulu</b> sebelum sharing." in textarea(page, "body")
    with app.app_context():
        draft = db.session.scalar(db.select(ModuleDraft))
        assert "literasi digital." in draft.body and "<b>dulu</b>" not in draft.body and draft.lock_version == 1
    # Having seen the diff, saving again deliberately overwrites.
    from .conftest import form_data

    assert post_editor(bagus, M1, form_data(page), "save").status_code == 302
    with app.app_context():
        draft = db.session.scalar(db.select(ModuleDraft))
        assert "<b>dulu</b>" in draft.body and draft.lock_version == 2 and draft.author_id == people.trainer2.id


def test_publishing_over_a_newer_revision_is_refused(app, curriculum, people):
    rina, bagus = login(app, people.trainer), login(app, people.trainer2)
    form_rina, form_bagus = editor_form(rina), editor_form(bagus)
    form_rina["body"] = form_rina["body"].replace("literasi digial", "literasi digital")
    assert post_editor(rina, M1, form_rina, "publish").status_code == 302
    form_bagus["body"] = form_bagus["body"].replace("Teks bagian satu.", "Teks bagian pertama.")
    response = post_editor(bagus, M1, form_bagus, "publish")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Materi ini baru saja diterbitkan oleh Rina Pelatih pada" in page
    assert "Teks bagian pertama." in textarea(page, "body")
    assert len(revisions(app)) == 2
    assert 'name="base_revision" type="hidden" value="2"' in page


def test_quiz_and_exercise_are_edited_in_forms(app, curriculum, people):
    trainer = login(app, people.trainer)
    data = editor_form(trainer)
    # Add a question through the server-side button (works without JavaScript).
    response = post_editor(trainer, M1, data, "add-question")
    assert response.status_code == 200
    from .conftest import form_data

    data = form_data(response.get_data(as_text=True))
    new = max(int(m) for m in re.findall(r"quiz-questions-(\d+)-qid", " ".join(data)))
    data.update({
        f"quiz-questions-{new}-qid": "hoaks-baru", f"quiz-questions-{new}-kind": "single",
        f"quiz-questions-{new}-text": "Apa yang dilakukan sebelum membagikan pesan?",
        f"quiz-questions-{new}-options-0-text": "Cek sumbernya", f"quiz-questions-{new}-options-0-correct": "y",
        f"quiz-questions-{new}-options-1-text": "Langsung bagikan",
        f"quiz-questions-{new}-explanation": "Saring sebelum sharing.",
        "quiz-questions-0-text": "Pilar mana yang nilainya PALING rendah?",
        "exercise-rubric-0-levels-3-label": "Istimewa", "exercise-rubric-0-levels-3-points": "3",
        "exercise-pass_score": "3",
    })
    response = post_editor(trainer, M1, data, "publish")
    assert response.status_code == 302, re.findall(r'error-message[^>]*>([^<]+)', response.get_data(as_text=True))
    quiz, exercise = revisions(app)[-1].quiz, revisions(app)[-1].exercise
    assert [q["id"] for q in quiz["questions"]][-1] == "hoaks-baru"
    assert quiz["questions"][0]["text"] == "Pilar mana yang nilainya PALING rendah?"
    assert quiz["questions"][-1]["options"] == [{"text": "Cek sumbernya", "correct": True}, {"text": "Langsung bagikan"}]
    assert exercise["rubric"][0]["levels"][-1] == {"label": "Istimewa", "points": 3} and exercise["pass_score"] == 3
    # The other questions (every type) kept their meaning.
    assert quiz["questions"][1:6] == revisions(app)[0].quiz["questions"][1:6]


def test_removing_the_quiz_and_errors_in_a_question_type(app, curriculum, people):
    trainer = login(app, people.trainer)
    data = editor_form(trainer)
    data["quiz-questions-4-answer"] = "lima"  # numeric answer
    response = post_editor(trainer, M1, data, "publish")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'error-message" id="quiz-questions-4-answer-error">[^<]*answer', page)
    from .conftest import form_data

    data = form_data(page)  # the refused form carries the saved draft's version
    assert data["quiz-questions-4-answer"] == "lima" and data["draft_version"] == "1"
    del data["quiz-enabled"]
    assert post_editor(trainer, M1, data, "publish").status_code == 302
    assert revisions(app)[-1].quiz is None


def test_new_course_and_module_in_the_browser(app, curriculum, people):
    trainer, trainee = login(app, people.trainer), login(app, people.trainee)
    auth = AuthActions(trainer)
    response = auth.post("/tulis/kursus/baru", {
        "title": "Kursus Baru", "slug": "kursus-baru", "summary": "Ringkasan.", "order": "5",
        "tracks": ["umum"], "estimated_hours": "1,5", "intro": "Pengantar **kursus baru**.",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    response = auth.post("/tulis/kursus/kursus-baru/modul-baru", {"title": "Modul Baru", "slug": "modul-baru", "order": "1"})
    assert response.status_code == 302
    assert trainee.get("/kursus/kursus-baru/modul-baru").status_code == 404  # a draft only
    assert "Kursus Baru" not in trainee.get("/kursus").get_data(as_text=True)
    data = editor_form(trainer, "modul-baru")
    data.update({"objectives": "Mencoba menulis.", "duration_minutes": "10", "sources-0-title": "Sumber",
                 "sources-0-url": "https://example.org", "sources-0-date": "2026-01",
                 "body": "## Mulai\n\nIsi modul baru."})
    response = post_editor(trainer, "modul-baru", data, "publish")
    assert response.status_code == 302, re.findall(r'error-message[^>]*>([^<]+)', response.get_data(as_text=True))
    assert "Isi modul baru." in trainee.get("/kursus/kursus-baru/modul-baru").get_data(as_text=True)
    assert "Kursus Baru" in trainee.get("/kursus").get_data(as_text=True)
    # The slug is unique across courses.
    response = auth.post(f"/tulis/kursus/{COURSE}/modul-baru", {"title": "Lagi", "slug": M2, "order": "3"})
    assert response.status_code == 200 and "sudah dipakai" in response.get_data(as_text=True)


def test_a_missing_required_field_is_reported_next_to_it(app, curriculum, people):
    trainer = login(app, people.trainer)
    data = editor_form(trainer)
    data["exercise-title"] = ""
    data["quiz-questions-1-explanation"] = ""
    page = post_editor(trainer, M1, data, "preview").get_data(as_text=True)
    assert re.search(r'id="exercise-title-error">tugas praktik: &#39;title&#39; wajib diisi', page)
    assert re.search(r'id="quiz-questions-1-explanation-error">[^<]*&#39;explanation&#39; wajib diisi', page)
