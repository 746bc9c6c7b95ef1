"""Pages: catalogue, course, lesson, progress, course files."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import event

from lms.courses.models import Progress
from lms.extensions import db

from .helpers import module_text, tiny_png, write_course

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def course(courses_dir, do_import):
    body = """
    ## Bagian dua

    [[video https://www.youtube.com/watch?v=aqz-KE-bpKQ | Video pengantar | 3:20]]
    """
    modules = [
        ("pertama", module_text("pertama", title="Modul Pertama", order=1,
                                replace={6: "time_sensitive: true\nobjectives:"}, body=body)),
        ("kedua", module_text("kedua", title="Modul Kedua", order=2)),
        ("ketiga", module_text("ketiga", title="Modul Ketiga", order=3)),
    ]
    folder = write_course(courses_dir, "kursus-uji", modules=modules, title="Kursus Uji")
    do_import(courses_dir)
    return folder


def progress_rows(app):
    with app.app_context():
        return sorted(
            (p.user_id, p.module_slug, p.status, p.revision_number_completed)
            for p in db.session.scalars(db.select(Progress))
        )


def test_pages_need_a_login(client, course):
    for url in ("/kursus", "/kursus/kursus-uji", "/kursus/kursus-uji/pertama"):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url


def test_catalogue_course_and_home(client, auth, make_user, course):
    auth.login(make_user().login_name)
    home = client.get("/beranda").get_data(as_text=True)
    assert "Lanjutkan belajar" in home and "Modul Pertama" in home and 'href="/kursus/kursus-uji/pertama"' in home
    assert '<a href="/kursus">Kursus</a>' in home  # in the menu
    catalogue = client.get("/kursus").get_data(as_text=True)
    assert "Kursus Uji" in catalogue and "0 dari 3 modul selesai" in catalogue
    assert '<progress max="3" value="0"' in catalogue and "± 1,5 jam" in catalogue
    page = client.get("/kursus/kursus-uji").get_data(as_text=True)
    assert page.count("Belum mulai") == 3 and "Pengantar kursus." in page
    assert client.get("/kursus/tidak-ada").status_code == 404
    assert client.get("/kursus/kursus-uji/tidak-ada").status_code == 404


def test_lesson_page_and_progress(app, client, auth, make_user, course):
    user = make_user()
    auth.login(user.login_name)
    response = client.get("/kursus/kursus-uji/pertama")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Modul Pertama" in html and "Modul 1 dari 3" in html and "± 10 menit" in html
    assert "Memahami contoh." in html  # objectives
    assert "Informasi ini bisa berubah — cek di aplikasi." in html
    assert "Sumber contoh" in html and "(November 2026)" in html
    assert "Fakta diperiksa pada 28 November 2026." in html
    assert 'href="#bagian-dua"' in html  # table of contents
    assert 'data-video-id="aqz-KE-bpKQ"' in html and "<iframe" not in html
    assert 'rel="next" href="/kursus/kursus-uji/kedua"' in html and 'rel="prev"' not in html
    assert "/static/js/video.js" in html and "<script>" not in html
    assert progress_rows(app) == [(user.id, "pertama", "started", None)]
    assert "Tandai selesai" in html
    # Opening again changes nothing.
    client.get("/kursus/kursus-uji/pertama")
    assert progress_rows(app) == [(user.id, "pertama", "started", None)]
    assert "Sedang dipelajari" in client.get("/kursus/kursus-uji").get_data(as_text=True)

    response = auth.post("/kursus/kursus-uji/pertama/selesai")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kursus/kursus-uji/pertama#sinau-selesai")
    assert progress_rows(app) == [(user.id, "pertama", "completed", 1)]
    with app.app_context():
        first_completed = db.session.scalar(db.select(Progress.completed_at))
    html = client.get("/kursus/kursus-uji/pertama").get_data(as_text=True)
    assert "Anda sudah menyelesaikan modul ini." in html and "Modul ditandai selesai" in html
    assert 'action="/kursus/kursus-uji/pertama/selesai"' not in html
    # Repeated clicks change nothing.
    auth.post("/kursus/kursus-uji/pertama/selesai")
    assert "sudah ditandai selesai" in client.get("/kursus/kursus-uji/pertama").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Progress.completed_at)) == first_completed
    assert progress_rows(app) == [(user.id, "pertama", "completed", 1)]
    assert "1 dari 3 modul selesai" in client.get("/kursus").get_data(as_text=True)
    home = client.get("/beranda").get_data(as_text=True)
    assert "Modul Kedua" in home and "Mulai modul" in home


def test_updated_module_asks_to_complete_again(app, client, auth, make_user, course, do_import, courses_dir):
    user = make_user()
    auth.login(user.login_name)
    client.get("/kursus/kursus-uji/kedua")
    auth.post("/kursus/kursus-uji/kedua/selesai")
    path = course / "02-kedua.md"
    path.write_text(path.read_text() + "\nTambahan materi.\n")
    do_import(courses_dir)
    html = client.get("/kursus/kursus-uji/kedua").get_data(as_text=True)
    assert "Materi ini diperbarui sejak Anda menyelesaikannya." in html and "Tambahan materi." in html
    assert "Diperbarui" in client.get("/kursus/kursus-uji").get_data(as_text=True)
    auth.post("/kursus/kursus-uji/kedua/selesai")
    assert progress_rows(app) == [(user.id, "kedua", "completed", 2)]
    assert "diperbarui sejak" not in client.get("/kursus/kursus-uji/kedua").get_data(as_text=True)


def test_progress_is_private_and_marking_is_post_with_csrf(app, client, auth, make_user, course):
    alice, budi = make_user(name="Alice"), make_user(name="Budi")
    auth.login(alice.login_name)
    auth.post("/kursus/kursus-uji/pertama/selesai", {"user_id": str(budi.id)})
    auth.logout()
    auth.login(budi.login_name)
    catalogue = client.get("/kursus").get_data(as_text=True)
    assert "0 dari 3 modul selesai" in catalogue
    assert client.get("/kursus/kursus-uji").get_data(as_text=True).count("Belum mulai") == 3
    assert client.get("/kursus/kursus-uji/pertama/selesai").status_code == 405
    assert client.post("/kursus/kursus-uji/pertama/selesai").status_code == 400  # no CSRF token
    assert client.post("/kursus/kursus-uji/pertama/selesai", data={"csrf_token": "palsu"}).status_code == 400
    assert auth.post("/kursus/kursus-uji/tidak-ada/selesai").status_code == 404
    assert progress_rows(app) == [(alice.id, "pertama", "completed", 1)]
    auth.logout()
    assert client.get("/kursus/kursus-uji/pertama/selesai").status_code == 405
    response = client.post("/kursus/kursus-uji/pertama/selesai")
    assert response.status_code in (302, 400) and progress_rows(app) == [(alice.id, "pertama", "completed", 1)]


def test_course_files_are_images_only_and_cached(app, client, auth, make_user, course):
    (course / "foto.png").write_bytes(tiny_png())
    (course / "catatan.txt").write_text("rahasia")
    (course / "gambar.svg").write_text("<svg onload='alert(1)'/>")
    assert client.get("/kursus/kursus-uji/berkas/foto.png").status_code == 302  # behind the login
    auth.login(make_user().login_name)
    response = client.get("/kursus/kursus-uji/berkas/foto.png?v=abc")
    response.close()
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.cache_control.max_age == 31536000 and response.cache_control.private
    assert not response.cache_control.public and response.headers["ETag"]
    with client.get("/kursus/kursus-uji/berkas/foto.png", headers={"If-None-Match": response.headers["ETag"]}) as again:
        assert again.status_code == 304
    for url in ("/kursus/kursus-uji/berkas/catatan.txt", "/kursus/kursus-uji/berkas/gambar.svg",
                "/kursus/kursus-uji/berkas/course.md", "/kursus/kursus-uji/berkas/..%2Fcourse.md",
                "/kursus/kursus-uji/berkas/tidak-ada.png", "/kursus/..%2F..%2Fetc/berkas/x.png",
                "/kursus/Kursus/berkas/foto.png"):
        assert client.get(url).status_code == 404, url


def count_statements(app, client, url) -> tuple[int, int]:
    statements: list[str] = []

    def before(_conn, _cursor, statement, _params, _context, _executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return len(statements), len(response.data)


# Lesson page, first visit: session lookup, lesson + progress (one query),
# neighbours (one query), user reload after begin_write, the progress INSERT,
# user reload after the commit, plus the transactions' BEGINs. Later visits
# only read (4 statements).
LESSON_QUERY_BUDGET = 10


def test_lesson_page_issues_a_fixed_number_of_queries(app, client, auth, make_user, courses_dir, do_import):
    write_course(courses_dir, "kecil", modules=3)
    write_course(courses_dir, "besar", modules=30, order=2)
    do_import(courses_dir)
    auth.login(make_user().login_name)
    client.get("/kursus")  # warm up: templates, session
    small_first = count_statements(app, client, "/kursus/kecil/kecil-m2")[0]
    large_first = count_statements(app, client, "/kursus/besar/besar-m15")[0]
    small_again = count_statements(app, client, "/kursus/kecil/kecil-m2")[0]
    large_again = count_statements(app, client, "/kursus/besar/besar-m15")[0]
    assert small_first == large_first <= LESSON_QUERY_BUDGET
    assert small_again == large_again <= small_first
    # The catalogue and the course page are fixed too.
    assert count_statements(app, client, "/kursus/kecil")[0] == count_statements(app, client, "/kursus/besar")[0]


def test_lesson_page_weighs_under_30_kb(app, client, auth, make_user, courses_dir, do_import):
    shutil.copytree(ROOT / "courses" / "contoh-kursus", courses_dir / "contoh-kursus")
    do_import(courses_dir)
    auth.login(make_user().login_name)
    total = 0
    for slug in ("mengenal-sinau", "belajar-hemat-kuota", "tugas-dan-sertifikat"):
        page = client.get(f"/kursus/contoh-kursus/{slug}").get_data(as_text=True)
        assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
        assert {"/static/css/sinau.css", "/static/js/sinau.js", "/static/js/video.js"} <= set(assets)
        total = len(page.encode()) + sum((ROOT / a.lstrip("/")).stat().st_size for a in assets)
        assert total < 30 * 1024, (slug, total)
    image = re.search(r'src="(/kursus/contoh-kursus/berkas/layar-sinau.png\?v=[0-9a-f]+)"',
                      client.get("/kursus/contoh-kursus/mengenal-sinau").get_data(as_text=True))
    assert image
    with client.get(image.group(1)) as response:
        assert response.status_code == 200 and response.data.startswith(b"\x89PNG")


def test_english_readers_get_translated_chrome(client, auth, make_user, course):
    auth.login(make_user().login_name)
    auth.post("/bahasa", {"lang": "en", "next": "/kursus/kursus-uji/pertama"})
    html = client.get("/kursus/kursus-uji/pertama").get_data(as_text=True)
    assert 'lang="en"' in html and 'data-video-id="aqz-KE-bpKQ"' in html


def test_course_intro_may_hold_a_video(client, auth, make_user, courses_dir, do_import):
    folder = write_course(courses_dir, "kursus-video", modules=1)
    (folder / "course.md").write_text((folder / "course.md").read_text().replace(
        "Pengantar kursus.", "Pengantar.\n\n[[video https://youtu.be/aqz-KE-bpKQ | Sambutan]]"))
    do_import(courses_dir)
    auth.login(make_user().login_name)
    html = client.get("/kursus/kursus-video").get_data(as_text=True)
    assert 'data-video-id="aqz-KE-bpKQ"' in html and "/static/js/video.js" in html
    assert "/static/js/video.js" not in client.get("/kursus").get_data(as_text=True)


def test_placeholder_translations_match_the_stored_texts(app):
    from lms.courses import rendering, routes

    assert set(routes.PLACEHOLDER_TRANSLATIONS) == set(rendering.PLACEHOLDER_TEXTS)
    with app.test_request_context():  # Indonesian: every msgid is the stored text itself
        assert all(str(value) == key for key, value in routes.PLACEHOLDER_TRANSLATIONS.items())
