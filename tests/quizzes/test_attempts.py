"""Quiz pages and attempts: no answer key on the page, limits, resume, idempotent
submission, privacy, show_answers policies, the time limit, progress."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from lms.courses.models import Progress
from lms.extensions import db
from lms.quizzes import services
from lms.quizzes.models import EXPIRED, OPEN, SUBMITTED, QuizAttempt

from ..conftest import csrf_token
from .conftest import QUIZ_COURSE, QUIZ_MODULE

# Every question type, with answer-key texts that must never reach the quiz page.
EVERY_TYPE = """
pass_mark: 60
attempts: {attempts}
shuffle_options: {shuffle}
show_answers: {show}
questions:
  - id: pilihan
    type: single
    text: Pilih satu jawaban.
    options:
      - text: Jawaban Alfa
        correct: true
        feedback: UMPAN-BALIK-ALFA
      - text: Jawaban Beta
        feedback: UMPAN-BALIK-BETA
      - text: Jawaban Gama
    explanation: PENJELASAN-PILIHAN
  - id: banyak
    type: multiple
    scoring: weighted
    text: Pilih yang benar.
    options:
      - text: Opsi Satu
        weight: 50
      - text: Opsi Dua
        weight: 50
      - text: Opsi Tiga
        weight: -100
        feedback: UMPAN-BALIK-TIGA
    explanation: PENJELASAN-BANYAK
  - id: semua
    type: multiple
    text: Centang semua.
    options:
      - text: Centang Kiri
        correct: true
      - text: Centang Kanan
    explanation: PENJELASAN-SEMUA
  - id: benar-salah
    type: truefalse
    text: Pernyataan ini benar.
    answer: true
    feedback_true: UMPAN-BALIK-TRUE
    feedback_false: UMPAN-BALIK-FALSE
    explanation: PENJELASAN-TF
  - id: singkat
    type: short
    text: Tulis kata kuncinya.
    answers: [KATAKUNCIRAHASIA, {{text: SEPARUHRAHASIA, weight: 50, feedback: UMPAN-BALIK-SINGKAT}}]
    explanation: PENJELASAN-SINGKAT
  - id: angka
    type: numeric
    text: Berapa angkanya?
    answer: 4217
    tolerance: 0.5
    explanation: PENJELASAN-ANGKA
  - id: rentang
    type: numeric
    text: Sebutkan angka dalam rentang.
    min: 9137
    max: 9139
    explanation: PENJELASAN-RENTANG
  - id: pasangan
    type: matching
    text: Pasangkan.
    pairs:
      - left: Kiri Satu
        right: Zebra
      - left: Kiri Dua
        right: Apel
      - left: Kiri Tiga
        right: Mangga
    explanation: PENJELASAN-PASANGAN
"""

RIGHT = {
    "q-pilihan": "o1", "q-banyak": ["o1", "o2"], "q-semua": "o1", "q-benar-salah": "true",
    "q-singkat": "  KataKunciRahasia!", "q-angka": "4217,3", "q-rentang": "9.138",
}
WRONG = {"q-pilihan": "o2", "q-banyak": ["o3"], "q-benar-salah": "false", "q-singkat": "salah", "q-angka": "1"}
SECRETS = ("UMPAN-BALIK", "PENJELASAN", "KATAKUNCIRAHASIA", "SEPARUHRAHASIA", "4217", "9137", "9139",
           "correct", "weight", "feedback", "explanation", "answer\"", "tolerance")


def every_type(attempts: int = 0, show: str = "after_pass", shuffle: bool = True) -> str:
    return EVERY_TYPE.format(attempts=attempts, show=show, shuffle=str(shuffle).lower())


def start(auth, module: str = QUIZ_MODULE):
    response = auth.post(f"/kuis/{module}/mulai")
    assert response.status_code == 302, response.status_code
    return response


def start_id(auth, module: str = QUIZ_MODULE) -> int:
    location = start(auth, module).headers["Location"]
    match = re.search(r"/kuis/percobaan/(\d+)$", location)
    assert match, location
    return int(match.group(1))


def matching_fields(client, attempt_id: int, right: bool = True) -> dict:
    """The matching selects' answers, read from the page: the choice ids are hashes."""
    page = client.get(f"/kuis/percobaan/{attempt_id}").get_data(as_text=True)
    choices = dict((text, cid) for cid, text in re.findall(r'<option value="(m[0-9a-f]+)"[^>]*>([^<]+)</option>', page))
    pairs = {"p1": "Zebra", "p2": "Apel", "p3": "Mangga"}
    if not right:
        pairs = {"p1": "Apel", "p2": "Mangga", "p3": "Zebra"}
    return {f"q-pasangan-{pid}": choices[text] for pid, text in pairs.items()}


