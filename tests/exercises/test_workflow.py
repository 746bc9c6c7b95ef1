"""Submitting, withdrawing, reviewing with the rubric, and what completion sees."""
from __future__ import annotations

import re

import pytest

from lms.auth.models import User
from lms.completion import services as completion
from lms.core.db import utcnow
from lms.exercises import reviewing, services
from lms.exercises.models import Submission, SubmissionEvent
from lms.extensions import db
from lms.waves import services as waves

from .conftest import M1, M2, login_as

ID = "dQw4w9WgXcQ"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _submissions(app, user_id=None):
    with app.app_context():
        stmt = db.select(Submission).order_by(Submission.id)
        if user_id:
            stmt = stmt.where(Submission.user_id == user_id)
        rows = list(db.session.scalars(stmt))
        db.session.expunge_all()
        return rows


def _events(app, submission_id):
    with app.app_context():
        return [(e.action, e.from_status, e.to_status) for e in db.session.scalars(
            db.select(SubmissionEvent).where(SubmissionEvent.submission_id == submission_id).order_by(SubmissionEvent.id))]


def _review(actions, wave, submission_id, c0, c1, decision, feedback=""):
    data = {"decision": decision, "feedback": feedback}
    if c0 is not None:
        data["c0"] = str(c0)
    if c1 is not None:
        data["c1"] = str(c1)
    return actions.post(f"/gelombang/{wave.id}/tugas/{submission_id}", data)


def test_the_page_shows_sanitised_instructions_and_the_form(app, world):
    client, _ = login_as(app, world.trainee)
    html = client.get(f"/tugas/{M1}").get_data(as_text=True)
    assert "<strong>pendek</strong>" in html
    assert "<script>alert(1)" not in html and "javascript:" not in html
    assert 'name="link"' in html and 'name="text"' in html and 'name="image"' in html
    assert "Ada, tetapi lemah" in html  # the rubric, with the comma label read back whole
    assert client.get("/tugas/tidak-ada").status_code == 404


def test_submitting_a_link_stores_the_canonical_form_and_history(app, world):
    client, actions = login_as(app, world.trainee)
    response = actions.post(f"/tugas/{M1}", {"link": f"https://youtu.be/{ID}?si=abc", "note": "Mohon dicek <b>ya</b>"})
    assert response.status_code == 302
    (sent,) = _submissions(app)
    assert (sent.status, sent.video_provider, sent.video_id) == ("menunggu", "youtube", ID)
    assert sent.video_url == f"https://www.youtube.com/watch?v={ID}"
    assert sent.wave_id == world.wave.id and sent.attempt == 1
    assert _events(app, sent.id) == [("kirim", None, "menunggu")]
    html = client.get(f"/tugas/{M1}").get_data(as_text=True)
    assert f'data-video-id="{ID}"' in html and "video.js" in html
    assert "Menunggu penilaian" in html
    assert "Mohon dicek &lt;b&gt;ya&lt;/b&gt;" in html
    assert 'name="link"' not in html  # no second submission while one waits


