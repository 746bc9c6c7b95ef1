"""Revision history: the list, diffs between any two revisions, restoring."""
from __future__ import annotations

import re

from lms.courses.models import Progress
from lms.extensions import db

from ..conftest import AuthActions
from .conftest import COURSE, M1, editor_form, login, post_editor
from .test_drafts import LESSON, revisions


def _publish(client, old: str, new: str):
    data = editor_form(client)
    assert old in data["body"]
    data["body"] = data["body"].replace(old, new)
    response = post_editor(client, M1, data, "publish")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_history_lists_every_revision_with_who_and_a_readable_diff(app, curriculum, people):
    trainer = login(app, people.trainer)
    _publish(trainer, "literasi digial", "literasi <digital>")
    page = trainer.get(f"/tulis/modul/{M1}/riwayat").get_data(as_text=True)
    assert "Versi 2" in page and "Versi 1" in page and "sedang terbit" in page
    assert "Rina Pelatih" in page and "ditulis di browser" in page and "impor berkas" in page
    assert f"/tulis/modul/{M1}/riwayat/beda?dari=1&amp;ke=2" in page
    response = trainer.get(f"/tulis/modul/{M1}/riwayat/beda?dari=1&ke=2")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # The changed words are marked; without the marks the lines read as written.
    assert "literasi <mark>digial</mark>." in page and "literasi <mark>&lt;digital&gt;</mark>." in page
    diff = page.replace("<mark>", "").replace("</mark>", "")
    assert "1 baris ditambah, 1 baris dihapus." in diff
    assert re.search(r'diff-del".*?Teks dengan salah ketik: literasi digial\.', diff, re.S)
    assert re.search(r'diff-add".*?Teks dengan salah ketik: literasi &lt;digital&gt;\.', diff, re.S)
    assert "<digital>" not in diff
    # Either direction, any two revisions; unknown revisions are a 404.
    assert "diff-add" in trainer.get(f"/tulis/modul/{M1}/riwayat/beda?dari=2&ke=1").get_data(as_text=True)
    assert trainer.get(f"/tulis/modul/{M1}/riwayat/beda?dari=1&ke=9").status_code == 404


def test_restore_publishes_the_old_content_as_a_new_revision(app, curriculum, people):
    trainee = login(app, people.trainee)
    trainee.get(LESSON)
    AuthActions(trainee).post(f"{LESSON}/selesai")
    trainer = login(app, people.trainer)
    _publish(trainer, "literasi digial", "literasi digital")
    assert "literasi digital." in trainee.get(LESSON).get_data(as_text=True)
    response = AuthActions(trainer).post(f"/tulis/modul/{M1}/riwayat/1/pulihkan", {"current": "2"},
                                         follow_redirects=True)
    assert "Isi versi 1 diterbitkan lagi sebagai versi 3." in response.get_data(as_text=True)
    rows = revisions(app)
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[2].source == "browser" and rows[2].created_by == people.trainer.id
    assert rows[2].source_text == rows[0].source_text and rows[2].content_hash == rows[0].content_hash
    assert rows[2].body_html == rows[0].body_html and rows[2].quiz == rows[0].quiz
    lesson = trainee.get(LESSON).get_data(as_text=True)
    assert "literasi digial." in lesson
    assert "Materi ini diperbarui sejak Anda menyelesaikannya." in lesson
    with app.app_context():
        progress = db.session.scalar(db.select(Progress).where(Progress.user_id == people.trainee.id))
        assert progress.status == "completed" and progress.revision_number_completed == 1


def test_restore_on_a_stale_page_and_of_the_current_content_changes_nothing(app, curriculum, people):
    trainer, other = login(app, people.trainer), login(app, people.trainer2)
    _publish(trainer, "literasi digial", "literasi digital")
    # The other trainer's history page still said revision 1 was current.
    response = AuthActions(other).post(f"/tulis/modul/{M1}/riwayat/1/pulihkan", {"current": "1"}, follow_redirects=True)
    assert "baru saja diterbitkan oleh Rina Pelatih" in response.get_data(as_text=True)
    assert len(revisions(app)) == 2
    _publish(trainer, "Teks bagian satu.", "Teks bagian satu!")
    response = AuthActions(trainer).post(f"/tulis/modul/{M1}/riwayat/3/pulihkan", {"current": "3"}, follow_redirects=True)
    assert response.status_code == 200 and len(revisions(app)) == 3


def test_a_draft_based_on_an_older_revision_cannot_be_published_over_a_restore(app, curriculum, people):
    trainer = login(app, people.trainer)
    _publish(trainer, "literasi digial", "literasi digital")
    data = editor_form(trainer)
    data["body"] = data["body"].replace("Teks bagian satu.", "Draf lama.")
    assert post_editor(trainer, M1, data, "save").status_code == 302
    AuthActions(login(app, people.trainer2)).post(f"/tulis/modul/{M1}/riwayat/1/pulihkan", {"current": "2"})
    response = post_editor(trainer, M1, editor_form(trainer), "publish")
    assert response.status_code == 409
    assert "Materi ini baru saja diterbitkan oleh Bagus Pelatih" in response.get_data(as_text=True)
    assert len(revisions(app)) == 3 and f"/kursus/{COURSE}" in LESSON