def submit(auth, client, attempt_id: int, answers: dict, with_matching: bool | None = True):
    data = dict(answers)
    if with_matching is not None:
        data.update(matching_fields(client, attempt_id, right=with_matching))
    token = csrf_token(client, f"/kuis/percobaan/{attempt_id}")
    return client.post(f"/kuis/percobaan/{attempt_id}", data={"csrf_token": token, **data})


def attempts(app, **where) -> list[QuizAttempt]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(QuizAttempt).filter_by(**where).order_by(QuizAttempt.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def progress(app, user_id: int, module: str = QUIZ_MODULE) -> Progress | None:
    with app.app_context():
        row = db.session.scalar(db.select(Progress).filter_by(user_id=user_id, module_slug=module))
        if row is not None:
            db.session.expunge(row)
        return row


# ------------------------------------------------------------------ the page


def test_quiz_page_carries_no_answer_key(app, client, auth, make_user, make_quiz):
    make_quiz(every_type(show="immediately"))
    auth.login(make_user().login_name)
    intro = client.get(f"/kuis/{QUIZ_MODULE}").get_data(as_text=True)
    assert "Mulai kuis" in intro and "60%" in intro
    attempt_id = start_id(auth)
    page = client.get(f"/kuis/percobaan/{attempt_id}").get_data(as_text=True)
    # Every question is there, with its options...
    for text in ("Pilih satu jawaban.", "Jawaban Alfa", "Opsi Tiga", "Centang Kanan", "Pernyataan ini benar.",
                 "Tulis kata kuncinya.", "Berapa angkanya?", "Kiri Tiga", "Zebra", "Apel", "Mangga"):
        assert text in page, text
    # ...and nothing that tells which answer is right.
    body = page.split('<main id="main"', 1)[1]
    for secret in SECRETS:
        assert secret not in body, secret
    assert "application/json" not in page and "data-answer" not in page
    # Matching: every select offers the same choices in the same order, none preselected,
    # identified by hashes that do not name the item they belong to.
    selects = re.findall(r'<select id="(q-pasangan-p\d)"[^>]*>(.*?)</select>', body, re.S)
    assert [name for name, _ in selects] == ["q-pasangan-p1", "q-pasangan-p2", "q-pasangan-p3"]
    assert len({options for _name, options in selects}) == 1
    assert "selected" not in selects[0][1]
    offered = re.findall(r'<option value="(m[0-9a-f]+)">([^<]+)</option>', selects[0][1])
    assert all(not re.search(r"p\d", cid) for cid, _text in offered)
    # Every radio and checkbox row has a label tied to its input.
    inputs = re.findall(r'<input type="(?:radio|checkbox)" id="([^"]+)"', body)
    assert len(inputs) == 3 + 3 + 2 + 2
    for input_id in inputs:
        assert f'<label for="{input_id}">' in body


def test_lesson_links_to_its_quiz(client, auth, make_user, make_quiz):
    make_quiz(every_type())
    auth.login(make_user().login_name)
    lesson = client.get(f"/kursus/{QUIZ_COURSE}/{QUIZ_MODULE}").get_data(as_text=True)
    assert f'href="/kuis/{QUIZ_MODULE}"' in lesson and "Kerjakan kuis" in lesson


def test_module_without_quiz_has_no_quiz_page(client, auth, make_user, make_quiz):
    make_quiz(every_type())
    auth.login(make_user().login_name)
    assert client.get("/kuis/tidak-ada").status_code == 404
    assert auth.post("/kuis/tidak-ada/mulai").status_code == 404


def test_pass_fail_retry_and_progress(app, client, auth, make_user, make_quiz):
    make_quiz(every_type(shuffle=False))
    user = make_user()
    auth.login(user.login_name)

    first = start_id(auth)
    response = submit(auth, client, first, WRONG, with_matching=False)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/kuis/percobaan/{first}/hasil")
    result = client.get(f"/kuis/percobaan/{first}/hasil").get_data(as_text=True)
    assert "Belum lulus" in result and "Coba lagi" in result
    row = progress(app, user.id)
    assert row.best_score == pytest.approx(0.0) and row.quiz_passed_at is None

    second = start_id(auth)
    assert second != first
    submit(auth, client, second, RIGHT)
    result = client.get(f"/kuis/percobaan/{second}/hasil").get_data(as_text=True)
    assert '<h1 id="hasil-judul" class="quiz-verdict">Lulus</h1>' in result
    assert "100%" in result
    row = progress(app, user.id)
    assert row.best_score == pytest.approx(100.0) and row.quiz_passed_at is not None
    passed_at = row.quiz_passed_at

    # A worse attempt later keeps the best score and the first pass time.
    third = start_id(auth)
    submit(auth, client, third, {"q-pilihan": "o1"}, with_matching=None)
    row = progress(app, user.id)
    assert row.best_score == pytest.approx(100.0) and row.quiz_passed_at == passed_at
    [a1, a2, a3] = attempts(app, user_id=user.id)
    assert (a1.attempt_number, a2.attempt_number, a3.attempt_number) == (1, 2, 3)
    assert a1.percent == pytest.approx(0.0) and not a1.passed
    assert a2.percent == pytest.approx(100.0) and a2.passed and a2.score == pytest.approx(8.0)
    assert a3.percent == pytest.approx(12.5) and a3.passed is False
    assert a2.answers["banyak"] == ["o1", "o2"] and a2.fractions["pasangan"] == pytest.approx(1.0)
    intro = client.get(f"/kuis/{QUIZ_MODULE}").get_data(as_text=True)
    assert "Percobaan 3" in intro and "Nilai terbaik" in intro and "100%" in intro


def test_partial_credit(app, client, auth, make_user, make_quiz):
    make_quiz(every_type(shuffle=False))
    user = make_user()
    auth.login(user.login_name)
    attempt_id = start_id(auth)
    submit(auth, client, attempt_id, {"q-banyak": ["o1"], "q-singkat": "separuhrahasia"}, with_matching=None)
    [attempt] = attempts(app, user_id=user.id)
    assert attempt.score == pytest.approx(1.0) and attempt.percent == pytest.approx(12.5)
    assert attempt.fractions["banyak"] == pytest.approx(0.5) and attempt.fractions["singkat"] == pytest.approx(0.5)


def test_attempt_limit(app, client, auth, make_user, make_quiz):
    make_quiz(every_type(attempts=2))
    user = make_user()
    auth.login(user.login_name)
    for _ in range(2):
        submit(auth, client, start_id(auth), WRONG, with_matching=None)
    response = auth.post(f"/kuis/{QUIZ_MODULE}/mulai", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "sudah habis" in page and "(2 dari 2 percobaan)" in page
    assert "Mulai kuis" not in page
    assert len(attempts(app, user_id=user.id)) == 2
    result = client.get(f"/kuis/percobaan/{attempts(app, user_id=user.id)[-1].id}/hasil").get_data(as_text=True)
    assert "Coba lagi" not in result


def test_start_twice_resumes_the_open_attempt(app, client, auth, make_user, make_quiz):
    make_quiz(every_type(attempts=1))
    user = make_user()
    auth.login(user.login_name)
    first = start_id(auth)
    response = auth.post(f"/kuis/{QUIZ_MODULE}/mulai", follow_redirects=True)
    assert "melanjutkan percobaan" in response.get_data(as_text=True)
    assert start_id(auth) == first
    [attempt] = attempts(app, user_id=user.id)
    assert attempt.status == OPEN and attempt.attempt_number == 1
    intro = client.get(f"/kuis/{QUIZ_MODULE}").get_data(as_text=True)
    assert "Lanjutkan kuis" in intro and "1 dari 1 sudah dipakai" in intro


def test_double_submit_grades_once(app, client, auth, make_user, make_quiz):
    make_quiz(every_type(attempts=1, shuffle=False))
    user = make_user()
    auth.login(user.login_name)
    attempt_id = start_id(auth)
    data = {**RIGHT, **matching_fields(client, attempt_id)}
    token = csrf_token(client, f"/kuis/percobaan/{attempt_id}")
    first = client.post(f"/kuis/percobaan/{attempt_id}", data={"csrf_token": token, **data})
    second = client.post(f"/kuis/percobaan/{attempt_id}", data={"csrf_token": token, **WRONG})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    [attempt] = attempts(app, user_id=user.id)
    assert attempt.status == SUBMITTED and attempt.passed and attempt.percent == pytest.approx(100.0)
    intro = client.get(f"/kuis/{QUIZ_MODULE}").get_data(as_text=True)
    assert "1 dari 1 sudah dipakai" in intro


def test_submit_that_lost_the_race_changes_nothing(app, make_user, make_quiz):
    """Two requests loaded the same open attempt; the one whose UPDATE comes second grades nothing."""
    make_quiz(every_type(shuffle=False))
    user = make_user()
    now = datetime(2026, 12, 1, 9, 0)
    with app.app_context():
        started = services.start_attempt(user, QUIZ_MODULE, now)
        db.session.commit()
        attempt = services.get_attempt(user, started.attempt_id)
        assert attempt.status == OPEN  # this request's copy says "open"...
        db.session.execute(  # ...but another request closes it meanwhile
            db.update(QuizAttempt).where(QuizAttempt.id == attempt.id)
            .values(status=SUBMITTED, percent=10.0, score=0.8, max_score=8.0, passed=False, submitted_at=now)
            .execution_options(synchronize_session=False)
        )
        outcome = services.submit_attempt(user, attempt.id, {"pilihan": "o1"}, now)
        db.session.commit()
        assert outcome.graded_now is False
        assert db.session.get(QuizAttempt, attempt.id).percent == pytest.approx(10.0)
        assert db.session.scalar(db.select(Progress.best_score).filter_by(user_id=user.id)) is None


def test_another_trainees_attempt_is_not_found(app, client, auth, make_user, make_quiz):
    make_quiz(every_type())
    owner, other = make_user(), make_user()
    auth.login(owner.login_name)
    open_id = start_id(auth)
    auth.logout()
    auth.login(other.login_name)
    assert client.get(f"/kuis/percobaan/{open_id}").status_code == 404
    assert auth.post(f"/kuis/percobaan/{open_id}", data=RIGHT).status_code == 404
    assert client.get(f"/kuis/percobaan/{open_id}/hasil").status_code == 404
    auth.logout()
    auth.login(owner.login_name)
    submit(auth, client, open_id, RIGHT)
    auth.logout()
    auth.login(other.login_name)
    assert client.get(f"/kuis/percobaan/{open_id}").status_code == 404
    assert client.get(f"/kuis/percobaan/{open_id}/hasil").status_code == 404
    assert attempts(app, id=open_id)[0].percent == pytest.approx(100.0)


def test_pages_need_a_login_and_post_needs_csrf(client, auth, make_user, make_quiz):
    make_quiz(every_type())
    assert client.get(f"/kuis/{QUIZ_MODULE}").status_code == 302
    auth.login(make_user().login_name)
    assert client.post(f"/kuis/{QUIZ_MODULE}/mulai").status_code == 400


def test_unreadable_number_keeps_the_answers(app, client, auth, make_user, make_quiz):
    make_quiz(every_type(shuffle=False))
    user = make_user()
    auth.login(user.login_name)
    attempt_id = start_id(auth)
    token = csrf_token(client, f"/kuis/percobaan/{attempt_id}")
    response = client.post(f"/kuis/percobaan/{attempt_id}", data={
        "csrf_token": token, "q-pilihan": "o2", "q-banyak": ["o1", "o3"], "q-benar-salah": "false",
        "q-singkat": "jawaban saya", "q-angka": "empat ribu",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in page and 'href="#q-angka"' in page and "Soal 6" in page
    assert 'id="q-pilihan-o2" name="q-pilihan" value="o2" checked' in page
    assert 'value="o1" checked' in page and 'value="o3" checked' in page
    assert 'id="q-benar-salah-false" name="q-benar-salah" value="false" checked' in page
    assert 'value="jawaban saya"' in page and 'value="empat ribu"' in page
    assert attempts(app, user_id=user.id)[0].status == OPEN


# ------------------------------------------------------------ show_answers


@pytest.mark.parametrize("policy, after_fail, after_pass", [
    ("immediately", True, True),
    ("after_pass", False, True),
    ("after_last_attempt", False, True),  # the passing attempt is the last of two
    ("never", False, False),
])
def test_show_answers_policies(client, auth, make_user, make_quiz, policy, after_fail, after_pass):
    make_quiz(every_type(attempts=2, show=policy, shuffle=False))
    auth.login(make_user().login_name)
    failed = start_id(auth)
    submit(auth, client, failed, WRONG, with_matching=False)
    page = client.get(f"/kuis/percobaan/{failed}/hasil").get_data(as_text=True)
    assert ("PENJELASAN-PILIHAN" in page) is after_fail
    assert ("UMPAN-BALIK-BETA" in page) is after_fail  # the chosen option's feedback
    assert ("<dt>Jawaban yang benar</dt>" in page) is after_fail
    if not after_fail:
        assert "Pembahasan" not in page and "Jawaban Alfa" not in page
    passed = start_id(auth)
    submit(auth, client, passed, RIGHT)
    page = client.get(f"/kuis/percobaan/{passed}/hasil").get_data(as_text=True)
    assert "quiz-verdict\">Lulus" in page
    assert ("PENJELASAN-PASANGAN" in page) is after_pass
    assert ("KATAKUNCIRAHASIA" in page) is after_pass
    # The failed attempt's review follows the same rule now.
    page = client.get(f"/kuis/percobaan/{failed}/hasil").get_data(as_text=True)
    assert ("PENJELASAN-PILIHAN" in page) is after_pass


def test_after_last_attempt_hides_answers_while_attempts_remain(client, auth, make_user, make_quiz):
    make_quiz(every_type(attempts=3, show="after_last_attempt"))
    auth.login(make_user().login_name)
    first = start_id(auth)
    submit(auth, client, first, RIGHT)
    page = client.get(f"/kuis/percobaan/{first}/hasil").get_data(as_text=True)
    assert "quiz-verdict\">Lulus" in page and "PENJELASAN" not in page
    assert "setelah kesempatan terakhir" in page and "Sisa kesempatan: 2" in page


# --------------------------------------------------------------- time limit


TIMED = """
pass_mark: 50
time_limit_minutes: 10
questions:
  - id: satu
    type: truefalse
    text: Benar?
    answer: true
    explanation: Ya.
"""


def test_time_limit_is_enforced_on_the_server(app, make_user, make_quiz):
    make_quiz(TIMED)
    user = make_user()
    t0 = datetime(2026, 12, 1, 9, 0)
    with app.app_context():
        # Within the limit plus the 30 s grace: graded.
        first = services.start_attempt(user, QUIZ_MODULE, t0)
        attempt = services.get_attempt(user, first.attempt_id)
        assert attempt.deadline_at == t0 + timedelta(minutes=10)
        outcome = services.submit_attempt(user, first.attempt_id, {"satu": "true"}, t0 + timedelta(minutes=10, seconds=29))
        db.session.commit()
        assert outcome.graded_now and not outcome.expired and outcome.passed

        # After it: the answers are refused, the attempt is closed as expired with 0 points.
        second = services.start_attempt(user, QUIZ_MODULE, t0 + timedelta(hours=1))
        outcome = services.submit_attempt(user, second.attempt_id, {"satu": "true"},
                                          t0 + timedelta(hours=1, minutes=10, seconds=31))
        db.session.commit()
        assert outcome.graded_now and outcome.expired and not outcome.passed
        attempt = db.session.get(QuizAttempt, second.attempt_id)
        assert attempt.status == EXPIRED and attempt.answers == {} and attempt.percent == 0 and attempt.passed is False

        # An open attempt left to run out is closed when the trainee starts again.
        third = services.start_attempt(user, QUIZ_MODULE, t0 + timedelta(hours=2))
        fourth = services.start_attempt(user, QUIZ_MODULE, t0 + timedelta(hours=2, minutes=11))
        db.session.commit()
        assert fourth.attempt_id != third.attempt_id and not fourth.resumed
        assert db.session.get(QuizAttempt, third.attempt_id).status == EXPIRED
        # Resuming within the time gives the same attempt and the same deadline.
        again = services.start_attempt(user, QUIZ_MODULE, t0 + timedelta(hours=2, minutes=15))
        assert again.attempt_id == fourth.attempt_id and again.resumed
        assert db.session.scalar(db.select(Progress.best_score).filter_by(user_id=user.id)) == pytest.approx(100.0)


def test_expired_attempt_page_closes_it(app, client, auth, make_user, make_quiz):
    make_quiz(TIMED)
    user = make_user()
    auth.login(user.login_name)
    attempt_id = start_id(auth)
    page = client.get(f"/kuis/percobaan/{attempt_id}").get_data(as_text=True)
    assert "data-quiz-timer" in page and 'data-seconds="' in page and "js/quiz.js" in page
    with app.app_context():
        db.session.execute(db.update(QuizAttempt).values(deadline_at=datetime(2020, 1, 1)))
        db.session.commit()
    response = client.get(f"/kuis/percobaan/{attempt_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/hasil")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Waktu habis" in page and "Belum lulus" in page
    assert attempts(app, user_id=user.id)[0].status == EXPIRED


def test_late_post_is_refused(app, client, auth, make_user, make_quiz):
    make_quiz(TIMED)
    user = make_user()
    auth.login(user.login_name)
    attempt_id = start_id(auth)
    token = csrf_token(client, f"/kuis/percobaan/{attempt_id}")
    with app.app_context():
        db.session.execute(db.update(QuizAttempt).values(deadline_at=datetime(2020, 1, 1)))
        db.session.commit()
    response = client.post(f"/kuis/percobaan/{attempt_id}", data={"csrf_token": token, "q-satu": "true"},
                           follow_redirects=True)
    assert "setelah waktu habis" in response.get_data(as_text=True)
    [attempt] = attempts(app, user_id=user.id)
    assert attempt.status == EXPIRED and attempt.percent == 0


def test_draw_and_shuffle(app, make_user, make_quiz):
    questions = "\n".join(
        f"  - id: s{n}\n    type: single\n    text: Soal {n}\n    options:\n"
        f"      - text: Benar {n}\n        correct: true\n      - text: Salah {n}\n      - text: Lain {n}\n"
        f"    explanation: Penjelasan {n}." for n in range(1, 9))
    make_quiz(f"draw: 4\nshuffle_questions: true\nshuffle_options: true\nquestions:\n{questions}\n")
    seen_sets, seen_orders = set(), set()
    users = [make_user() for _ in range(12)]
    with app.app_context():
        for user in users:
            started = services.start_attempt(user, QUIZ_MODULE, datetime(2026, 12, 1))
            attempt = services.get_attempt(user, started.attempt_id)
            assert len(attempt.question_ids) == 4 and len(set(attempt.question_ids)) == 4
            for qid in attempt.question_ids:
                assert sorted(attempt.option_orders[qid]) == ["o1", "o2", "o3"]
                seen_orders.add(tuple(attempt.option_orders[qid]))
            seen_sets.add(frozenset(attempt.question_ids))
        db.session.commit()
    assert len(seen_sets) > 1 and len(seen_orders) > 1