def test_a_hostile_link_is_refused_and_kept_in_the_field(app, world):
    client, actions = login_as(app, world.trainee)
    evil = f"https://youtube.com@evil.com/watch?v={ID}"
    response = actions.post(f"/tugas/{M1}", {"link": evil, "text": "Jawaban saya"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "error-summary" in html and "Hanya tautan video YouTube" in html
    assert 'value="https://youtube.com@evil.com/watch?v=dQw4w9WgXcQ"' in html
    assert "Jawaban saya" in html
    assert _submissions(app) == []


def test_an_empty_submission_is_refused(app, world):
    _, actions = login_as(app, world.trainee)
    html = actions.post(f"/tugas/{M1}", {"link": "", "text": "  "}).get_data(as_text=True)
    assert "Isi minimal satu bagian tugas" in html
    assert _submissions(app) == []


def test_withdraw_then_resubmit(app, world):
    client, actions = login_as(app, world.trainee)
    actions.post(f"/tugas/{M1}", {"text": "Versi pertama"})
    assert actions.post(f"/tugas/{M1}", {"text": "Versi kedua"}).status_code == 302  # refused: still waiting
    assert len(_submissions(app)) == 1
    assert actions.post(f"/tugas/{M1}/tarik").status_code == 302
    first = _submissions(app)[0]
    assert first.status == "ditarik"
    assert _events(app, first.id) == [("kirim", None, "menunggu"), ("tarik", "menunggu", "ditarik")]
    actions.post(f"/tugas/{M1}", {"text": "Versi kedua"})
    second = _submissions(app)[1]
    assert (second.attempt, second.status, second.text_answer) == (2, "menunggu", "Versi kedua")
    # Withdrawn work does not count, and a withdrawn attempt cannot be withdrawn twice.
    with app.app_context():
        user_ids = db.select(User.id).where(User.id == world.trainee.id)
        assert services.statuses_for(user_ids, [M1]) == {(world.trainee.id, M1): "menunggu"}


def test_review_state_machine_with_rubric_and_history(app, world):
    trainee_client, trainee = login_as(app, world.trainee)
    trainer_client, trainer = login_as(app, world.trainer)
    trainee.post(f"/tugas/{M1}", {"link": f"https://www.tiktok.com/@siti.malang/video/7301234567890123456?lang=id"})
    (first,) = _submissions(app)

    queue = _text(trainer_client.get(f"/gelombang/{world.wave.id}/tugas"))
    assert "Siti Aminah" in queue and "Video tips uji" in queue
    assert "1 kiriman menunggu penilaian" in _text(trainer_client.get("/beranda"))
    page = trainer_client.get(f"/gelombang/{world.wave.id}/tugas/{first.id}").get_data(as_text=True)
    assert 'type="radio"' in page and 'data-points="2"' in page and "exercises.js" in page
    assert 'data-video-provider="tiktok"' in page

    # Every criterion needs a level.
    html = _review(trainer, world.wave, first.id, 2, None, "lulus").get_data(as_text=True)
    assert "error-summary" in html and "Pilih satu tingkat untuk kriteria ini." in html
    # Lulus needs the pass score (3): 1 + 1 = 2 is not enough; the choices are kept.
    html = _review(trainer, world.wave, first.id, 1, 1, "lulus").get_data(as_text=True)
    assert "Skor 2 belum mencapai batas lulus 3" in html
    assert re.search(r'id="c0-1"[^>]*checked|checked[^>]*id="c0-1"', html)
    # Perlu revisi needs written feedback.
    html = _review(trainer, world.wave, first.id, 1, 1, "perlu-revisi").get_data(as_text=True)
    assert "Tulis apa yang perlu diperbaiki" in html
    assert _submissions(app)[0].status == "menunggu"

    response = _review(trainer, world.wave, first.id, 1, 1, "perlu-revisi", "Pembukanya kurang kuat; tambah takarir.")
    assert response.status_code == 302
    first = _submissions(app)[0]
    assert (first.status, first.score, first.max_score, first.pass_score) == ("perlu-revisi", 2, 4, 3)
    assert [line["points"] for line in first.rubric_scores] == [1, 1]
    # A second decision on the same submission is refused.
    _review(trainer, world.wave, first.id, 2, 2, "lulus")
    assert _submissions(app)[0].status == "perlu-revisi"

    # The trainee sees score and feedback on the page and the home page, and sends a new version.
    page = _text(trainee_client.get(f"/tugas/{M1}"))
    assert "Perlu revisi" in page and "Pembukanya kurang kuat" in page and "Skor 2 dari 4" in page
    home = _text(trainee_client.get("/beranda"))
    assert "Tugas praktik Anda" in home and "Perlu revisi" in home and "Pembukanya kurang kuat" in home
    trainee.post(f"/tugas/{M1}", {"link": f"https://youtu.be/{ID}"})
    second = _submissions(app)[1]
    assert (second.attempt, second.status) == (2, "menunggu")
    # "perlu revisi" lists only work the trainee has not answered yet.
    assert "Siti Aminah" not in _text(trainer_client.get(f"/gelombang/{world.wave.id}/tugas?status=perlu-revisi"))

    assert _review(trainer, world.wave, second.id, 2, 1, "lulus", "").status_code == 302
    second = _submissions(app)[1]
    assert (second.status, second.score, second.reviewed_by) == ("lulus", 3, world.trainer.id)
    assert _events(app, first.id) == [("kirim", None, "menunggu"), ("nilai", "menunggu", "perlu-revisi")]
    assert _events(app, second.id) == [("kirim", None, "menunggu"), ("nilai", "menunggu", "lulus")]
    page = _text(trainee_client.get(f"/tugas/{M1}"))
    assert "Selamat! Tugas Anda lulus." in page and 'name="link"' not in page
    assert "Lulus" in _text(trainer_client.get(f"/gelombang/{world.wave.id}/tugas?status=lulus"))
    assert "Siti Aminah" in _text(trainer_client.get(f"/gelombang/{world.wave.id}/tugas?status=lulus"))


def test_rubric_score_and_threshold(app, world):
    with app.app_context():
        exercise = services.get_exercise(M1)
        assert reviewing.score(exercise.spec, [2, 1]).score == 3
        assert reviewing.score(exercise.spec, [2, 1]).passes
        assert not reviewing.score(exercise.spec, [1, 1]).passes
        with app.test_request_context():
            with pytest.raises(services.ExerciseError) as caught:
                reviewing.score(exercise.spec, [3, 0])
            assert caught.value.field == "c0"
            with pytest.raises(services.ExerciseError):
                reviewing.score(exercise.spec, [1])


def test_tracks_decide_who_may_submit(app, world, make_user, make_wave, enrol, make_agency):
    client, actions = login_as(app, world.trainee)  # in an umum wave; M2 is for opd only
    html = _text(client.get(f"/tugas/{M2}"))
    assert 'name="link"' not in html and "belum terdaftar di gelombang yang memakai tugas ini" in html
    actions.post(f"/tugas/{M2}", {"link": f"https://youtu.be/{ID}"})
    assert _submissions(app) == []
    loner = make_user(name="Belum Terdaftar", agency_id=make_agency("Dinkes"))
    client, actions = login_as(app, loner)
    assert 'name="link"' not in client.get(f"/tugas/{M1}").get_data(as_text=True)
    # An OPD wave's trainee may do both exercises; the opd wave reviews them.
    opd_wave = make_wave(track="opd", trainers=[world.other_trainer])
    enrol(opd_wave, loner)
    assert 'name="link"' in client.get(f"/tugas/{M2}").get_data(as_text=True)
    actions.post(f"/tugas/{M2}", {"link": f"https://youtu.be/{ID}"})
    assert _submissions(app)[0].wave_id == opd_wave.id


def test_completion_counts_approved_exercises_only(app, world):
    wave, trainee = world.wave, world.trainee
    now = utcnow()

    def row():
        with app.app_context():
            progress = completion.trainee_progress(waves.get_wave(wave.id), db.session.get(User, trainee.id), utcnow())
            return progress.exercises_missing, [c.exercise_status for c in progress.cells], progress.status

    assert row()[:2] == (1, ["belum"])
    with app.app_context():
        person = db.session.get(User, trainee.id)
        exercise = services.get_exercise(M1)
        sent = services.submit(person, exercise, services.Answer(text="Jawaban"), now)
        db.session.commit()
        sent_id = sent.id
    assert row()[:2] == (1, ["menunggu"])
    with app.app_context():
        trainer = db.session.get(User, world.trainer.id)
        exercise = services.get_exercise(M1)
        reviewing.review(trainer, db.session.get(Submission, sent_id), exercise, [0, 0], "Belum", "perlu-revisi", now)
        db.session.commit()
    assert row()[:2] == (1, ["perlu-revisi"])

    _, actions = login_as(app, trainee)
    actions.post(f"/kursus/kursus-tugas/{M1}/selesai")
    actions.post(f"/tugas/{M1}", {"text": "Jawaban yang diperbaiki"})
    second = _submissions(app)[1]
    assert row()[:2] == (1, ["menunggu"])
    _, trainer_actions = login_as(app, world.trainer)
    _review(trainer_actions, wave, second.id, 2, 2, "lulus")
    missing, statuses, status = row()
    assert (missing, statuses) == (0, ["lulus"])
    assert status == completion.COMPLETE
    with app.app_context():
        # Recorded by the review route through learner_progressed.
        assert trainee.id in completion.completed_user_ids(waves.get_wave(wave.id))
