"""Parsing and validation: every problem names the file and the right line."""
from __future__ import annotations

import pytest

from lms.courses import format as fmt

from .helpers import BODY_END, course_text, module_text, tiny_png, write_course


def problems_of(root) -> list[str]:
    return [f"{p.path.rsplit('/', 1)[-1]}:{p.line}: {p.message}" for p in fmt.parse(root).problems]


def single_module(courses_dir, text: str, name: str = "01-contoh.md"):
    folder = write_course(courses_dir, "kursus-uji", modules=[])
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_valid_module_is_read_completely(courses_dir):
    body = """
    Lihat [bagian dua](#bagian-dua-pilihan).

    ![Logo Sinau](logo.png)

    [[video https://youtu.be/aqz-KE-bpKQ | Video pengantar | 3:20]]

    ## Bagian dua: pilihan

    ```quiz
    pass_mark: 70
    questions:
      - id: satu
        type: truefalse
    ```

    ```exercise
    slug: tugas
    ```
    """
    folder = single_module(courses_dir, module_text(body=body))
    (folder / "logo.png").write_bytes(tiny_png())
    curriculum = fmt.parse(courses_dir)
    assert curriculum.problems == []
    assert curriculum.whole_tree is True
    (course,) = curriculum.courses
    assert (course.slug, course.title, course.estimated_hours, course.tracks) == (
        "kursus-uji", "Kursus kursus-uji", 1.5, ["umum", "opd", "lansia"])
    (module,) = course.modules
    assert module.slug == "contoh" and module.rel_path == "kursus-uji/01-contoh.md"
    assert module.metadata == {
        "objectives": ["Memahami contoh."], "tracks": ["umum", "opd"], "duration_minutes": 10,
        "sources": [{"title": "Sumber contoh", "url": "https://example.org/a", "date": "2026-11"}],
        "verified_on": "2026-11-28", "review_every": 365, "time_sensitive": False,
    }
    assert module.quiz.data == {"pass_mark": 70, "questions": [{"id": "satu", "type": "truefalse"}]}
    assert module.quiz.line == BODY_END + 9
    assert module.quiz.line_of(("questions", 0, "type")) == BODY_END + 13
    assert module.exercise.data == {"slug": "tugas"}
    assert "```quiz" not in module.body.markdown and "pass_mark" not in module.body.markdown
    (video,) = module.body.videos
    assert (video.provider, video.video_id, video.title, video.length, video.line) == (
        "youtube", "aqz-KE-bpKQ", "Video pengantar", "3:20", BODY_END + 5)
    assert list(module.body.images) == ["logo.png"]
    assert module.body.anchors == [(BODY_END + 1, "bagian-dua-pilihan")]
    assert len(module.content_hash) == 64


# (line to replace, new text, expected line, expected words in the message)
FRONT_MATTER_CASES = [
    pytest.param(4, "order: satu", 4, "order: expected a whole number, got text", id="wrong-type"),
    pytest.param(9, "verified_on: 2026-11-28", 9, "unquoted date", id="unquoted-date"),
    pytest.param(9, 'verified_on: "28-11-2026"', 9, 'write the date as "YYYY-MM-DD"', id="date-format"),
    pytest.param(9, 'verified_on: "2026-02-30"', 9, "not a real date", id="impossible-date"),
    pytest.param(8, "tracks: [umum, NO]", 8, "boolean false", id="yaml-no-is-false"),
    pytest.param(8, "tracks: [umum, pelajar]", 8, "unknown track 'pelajar'", id="unknown-track"),
    pytest.param(8, "tracks: [umum, umum]", 8, "listed twice", id="duplicate-track"),
    pytest.param(8, "tracks: umum", 8, "expected a list of tracks", id="tracks-not-list"),
    pytest.param(5, "duration_minute: 10", 5, "unknown key 'duration_minute' (did you mean 'duration_minutes'?)",
                 id="unknown-key"),
    pytest.param(5, "duration_minutes: 0", 5, "between 1 and 600", id="out-of-range"),
    pytest.param(2, "slug: Contoh_Modul", 2, "lowercase letters", id="slug-format"),
    pytest.param(2, "slug: lain", 2, "does not match the file name 01-contoh.md", id="slug-file-mismatch"),
    pytest.param(3, "title: yes", 3, "boolean true", id="title-yes"),
    pytest.param(3, "title:", 3, "the value is empty", id="title-empty"),
    pytest.param(7, "  - ", 7, "objectives.0: expected text", id="empty-objective"),
    pytest.param(12, "    url: javascript:alert(1)", 12, "url must be an http:// or https:// address", id="source-url"),
    pytest.param(12, "    link: https://example.org", 11, "source 1 is missing 'url'", id="source-missing-url"),
    pytest.param(13, '    date: "2026-13"', 13, "not a real date", id="source-month"),
    pytest.param(13, "    date: 2023-02-01", 13, "unquoted date", id="source-unquoted-date"),
    pytest.param(13, '    tanggal: "2026-11"', 13, "unknown key 'tanggal' in a source", id="source-unknown-key"),
    pytest.param(10, {10: "sources: none", 11: "#", 12: "#", 13: "#"}, 10, "expected a list of sources",
                 id="sources-not-list"),
    pytest.param(6, "time_sensitive: ya", 6, "time_sensitive: expected true or false", id="bool-text"),
    pytest.param(4, "order: [1", 5, "YAML error", id="yaml-syntax"),
]


