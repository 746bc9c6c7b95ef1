"""The wave completion rule: every missing piece keeps a trainee from 'selesai'."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from lms.auth.models import User
from lms.completion import grid, services
from lms.completion.models import WaveCompletion
from lms.core.db import utcnow
from lms.courses import services as courses
from lms.courses.models import Progress
from lms.extensions import db
from lms.waves import attendance
from lms.waves import services as waves

from ..waves.conftest import login_as, text_of


def _status(app, wave_ref, user, now=None):
    with app.app_context():
        row = services.trainee_progress(waves.get_wave(wave_ref.id), db.session.get(User, user.id), now or utcnow())
        return row


def _complete(app, user, slug, quiz=False):
    with app.app_context():
        person = db.session.get(User, user.id)
        courses.mark_completed(person, "kursus-uji", slug, utcnow())
        if quiz:
            progress = db.session.scalar(db.select(Progress).where(Progress.user_id == user.id, Progress.module_slug == slug))
            progress.quiz_passed_at = utcnow()
            progress.best_score = 100.0
        db.session.commit()


@pytest.fixture
def setup(app, course, make_wave, enrol, make_user):
    trainer = make_user(role="trainer")
    wave = make_wave(trainers=[trainer], exercises_required=False)
    trainee = make_user(name="Bu Sri Sukun")
    enrol(wave, trainee)
    return wave, trainee, trainer


def test_new_wave_gets_its_tracks_default_path(app, course, make_wave):
    umum = make_wave(track="umum")
    opd = make_wave(track="opd")
    with app.app_context():
        assert [i.module_slug for i in waves.learning_path(waves.get_wave(umum.id))] == ["kursus-uji-m1", "kursus-uji-m2"]
        assert [i.module_slug for i in waves.learning_path(waves.get_wave(opd.id))] == ["kursus-uji-m2"]


def test_not_started_then_each_missing_piece(app, setup, make_session):
    wave, trainee, _ = setup
    row = _status(app, wave, trainee)
    assert row.status == services.NOT_STARTED
    assert row.missing == ["2 modul lagi", "1 kuis belum lulus"]

    _complete(app, trainee, "kursus-uji-m1")
    row = _status(app, wave, trainee)
    assert row.status == services.IN_PROGRESS
    assert row.missing == ["1 modul lagi", "1 kuis belum lulus"]

    _complete(app, trainee, "kursus-uji-m2")
    row = _status(app, wave, trainee)
    assert row.status == services.IN_PROGRESS
    assert row.missing == ["1 kuis belum lulus"]  # the quiz is still missing

    _complete(app, trainee, "kursus-uji-m1", quiz=True)
    make_session(wave, starts_at=utcnow() - timedelta(hours=3), ends_at=utcnow() - timedelta(hours=1))
    row = _status(app, wave, trainee)
    assert row.status == services.IN_PROGRESS
    assert row.missing == ["kehadiran 0/1"]  # attendance below 75%


def test_complete_when_everything_is_met_and_recorded_once(app, setup, make_session):
    wave, trainee, _ = setup
    session_id = make_session(wave, starts_at=utcnow() - timedelta(hours=3), ends_at=utcnow() - timedelta(hours=1))
    _complete(app, trainee, "kursus-uji-m1", quiz=True)
    _complete(app, trainee, "kursus-uji-m2")
    with app.app_context():
        from lms.waves.models import ClassSession

        session = db.session.get(ClassSession, session_id)
        attendance.set_roster(session, [trainee.id], db.session.get(User, trainee.id), utcnow())
        db.session.commit()
    assert _status(app, wave, trainee).status == services.COMPLETE
    with app.app_context():
        person = db.session.get(User, trainee.id)
        assert [w.id for w in services.record_completions(person, utcnow())] == [wave.id]
        assert services.record_completions(person, utcnow()) == []
        db.session.commit()
        assert db.session.query(WaveCompletion).count() == 1


def test_recording_skips_the_rule_until_every_module_is_done(app, course, make_wave, enrol, make_user):
    """Most progress events are not a trainee's last step: a one-query pre-check
    (every module of the path completed) keeps the full rule from running."""
    from ..perf.querycount import count_queries

    waves_in = [make_wave(quizzes_required=False, exercises_required=False) for _ in range(3)]
    trainee = make_user()
    for wave in waves_in:
        enrol(wave, trainee)
    _complete(app, trainee, "kursus-uji-m1")
    with app.app_context(), count_queries(app) as statements:
        assert services.record_completions(db.session.get(User, trainee.id), utcnow()) == []
    assert len(statements) <= 5  # user, recorded waves, the trainee's waves, the two pre-check queries: not 3 × the rule

    _complete(app, trainee, "kursus-uji-m2")
    with app.app_context():
        recorded = services.record_completions(db.session.get(User, trainee.id), utcnow())
        assert sorted(w.id for w in recorded) == sorted(w.id for w in waves_in)


def test_recording_ignores_path_modules_missing_from_the_catalogue(app, course, make_wave, enrol, make_user):
    """A path may name a module that was removed: the rule skips it, so must the pre-check;
    a wave whose path is empty completes on attendance alone."""
    named = make_wave(quizzes_required=False, exercises_required=False)
    empty = make_wave(quizzes_required=False, exercises_required=False)
    trainee = make_user()
    enrol(named, trainee)
    enrol(empty, trainee)
    with app.app_context():
        waves.set_learning_path(waves.get_wave(named.id), [("kursus-uji", "kursus-uji-m1"), ("kursus-lama", "modul-dihapus")])
        waves.set_learning_path(waves.get_wave(empty.id), [])
        db.session.commit()
    _complete(app, trainee, "kursus-uji-m1")
    assert _status(app, named, trainee).status == services.COMPLETE
    with app.app_context():
        recorded = services.record_completions(db.session.get(User, trainee.id), utcnow())
        assert sorted(w.id for w in recorded) == sorted([named.id, empty.id])


def test_quizzes_not_required(app, course, make_wave, enrol, make_user):
    wave = make_wave(quizzes_required=False, exercises_required=False)
    trainee = make_user()
    enrol(wave, trainee)
    _complete(app, trainee, "kursus-uji-m1")
    _complete(app, trainee, "kursus-uji-m2")
    assert _status(app, wave, trainee).status == services.COMPLETE


def test_incomplete_after_the_end_date(app, setup):
    wave, trainee, _ = setup
    later = utcnow() + timedelta(days=30)
    assert _status(app, wave, trainee, now=later).status == services.INCOMPLETE


def test_completion_is_kept_when_content_changes(app, setup):
    wave, trainee, _ = setup
    with app.app_context():
        db.session.add(WaveCompletion(wave_id=wave.id, user_id=trainee.id, completed_at=utcnow()))
        db.session.commit()
    assert _status(app, wave, trainee).status == services.COMPLETE


def test_marking_the_last_module_records_completion_through_the_route(app, course, make_wave, enrol, make_user):
    wave = make_wave(quizzes_required=False, exercises_required=False)
    trainee = make_user()
    enrol(wave, trainee)
    _complete(app, trainee, "kursus-uji-m1")
    client, actions = login_as(app, trainee)
    client.get("/kursus/kursus-uji/kursus-uji-m2")
    actions.post("/kursus/kursus-uji/kursus-uji-m2/selesai")
    with app.app_context():
        assert db.session.query(WaveCompletion).filter_by(wave_id=wave.id, user_id=trainee.id).count() == 1


def test_home_shows_progress_and_what_is_missing(app, setup):
    wave, trainee, _ = setup
    _complete(app, trainee, "kursus-uji-m2")
    client, _ = login_as(app, trainee)
    html = text_of(client.get("/beranda"))
    assert "Kemajuan di Gelombang Uji" in html
    assert "1 modul lagi, 1 kuis belum lulus" in html
    assert "Langkah berikutnya: Modul kursus-uji-m1" in html


# --- the grid ----------------------------------------------------------------------------


def _count_queries(app, client, url):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def test_grid_uses_a_fixed_number_of_queries(app, course, make_wave, enrol, make_user):
    trainer = make_user(role="trainer")
    small, big = make_wave(trainers=[trainer]), make_wave(trainers=[trainer], capacity=100)
    for i in range(3):
        enrol(small, make_user())
    for i in range(30):
        person = make_user()
        enrol(big, person)
        if i % 2:
            _complete(app, person, "kursus-uji-m1", quiz=True)
    client, _ = login_as(app, trainer)
    a = _count_queries(app, client, f"/gelombang/{small.id}/kemajuan")
    b = _count_queries(app, client, f"/gelombang/{big.id}/kemajuan")
    assert a == b
    assert b <= 15


def test_grid_filters_and_sorts(app, setup, enrol, make_user):
    wave, trainee, trainer = setup
    other = make_user(name="Pak Anwar Blimbing")
    enrol(wave, other)
    _complete(app, other, "kursus-uji-m1")
    client, _ = login_as(app, trainer)
    html = text_of(client.get(f"/gelombang/{wave.id}/kemajuan?status=berjalan"))
    assert "Pak Anwar Blimbing" in html and "Bu Sri Sukun" not in html
    html = text_of(client.get(f"/gelombang/{wave.id}/kemajuan?urut=kemajuan"))
    assert html.index("Pak Anwar Blimbing") < html.index("Bu Sri Sukun")
    detail = client.get(f"/gelombang/{wave.id}/kemajuan/{other.id}")
    assert detail.status_code == 200 and "Selesai dibaca" in text_of(detail)


def test_page_of_clamps_and_counts():
    rows = list(range(5))
    first = grid.page_of(rows, 1, size=2)
    assert (first.rows, first.number, first.pages, first.first, first.last, first.total) == ([0, 1], 1, 3, 1, 2, 5)
    assert grid.page_of(rows, 99, size=2).rows == [4]
    assert grid.page_of(rows, -3, size=2).number == 1
    empty = grid.page_of([], 1, size=2)
    assert (empty.rows, empty.pages, empty.first, empty.last) == ([], 1, 0, 0)


def test_grid_shows_a_page_of_trainees_and_keeps_the_filter(app, setup, enrol, make_user, monkeypatch):
    wave, trainee, trainer = setup
    for name in ("Ani Arjosari", "Budi Bareng", "Cici Cemorokandang", "Dedi Dinoyo"):
        enrol(wave, make_user(name=name))
    monkeypatch.setattr(grid, "GRID_PAGE_SIZE", 2)
    client, _ = login_as(app, trainer)
    html = text_of(client.get(f"/gelombang/{wave.id}/kemajuan"))  # by name: Ani, Bu Sri | Budi, Cici | Dedi
    assert "Ani Arjosari" in html and "Bu Sri Sukun" in html and "Budi Bareng" not in html
    assert "Menampilkan 1–2 dari 5 peserta" in html
    assert "<strong>5</strong> Belum mulai" in html  # the counts cover the whole wave, not the page
    page = client.get(f"/gelombang/{wave.id}/kemajuan?halaman=3&status=belum-mulai")
    html = text_of(page)
    assert "Dedi Dinoyo" in html and "Cici Cemorokandang" not in html and "Menampilkan 5–5 dari 5 peserta" in html
    assert b"status=belum-mulai" in page.data and b'rel="prev"' in page.data and b'rel="next"' not in page.data
    assert "Menampilkan 5–5" in text_of(client.get(f"/gelombang/{wave.id}/kemajuan?halaman=99"))
    assert "Menampilkan 1–2" in text_of(client.get(f"/gelombang/{wave.id}/kemajuan?halaman=dua"))


def test_grid_cells_speak_the_readers_language(app, setup):
    wave, trainee, trainer = setup
    _complete(app, trainee, "kursus-uji-m1")
    client, actions = login_as(app, trainer)
    html = text_of(client.get(f"/gelombang/{wave.id}/kemajuan"))
    assert "Selesai dibaca" in html and "Belum dibuka" in html
    actions.post("/bahasa", data={"lang": "en"})
    html = text_of(client.get(f"/gelombang/{wave.id}/kemajuan"))
    assert "Selesai dibaca" not in html and "Belum dibuka" not in html


def test_grid_permissions(app, setup, make_user):
    wave, trainee, _ = setup
    stranger = make_user(role="trainer")
    client, _ = login_as(app, stranger)
    for suffix in ("", f"/{trainee.id}", ".csv", ".xlsx"):
        assert client.get(f"/gelombang/{wave.id}/kemajuan{suffix}").status_code == 404, suffix
    trainee_client, _ = login_as(app, trainee)
    for suffix in ("", f"/{trainee.id}", ".csv", ".xlsx"):
        assert trainee_client.get(f"/gelombang/{wave.id}/kemajuan{suffix}").status_code == 403, suffix
    admin = make_user(role="admin")
    admin_client, _ = login_as(app, admin)
    assert admin_client.get(f"/gelombang/{wave.id}/kemajuan").status_code == 200


def test_exports_neutralise_formulas(app, course, make_wave, enrol, make_user):
    import io
    import zipfile

    trainer = make_user(role="trainer")
    wave = make_wave(trainers=[trainer])
    enrol(wave, make_user(name='=HYPERLINK("http://evil.example","klik")'))
    enrol(wave, make_user(name="@SUM(1+1)"))
    client, _ = login_as(app, trainer)
    csv_data = client.get(f"/gelombang/{wave.id}/kemajuan.csv").data
    assert csv_data.startswith("\ufeff".encode())
    text = csv_data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    xlsx = client.get(f"/gelombang/{wave.id}/kemajuan.xlsx").data
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        strings = zf.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet  # no formula cells at all
    assert "&apos;=HYPERLINK" in strings or "'=HYPERLINK" in strings
