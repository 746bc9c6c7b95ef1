"""Someone else's submission or screenshot is a 404; the wrong role is a 403."""
from __future__ import annotations

import pytest

from lms.exercises.models import Submission
from lms.extensions import db

from .conftest import M1, login_as, png_bytes

ID = "dQw4w9WgXcQ"


@pytest.fixture
def sent(app, world):
    """The trainee's submission with a link and a screenshot: (submission id, image URL)."""
    import io

    _, actions = login_as(app, world.trainee)
    response = actions.post(f"/tugas/{M1}", {"link": f"https://youtu.be/{ID}", "image": (io.BytesIO(png_bytes()), "layar.png")},
                            content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        submission = db.session.scalar(db.select(Submission))
        return submission.id, f"/tugas/{M1}/gambar/{submission.image.token}"


def test_owner_and_the_waves_trainer_see_the_screenshot(app, world, sent):
    _, image_url = sent
    for person in (world.trainee, world.trainer, world.admin):
        client, _ = login_as(app, person)
        response = client.get(image_url)
        assert response.status_code == 200, person.name
        assert response.mimetype in ("image/jpeg", "image/png")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("inline")


def test_others_get_404_for_the_screenshot(app, world, sent):
    _, image_url = sent
    for person in (world.other_trainee, world.other_trainer):
        client, _ = login_as(app, person)
        assert client.get(image_url).status_code == 404, person.name
        assert client.get(image_url.replace("/tugas-m1/", "/tugas-m2/")).status_code == 404
    client, _ = login_as(app, world.trainee)
    assert client.get(f"/tugas/{M1}/gambar/tebakan").status_code == 404
    assert client.get(image_url.replace(M1, "tugas-m2")).status_code == 404  # right token, wrong module


def test_another_trainee_never_sees_the_submission(app, world, sent):
    submission_id, _ = sent
    client, _ = login_as(app, world.other_trainee)
    html = client.get(f"/tugas/{M1}").get_data(as_text=True)
    assert ID not in html and "Riwayat kiriman" not in html
    # The review page is for staff only: a trainee is refused by role.
    assert client.get(f"/gelombang/{world.wave.id}/tugas/{submission_id}").status_code == 403


def test_a_trainer_of_another_wave_cannot_review(app, world, sent):
    submission_id, _ = sent
    client, actions = login_as(app, world.other_trainer)
    assert client.get(f"/gelombang/{world.wave.id}/tugas").status_code == 404
    assert client.get(f"/gelombang/{world.wave.id}/tugas/{submission_id}").status_code == 404
    # Their own wave's URL with this submission's id: still not found.
    assert client.get(f"/gelombang/{world.other_wave.id}/tugas/{submission_id}").status_code == 404
    response = actions.post(f"/gelombang/{world.wave.id}/tugas/{submission_id}", {"c0": "2", "c1": "2", "decision": "lulus"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Submission, submission_id).status == "menunggu"
    assert "Siti Aminah" not in client.get("/gelombang/tugas").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/gelombang/tugas", "/laporan/opd", "/laporan/opd.csv", "/laporan/opd.xlsx"])
def test_trainees_are_refused_staff_pages(app, world, url):
    client, _ = login_as(app, world.trainee)
    assert client.get(url).status_code == 403


def test_trainee_refused_queue_and_trainer_refused_report(app, world):
    client, _ = login_as(app, world.trainee)
    assert client.get(f"/gelombang/{world.wave.id}/tugas").status_code == 403
    client, _ = login_as(app, world.trainer)
    assert client.get("/laporan/opd").status_code == 403
    assert client.get(f"/gelombang/{world.wave.id}/tugas").status_code == 200


def test_changes_need_post_and_csrf(app, world, sent):
    submission_id, _ = sent
    client, _ = login_as(app, world.trainee)
    assert client.get(f"/tugas/{M1}/tarik").status_code == 405
    assert client.post(f"/tugas/{M1}/tarik").status_code == 400  # no CSRF token
    assert client.post(f"/tugas/{M1}", data={"link": f"https://youtu.be/{ID}"}).status_code == 400
    trainer, _ = login_as(app, world.trainer)
    assert trainer.post(f"/gelombang/{world.wave.id}/tugas/{submission_id}", data={"decision": "lulus"}).status_code == 400
    with app.app_context():
        assert db.session.get(Submission, submission_id).status == "menunggu"


def test_another_trainee_cannot_withdraw_or_share_it(app, world, sent):
    submission_id, _ = sent
    _, actions = login_as(app, world.other_trainee)
    actions.post(f"/tugas/{M1}/tarik")
    assert actions.post(f"/tugas/{M1}/galeri", {"name": "X", "consent": "y"}).status_code == 404
    with app.app_context():
        assert db.session.get(Submission, submission_id).status == "menunggu"