@pytest.mark.parametrize(("line", "text", "expected_line", "words"), FRONT_MATTER_CASES)
def test_front_matter_problem_points_at_its_line(courses_dir, line, text, expected_line, words):
    replace = text if isinstance(text, dict) else {line: text}
    if line == 6:  # keep the objectives list valid: put the new key where it was
        replace = {6: text + "\nobjectives:"}
    single_module(courses_dir, module_text(replace=replace))
    problems = problems_of(courses_dir)
    assert any(p.startswith(f"01-contoh.md:{expected_line}: ") and words in p for p in problems), problems


def test_missing_keys_and_file_problems(courses_dir):
    folder = single_module(courses_dir, module_text(replace={5: "review_every: 90"}))
    (folder / "2-salah.md").write_text(module_text("salah"), encoding="utf-8")
    (folder / "03-tanpa-front-matter.md").write_text("Hanya teks.\n", encoding="utf-8")
    (folder / "04-terbuka.md").write_text("---\nslug: terbuka\n", encoding="utf-8")
    (folder / "05-latin.md").write_bytes(b"---\nslug: latin\ntitle: caf\xe9\n---\n")
    problems = problems_of(courses_dir)
    assert "01-contoh.md:2: missing required key 'duration_minutes'" in problems
    assert "2-salah.md:1: module files are named NN-slug.md (two digits, a hyphen, the slug)" in problems
    assert any(p.startswith("03-tanpa-front-matter.md:1: the file must start with front matter") for p in problems)
    assert any(p.startswith("04-terbuka.md:1: front matter is not closed") for p in problems)
    assert "05-latin.md:3: the file is not UTF-8 text" in problems


def test_duplicate_key_is_an_error(courses_dir):
    single_module(courses_dir, module_text(replace={5: "duration_minutes: 10\norder: 2"}))
    assert "01-contoh.md:6: duplicate key 'order'" in problems_of(courses_dir)


BODY_CASES = [
    pytest.param("[[video https://vimeo.com/123 | Judul]]", "only YouTube and TikTok", id="video-host"),
    pytest.param("[[video https://www.youtube.com/watch?v=pendek | Judul]]", "not a YouTube video id", id="video-id"),
    pytest.param("[[video https://youtu.be/aqz-KE-bpKQ]]", "write a video as", id="video-no-title"),
    pytest.param("[[video https://youtu.be/aqz-KE-bpKQ |  | 3:20]]", "needs a title", id="video-empty-title"),
    pytest.param("[[video https://youtu.be/aqz-KE-bpKQ | Judul | tiga menit]]", "must look like 3:20", id="video-length"),
    pytest.param("[[video javascript:alert(1) | Judul]]", "must start with https://", id="video-javascript"),
    pytest.param("[[video https://vm.tiktok.com/ZSabc/ | Judul]]", "short TikTok links", id="tiktok-short"),
    pytest.param("[[video https://www.tiktok.com/@akun/photo/123456789 | Judul]]", "TikTok link must look like",
                 id="tiktok-path"),
    pytest.param("[[video https://youtu.be/aqz-KE-bpKQ | Judul", "on a line of its own", id="video-unclosed"),
    pytest.param("![Gambar](tidak-ada.png)", "image 'tidak-ada.png' not found", id="image-missing"),
    pytest.param("![](ada.png)", "needs a description", id="image-no-alt"),
    pytest.param("![Foto](https://example.org/foto.png)", "images are files beside the module", id="image-remote"),
    pytest.param("![Foto](../lain/ada.png)", "images are files beside the module", id="image-path"),
    pytest.param("![Foto](javascript:alert(1))", "images are files beside the module", id="image-javascript"),
    pytest.param("![Foto](dokumen.pdf)", "images are files beside the module", id="image-type"),
    pytest.param('!!! caution "Awas"', "unknown callout 'caution'", id="callout-kind"),
    pytest.param("# Judul besar", "use ## and ###", id="h1"),
    pytest.param("#SaringSebelumSharing", "use ## and ###", id="hashtag"),
]


