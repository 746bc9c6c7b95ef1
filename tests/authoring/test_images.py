"""Images uploaded into a module: limits, re-encoding, storage in the database, serving."""
from __future__ import annotations

import io

from PIL import Image

from lms.authoring.models import CourseImage
from lms.extensions import db

from ..conftest import csrf_token
from .conftest import COURSE, M1, editor_form, login, post_editor
from .test_drafts import LESSON, revisions

UPLOAD = f"/tulis/kursus/{COURSE}/gambar"


def jpeg_with_gps(width=3000, height=1000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "S", 2: (7.0, 58.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def upload(client, data: bytes, name: str, alt: str = ""):
    """A multipart POST encoded here, in memory (the test client spools big bodies to a temporary file it never closes)."""
    boundary = "----sinau-uji"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\n{alt}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(UPLOAD, data=body, headers={"X-CSRFToken": csrf_token(client, f"/tulis/modul/{M1}")},
                       content_type=f"multipart/form-data; boundary={boundary}")


def stored(app, filename):
    with app.app_context():
        image = db.session.scalar(db.select(CourseImage).where(CourseImage.filename == filename))
        return image.data, image.mimetype, image.width, image.height


def test_upload_reencodes_strips_metadata_and_shrinks(app, curriculum, people):
    client = login(app, people.trainer)
    original = jpeg_with_gps()
    assert b"KameraRahasia" in original
    response = upload(client, original, "Foto Alun-Alun (1).JPG", "Alun-alun Tugu")
    assert response.status_code == 200, response.get_data(as_text=True)
    result = response.get_json()
    assert result["filename"] == "foto-alun-alun-1.jpg"
    assert result["markdown"] == "![Alun-alun Tugu](foto-alun-alun-1.jpg)"
    data, mimetype, width, height = stored(app, "foto-alun-alun-1.jpg")
    assert (mimetype, width, height) == ("image/jpeg", 1600, 533)
    assert b"KameraRahasia" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and not image.getexif()
    # A PNG stays a PNG; the same picture again is stored once; a taken name gets a new one.
    png = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(png, format="PNG")
    assert upload(client, png.getvalue(), "pilar.png").get_json()["filename"] == "pilar-2.png"  # pilar.png is a course file
    assert upload(client, png.getvalue(), "lain.png").get_json()["filename"] == "pilar-2.png"
    assert stored(app, "pilar-2.png")[1] == "image/png"


def test_upload_limits(app, curriculum, people):
    client = login(app, people.trainer)
    too_big = upload(client, b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024 + 10), "besar.png")
    assert too_big.status_code == 413
    assert "maksimal 2 MB" in too_big.get_json()["error"]
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
    for data, name in ((svg, "gambar.svg"), (svg, "gambar.png"), (b"<html><script>alert(1)</script>", "x.jpg"),
                       (b"GIF89a" + b"\x00" * 50, "animasi.gif"), (b"", "kosong.png")):
        response = upload(client, data, name)
        assert response.status_code == 400, name
        assert response.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CourseImage.id))) == 0
    # Trainees cannot upload.
    trainee = login(app, people.trainee)
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, format="PNG")
    response = trainee.post(UPLOAD, data={"image": (io.BytesIO(png.getvalue()), "x.png")},
                            headers={"X-CSRFToken": csrf_token(trainee, "/privasi")}, content_type="multipart/form-data")
    assert response.status_code == 403


def test_uploaded_image_is_used_in_a_lesson_and_served_from_the_database(app, curriculum, people):
    trainer, trainee = login(app, people.trainer), login(app, people.trainee)
    png = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 83, 148)).save(png, format="PNG")
    name = upload(trainer, png.getvalue(), "bagan.png").get_json()["filename"]
    data = editor_form(trainer)
    data["body"] += f"\n\n![Bagan literasi]({name})\n"
    assert post_editor(trainer, M1, data, "publish").status_code == 302
    lesson = trainee.get(LESSON).get_data(as_text=True)
    src = f"/kursus/{COURSE}/berkas/{name}?v="
    assert f'<img alt="Bagan literasi" src="{src}' in lesson
    response = trainee.get(f"/kursus/{COURSE}/berkas/{name}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == stored(app, name)[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    assert trainee.get(f"/kursus/{COURSE}/berkas/{name}", headers={"If-None-Match": etag}).status_code == 304
    assert trainee.get(f"/kursus/{COURSE}/berkas/tidak-ada.png").status_code == 404
    assert revisions(app)[-1].body_html.count(src) == 1


def test_upload_without_javascript_adds_the_image_to_the_body(app, curriculum, people):
    client = login(app, people.trainer)
    data = editor_form(client)
    data["body"] += "\n\nTeks yang belum disimpan."
    png = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(png, format="PNG")
    payload = {**data, "action": "upload", "image_alt": "Kotak biru", "image": (io.BytesIO(png.getvalue()), "kotak.png")}
    response = client.post(f"/tulis/modul/{M1}", data=payload, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Teks yang belum disimpan.\n\n![Kotak biru](kotak.png)" in page
    assert f'src="/kursus/{COURSE}/berkas/kotak.png?v=' in page  # the preview shows it
    bad = {**data, "action": "upload", "image": (io.BytesIO(b"bukan gambar"), "x.png")}
    response = client.post(f"/tulis/modul/{M1}", data=bad, content_type="multipart/form-data")
    assert response.status_code == 400 and "bukan gambar PNG, JPEG atau WebP" in response.get_data(as_text=True)
