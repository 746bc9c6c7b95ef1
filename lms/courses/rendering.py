"""Markdown → safe lesson HTML, once, at import time (never per request).

Python-Markdown renders; nh3 then keeps only what a lesson needs and strips
everything else (scripts, styles, event handlers, forms, frames, `javascript:`
and `data:` links…). Images are rewritten to the route that serves the
course's files; video lines become a light placeholder that loads the player
only when tapped (static/js/video.js).
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import markdown
import nh3
from markupsafe import Markup
from markdown.extensions.toc import slugify_unicode

from lms.courses.format import ADMONITION_KINDS, Body, Problem, Video

EXTENSIONS = ["toc", "tables", "admonition", "attr_list", "fenced_code", "sane_lists"]
EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}}

TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div",
    "ul", "ol", "li", "dl", "dt", "dd",
    "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr",
    "code", "pre", "kbd", "blockquote", "a", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "ol": {"start"},
    "th": {"style"}, "td": {"style"},  # only text-align survives (filter_style_properties)
    "abbr": {"title"},
}
ALLOWED_CLASSES = {"div": {"admonition", *ADMONITION_KINDS}, "p": {"admonition-title"}}
# Removed together with everything inside them (other unknown tags keep their text).
CLEAN_CONTENT_TAGS = {
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "textarea", "select", "option", "title", "xmp", "noembed", "noframes", "plaintext",
    "head", "meta", "link", "base",
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

# Placeholder texts. They are stored inside the lesson HTML in Indonesian (the
# content language) and swapped for the reader's language by
# `localise_placeholders` (the view passes the translations; see routes.py).
PLAY_LABEL = "Putar video"
NOTE_LABEL = "Video baru dimuat setelah Anda menekan tombol (memakai kuota data)."
OPEN_LABELS = {"youtube": "Tonton di YouTube", "tiktok": "Tonton di TikTok"}
PLACEHOLDER_TEXTS = (PLAY_LABEL, NOTE_LABEL, *OPEN_LABELS.values())

AssetUrl = Callable[[str, str], str]  # (course slug, file name) -> URL path


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)  # [{"level": 2, "id": "...", "title": "..."}]
    ids: set[str] = field(default_factory=set)


def _flatten_toc(tokens: list[dict], out: list[dict], ids: set[str]) -> None:
    for token in tokens:
        ids.add(token["id"])
        if 2 <= token["level"] <= 3:
            out.append({"level": token["level"], "id": token["id"], "title": html.unescape(token["name"])})
        _flatten_toc(token.get("children", []), out, ids)


def video_placeholder(video: Video) -> str:
    """A figure with the title, the length and a "Putar video" button. Built
    from validated parts only (provider, id matched by a strict pattern), after
    sanitising, so the allow-list needs no buttons or data attributes."""
    title = html.escape(video.title)
    length = f' <span class="video-length">({html.escape(video.length)})</span>' if video.length else ""
    return (
        f'<figure class="video" data-video>'
        f'<div class="video-frame">'
        f'<button type="button" class="video-play" data-video-provider="{video.provider}" '
        f'data-video-id="{video.video_id}" data-video-title="{title}">'
        f'<span class="video-play-icon" aria-hidden="true"></span>'
        f'<span class="video-play-label">{html.escape(PLAY_LABEL)}</span></button>'
        f'<p class="video-note">{html.escape(NOTE_LABEL)}</p>'
        f'</div>'
        f'<figcaption><span class="video-title">{title}</span>{length} '
        f'<a class="video-link" href="{html.escape(video.url)}" rel="{LINK_REL}">'
        f'{html.escape(OPEN_LABELS[video.provider])}</a></figcaption>'
        f'</figure>'
    )


def trusted(clean_html: str) -> Markup:
    """Mark HTML made by this module as safe for Jinja: `sanitise()` output, or a
    placeholder built from validated, escaped parts (`video_placeholder`).

    Sinau's one door from an HTML string to Markup in Python code (templates use
    `|safe` only on stored `sanitise()` output): every caller passes one of those two.
    """
    return Markup(clean_html)  # nosec B704 - only nh3's output or escaped-at-build HTML comes here (see above)


def sanitise(raw_html: str, image_urls: Mapping[str, str] | None = None) -> str:
    """Keep only the lesson allow-list. `image_urls` maps the file names an
    author may use in <img src> to their served URL; any other src is dropped."""
    image_urls = image_urls or {}

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return image_urls.get(value)
        return value

    return nh3.clean(
        raw_html,
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=attribute_filter,
        allowed_classes=ALLOWED_CLASSES,
        filter_style_properties={"text-align"},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        set_tag_attribute_values={"img": {"loading": "lazy"}},  # images below the fold wait: data is dear
        strip_comments=True,
    )


def render(body: Body, course_slug: str, asset_url: AssetUrl) -> Rendered:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    raw = md.convert(body.markdown)
    toc: list[dict] = []
    ids: set[str] = set()
    _flatten_toc(getattr(md, "toc_tokens", []), toc, ids)
    image_urls = {name: f"{asset_url(course_slug, name)}?v={digest[:12]}" for name, digest in body.images.items()}
    clean = sanitise(raw, image_urls)
    # Tables scroll sideways on a phone instead of widening the page.
    clean = clean.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    for index, video in enumerate(body.videos):
        clean = re.sub(rf"<p>\s*{re.escape(body.marker)}{index}\s*</p>", lambda _m, v=video: video_placeholder(v), clean, count=1)
    ids |= set(re.findall(r'<h[2-6] id="([^"]+)"', clean))
    return Rendered(clean.strip(), toc, ids)


def check_anchors(body: Body, rendered: Rendered, display: str) -> list[Problem]:
    """In-page links such as [see above](#dua-akun) must point at a heading."""
    problems = []
    for line, anchor in body.anchors:
        if anchor not in rendered.ids and html.unescape(anchor) not in rendered.ids:
            known = ", ".join(sorted(rendered.ids)) or "none"
            problems.append(Problem(display, line, f"link to #{anchor}: no heading has that id (headings: {known})"))
    for index, video in enumerate(body.videos):
        if f'data-video-id="{video.video_id}"' not in rendered.html:
            problems.append(Problem(display, video.line, "a video line must stand on its own line"))
    return problems


def localise_placeholders(body_html: str, translate: Callable[[str], str]) -> str:
    """Swap the placeholder texts stored in a lesson for the reader's language
    (a plain string replacement; nothing is parsed or rendered)."""
    if "data-video" not in body_html:
        return body_html
    for text in PLACEHOLDER_TEXTS:
        translated = translate(text)
        if translated != text:
            # Only inside the placeholder's own elements (class="video-…",
            # which the sanitiser never lets an author write).
            pattern = r'(class="video-[a-z-]+"[^<>]*>)' + re.escape(html.escape(text)) + "<"
            body_html = re.sub(pattern, lambda m, t=html.escape(translated): f"{m.group(1)}{t}<", body_html)
    return body_html
