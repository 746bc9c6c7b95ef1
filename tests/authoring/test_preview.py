"""The live preview: the import pipeline and sanitiser, behind CSRF and the staff check."""
from __future__ import annotations

from ..conftest import csrf_token
from ..courses.test_rendering import XSS_CORPUS, assert_safe
from .conftest import M1, editor_form, login


def _preview(client, data: dict, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    payload = {k: v for k, v in data.items() if k != "csrf_token"}
    return client.post("/tulis/pratinjau", data=payload, headers=headers)


def test_preview_sanitises_the_xss_corpus(app, curriculum, people):
    client = login(app, people.trainer)
    data = editor_form(client)
    data["body"] = "## Aman\n\n" + "\n\n".join(XSS_CORPUS) + "\n\n[tautan](https://example.org)\n"
    response = _preview(client, data, csrf_token(client, f"/tulis/modul/{M1}"))
    assert response.status_code == 200
    result = response.get_json()
    assert_safe(result["html"])
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">tautan</a>' in result["html"]
    assert result["toc"][0]["title"] == "Aman"
    # gambar.png is not an image of this course: reported, and no src survives.
    assert any("gambar.png" in item["message"] for item in result["lines"])
    assert 'src="gambar.png"' not in result["html"]


def test_each_payload_alone_is_sanitised_by_the_preview(app, curriculum, people):
    client = login(app, people.trainer)
    data = editor_form(client)
    token = csrf_token(client, f"/tulis/modul/{M1}")
    for payload in XSS_CORPUS:
        data["body"] = payload
        response = _preview(client, data, token)
        assert response.status_code == 200, payload
        assert_safe(response.get_json()["html"])


def test_preview_requires_the_csrf_token(app, curriculum, people):
    client = login(app, people.trainer)
    data = editor_form(client)
    assert _preview(client, data, None).status_code == 400
    assert _preview(client, data, "salah").status_code == 400
    assert _preview(client, data, csrf_token(client, f"/tulis/modul/{M1}")).status_code == 200


def test_preview_is_for_staff_only(app, curriculum, people):
    client = login(app, people.trainee)
    token = csrf_token(client, "/privasi")
    assert client.post("/tulis/pratinjau", data={"module": M1, "body": "x"},
                       headers={"X-CSRFToken": token}).status_code == 403


def test_preview_renders_the_lesson_features_and_reports_problems_in_indonesian(app, curriculum, people):
    client = login(app, people.trainer)
    data = editor_form(client)
    data["body"] = ("# Judul besar\n\n![](pilar.png)\n\n![Ada](tidak-ada.png)\n\n!!! rahasia \"x\"\n    isi\n\n"
                    "[[video https://example.org/v | Judul]]\n\n[ke atas](#tidak-ada)\n\n"
                    "```quiz\npass_mark: 1\n```\n")
    data["quiz-pass_mark"] = "banyak"
    data["exercise-rubric-0-levels-0-points"] = "seratus"
    result = _preview(client, data, csrf_token(client, f"/tulis/modul/{M1}")).get_json()
    lines = {item["line"]: item["message"] for item in result["lines"]}
    assert "judul utama" in lines[1]
    assert "perlu keterangan" in lines[3]
    assert "belum ada" in lines[5] and "Unggah" in lines[5]
    assert "tidak dikenal" in lines[7]
    assert "video" in lines[10].lower()
    assert "#tidak-ada" in lines[12]
    assert "bagian \"Kuis\"" in lines[14]
    fields = {item["field"]: item["message"] for item in result["problems"]}
    assert "pass_mark" in fields["quiz-pass_mark"]
    assert "points" in fields["exercise-rubric-0-levels-0-points"]
    assert '<img alt="" src="/kursus/kursus-tulis/berkas/pilar.png?v=' in result["html"]
    assert 'class="admonition' in result["html"]
