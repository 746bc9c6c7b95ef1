"""Screenshots through the page: size limits, content checks, re-encoding."""
from __future__ import annotations

import io

import pytest

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from lms.exercises.models import Submission, SubmissionImage
from lms.extensions import db

from ..conftest import csrf_token
from .conftest import M1, jpeg_with_exif, login_as, png_bytes
from .test_images import HTML, SVG


def _upload(actions, data: bytes, name: str = "layar.png", **extra):
    """A multipart POST encoded in memory (the test client spools big bodies
    to a temporary file it never closes, which warnings-as-errors reports)."""
    fields = {"csrf_token": csrf_token(actions.client), **extra,
              "image": FileStorage(io.BytesIO(data), filename=name, content_type="application/octet-stream")}
    boundary, body = encode_multipart(fields)
    return actions.client.post(f"/tugas/{M1}", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_request_over_the_limit_gets_413(app, world):
    client, actions = login_as(app, world.trainee)
    response = _upload(actions, b"\x89PNG\r\n\x1a\n" + b"\x00" * (app.config["MAX_CONTENT_LENGTH"] + 1024))
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_a_file_over_3_mb_is_refused_with_a_message(app, world):
    _, actions = login_as(app, world.trainee)
    response = _upload(actions, b"\x89PNG\r\n\x1a\n" + b"\x00" * (3 * 1024 * 1024 + 10), text="Jawaban saya")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "maksimal 3 MB" in html and "Jawaban saya" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


@pytest.mark.parametrize(("data", "name"), [
    (HTML, "layar.png"),
    (SVG, "layar.svg"),
    (b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 20, "layar.png"),
    (b"GIF89a\x01\x00\x01\x00<script>alert(1)</script>", "layar.gif"),
])
def test_non_images_are_refused(app, world, data, name):
    _, actions = login_as(app, world.trainee)
    html = _upload(actions, data, name).get_data(as_text=True)
    assert "bukan gambar PNG, JPEG atau WebP" in html and "error-summary" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(SubmissionImage.id))) == 0


def test_the_stored_image_is_re_encoded_without_exif(app, world):
    client, actions = login_as(app, world.trainee)
    original = jpeg_with_exif()
    assert _upload(actions, original, "foto.jpg").status_code == 302
    with app.app_context():
        stored = db.session.scalar(db.select(SubmissionImage))
        data, token = stored.data, stored.token
        assert stored.user_id == world.trainee.id and stored.size == len(data)
    assert data != original and b"KameraRahasia" not in data and b"Exif" not in data
    response = client.get(f"/tugas/{M1}/gambar/{token}")
    assert response.data == data and response.mimetype == "image/jpeg"
    assert len(token) >= 40  # a random name


def test_png_is_accepted_and_kept_png_when_transparent(app, world):
    _, actions = login_as(app, world.trainee)
    assert _upload(actions, png_bytes(mode="RGBA", colour=(0, 0, 0))).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(SubmissionImage.mimetype)) == "image/png"