@pytest.mark.parametrize(("line", "words"), BODY_CASES)
def test_body_problem_points_at_its_line(courses_dir, line, words):
    folder = single_module(courses_dir, module_text(body=f"\nParagraf.\n\n{line}\n"))
    (folder / "ada.png").write_bytes(tiny_png())
    problems = problems_of(courses_dir)
    assert any(p.startswith(f"01-contoh.md:{BODY_END + 3}: ") and words in p for p in problems), problems


def test_code_fences_are_not_scanned(courses_dir):
    body = """
    ```markdown
    # Bukan judul
    [[video https://vimeo.com/1 | Bukan video]]
    ![](tidak-ada.png)
    ```quiz
    ```
    Teks dengan kode `![](x.png)`.
    """
    single_module(courses_dir, module_text(body=body))
    assert problems_of(courses_dir) == []


def test_quiz_yaml_error_and_validator_lines(courses_dir):
    body = """
    ```quiz
    pass_mark: 70
    questions:
      - id: satu
        text: Pertanyaan
        options: [a, b
    ```
    """
    single_module(courses_dir, module_text(body=body))
    problems = problems_of(courses_dir)
    assert len(problems) == 1
    assert problems[0].startswith(f"01-contoh.md:{BODY_END + 6}: YAML error"), problems


def test_validators_get_data_and_line_of(courses_dir):
    body = """
    ```quiz
    pass_mark: 170
    questions:
      - id: satu
        type: single
        options:
          - text: A
          - text: B
    ```

    ```exercise
    slug: tugas
    rubric: []
    ```
    """
    single_module(courses_dir, module_text(body=body))
    seen = {}

    def quiz(data, line_of):
        seen["quiz"] = data
        return [(line_of(("pass_mark",)), "pass_mark must be at most 100"),
                (line_of(("questions", 0, "options", 1)), "no correct option"),
                (line_of(("questions", 0, "nope", 3)), "falls back to the question")]

    def exercise(data, line_of):
        seen["exercise"] = data
        return [(line_of(("rubric",)), "rubric needs a criterion")]

    problems = [str(p).rsplit("/", 1)[-1] for p in fmt.parse(courses_dir, {"quiz": quiz, "exercise": exercise}).problems]
    assert seen["quiz"]["questions"][0]["id"] == "satu" and seen["exercise"] == {"slug": "tugas", "rubric": []}
    assert problems == [
        f"01-contoh.md:{BODY_END + 2}: pass_mark must be at most 100",
        f"01-contoh.md:{BODY_END + 4}: falls back to the question",
        f"01-contoh.md:{BODY_END + 8}: no correct option",
        f"01-contoh.md:{BODY_END + 13}: rubric needs a criterion",
    ]


def test_block_structure_problems(courses_dir):
    body = """
    ```exercise
    slug: tugas
    when: 2026-01-01
    ```

    ```quiz
    - satu
    ```

    ```quiz
    pass_mark: 70
    ```

    ```quiz
    tidak: ditutup
    """
    single_module(courses_dir, module_text(body=body))
    problems = problems_of(courses_dir)
    assert f"01-contoh.md:{BODY_END + 3}: YAML read an unquoted date; write it in quotes, e.g. \"2026-01-01\"" in problems
    assert f"01-contoh.md:{BODY_END + 6}: the quiz block comes before the exercise block" in problems
    assert f"01-contoh.md:{BODY_END + 6}: the quiz block must hold YAML keys and values" in problems
    assert (f"01-contoh.md:{BODY_END + 10}: a module has at most one quiz block (the first is on line {BODY_END + 6})"
            in problems)
    assert f"01-contoh.md:{BODY_END + 14}: the quiz block is not closed: add a line ```" in problems
    assert len(problems) == 5, problems


