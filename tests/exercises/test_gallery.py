"""The public gallery: only approved videos whose makers consented, and nothing personal."""
from __future__ import annotations

from lms.exercises.models import Submission
from lms.extensions import db

from .conftest import M1, login_as
from .test_workflow import _review

TT = "7301234567890123456"
ID = "dQw4w9WgXcQ"


def _approved(app, world, trainee, link, approve=True):
    _, actions = login_as(app, trainee)
    actions.post(f"/tugas/{M1}", {"link": link})
    with app.app_context():
        submission_id = db.session.scalar(
            db.select(Submission.id).where(Submission.user_id == trainee.id).order_by(Submission.id.desc()))
    if approve:
        _, trainer = login_as(app, world.trainer)
        assert _review(trainer, world.wave, submission_id, 2, 2, "lulus").status_code == 302
    return actions


def test_gallery_shows_only_consented_approved_videos(app, world, client):
    siti = _approved(app, world, world.trainee, f"https://www.tiktok.com/@siti/video/{TT}")
    slamet = _approved(app, world, world.other_trainee, f"https://youtu.be/{ID}", approve=False)
    assert "Belum ada video" in client.get("/galeri").get_data(as_text=True)

    # Not approved: no consent form, and consenting is refused.
    assert slamet.post(f"/tugas/{M1}/galeri", {"name": "Slamet", "consent": "y"}).status_code == 404

    # Consent needs the box ticked and a name; what was typed is kept.
    html = siti.post(f"/tugas/{M1}/galeri", {"name": "Mbak Siti"}).get_data(as_text=True)
    assert "Centang persetujuan" in html and 'value="Mbak Siti"' in html
    assert siti.post(f"/tugas/{M1}/galeri", {"name": "Mbak Siti", "consent": "y"}).status_code == 302

    response = client.get("/galeri")  # anonymous
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mbak Siti" in html and "Video tips uji" in html and f'data-video-id="{TT}"' in html
    assert "Siti Aminah" not in html and world.trainee.login_name not in html and "klojen" not in html.lower()
    assert ID not in html  # Pak Slamet's unapproved video

    # Consent can be withdrawn at any time: the video disappears at once.
    assert siti.post(f"/tugas/{M1}/galeri/batal").status_code == 302
    html = client.get("/galeri").get_data(as_text=True)
    assert TT not in html and "Mbak Siti" not in html
    with app.app_context():
        submission = db.session.scalar(db.select(Submission).where(Submission.user_id == world.trainee.id))
        assert submission.gallery_name is None and submission.gallery_consent_at is None


def test_a_deactivated_account_leaves_the_gallery(app, world, client):
    from lms.auth.models import User

    siti = _approved(app, world, world.trainee, f"https://youtu.be/{ID}")
    siti.post(f"/tugas/{M1}/galeri", {"name": "Siti", "consent": "y"})
    assert ID in client.get("/galeri").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, world.trainee.id).active = False
        db.session.commit()
    assert ID not in client.get("/galeri").get_data(as_text=True)