def test_course_file_problems(courses_dir):
    folder = courses_dir / "kursus-uji"
    folder.mkdir()
    (folder / "course.md").write_text(
        "---\ntitle: Kursus\nsummary: Ringkas\norder: 1\ntracks: [umum]\nestimated_hours: yes\n"
        "cover: sampul.png\nrequired:\n  umum: [contoh, hilang]\n  guru: [contoh]\n---\n"
        "Pengantar.\n\n```quiz\npass_mark: 1\n```\n",
        encoding="utf-8",
    )
    (folder / "01-contoh.md").write_text(module_text(), encoding="utf-8")
    (courses_dir / "Kursus Salah").mkdir()
    (courses_dir / "Kursus Salah" / "course.md").write_text(course_text(), encoding="utf-8")
    (courses_dir / "tanpa-course").mkdir()
    (courses_dir / "tanpa-course" / "01-x.md").write_text(module_text("x"), encoding="utf-8")
    (courses_dir / "kosong").mkdir()  # an empty folder is skipped
    problems = problems_of(courses_dir)
    assert "course.md:6: estimated_hours: expected a number such as 5 or 1.5, got a boolean; YAML read this as the boolean true (yes/no/on/off/true/false are booleans); put the text in quotes" in problems
    assert "course.md:7: cover image 'sampul.png' not found in kursus-uji/" in problems
    assert "course.md:9: required module 'hilang' is not a module of this course" in problems
    assert "course.md:10: unknown track 'guru' in required; tracks are umum, opd, lansia" in problems
    assert "course.md:14: a quiz block belongs in a module file, not in course.md" in problems
    assert any(p.startswith("course.md:1: course folder 'Kursus Salah' is not a slug") for p in problems)
    assert "course.md:1: course.md is missing: every course folder needs one" in problems
    assert len(problems) == 7, problems


def test_module_slugs_are_unique_across_courses(courses_dir):
    write_course(courses_dir, "kursus-a", modules=[("sama", module_text("sama"))])
    write_course(courses_dir, "kursus-b", modules=[("sama", module_text("sama"))])
    (problem,) = fmt.parse(courses_dir).problems
    assert problem.path.endswith("kursus-b/01-sama.md") and problem.line == 2
    assert "already used by" in problem.message and "kursus-a/01-sama.md" in problem.message


def test_reserved_slug(courses_dir):
    single_module(courses_dir, module_text("berkas"), name="01-berkas.md")
    assert "01-berkas.md:2: 'berkas' is reserved; choose another slug" in problems_of(courses_dir)


def test_a_folder_of_modules_without_course_md_is_refused(courses_dir):
    (courses_dir / "01-contoh.md").write_text(module_text(), encoding="utf-8")
    assert problems_of(courses_dir) == ["course.md:1: this folder holds .md files but no course.md"]
    assert [p.message for p in fmt.parse(courses_dir / "tidak-ada").problems] == ["no such folder"]


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=10s", ("youtube", "aqz-KE-bpKQ")),
    ("https://youtu.be/aqz-KE-bpKQ?si=abc", ("youtube", "aqz-KE-bpKQ")),
    ("https://m.youtube.com/shorts/aqz-KE-bpKQ", ("youtube", "aqz-KE-bpKQ")),
    ("https://www.youtube.com/live/aqz_KE-bpKQ", ("youtube", "aqz_KE-bpKQ")),
    ("https://www.tiktok.com/@sinau.malang/video/7301234567890123456?lang=id", ("tiktok", "7301234567890123456")),
    ("https://www.youtube.com/watch?v=aqz-KE-bpKQ%22onload", None),
    ("https://www.youtube.com/watch?v=<script>", None),
    ("https://www.youtube.com.evil.example/watch?v=aqz-KE-bpKQ", None),
    ("https://www.tiktok.com/@akun/video/123abc", None),
    ("data:text/html,hi", None),
])
def test_video_urls(url, expected):
    parsed = fmt.parse_video_url(url)
    if expected is None:
        assert isinstance(parsed, str)
    else:
        assert parsed[:2] == expected


def test_yaml_loader_keeps_lines_and_refuses_tricks():
    data, line_of, errors = fmt.load_yaml("a: 1\nb:\n  - x\n  - y: 2\n", 10)
    assert errors == [] and data == {"a": 1, "b": ["x", {"y": 2}]}
    assert (line_of(("a",)), line_of(("b", 1, "y")), line_of(("b", 9))) == (10, 13, 11)
    assert fmt.load_yaml("a: !!python/object:os.system x\n", 1)[2][0][1].startswith("YAML error")
    assert fmt.load_yaml("a: &x [*x]\n", 1)[2] == [(1, "YAML alias refers to itself")]
    assert fmt.load_yaml("1: satu\n", 5)[2] == [(5, "key '1': keys must be text")]
