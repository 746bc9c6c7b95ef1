"""Video links trainees submit: YouTube and TikTok only, checked strictly.

`parse_video_link(text)` returns a `VideoLink` (provider, id, canonical URL)
or raises `LinkError` with a message for the trainee. The server never
fetches a submitted link: embeds are rebuilt from the id, and the canonical
URL is assembled from validated parts only (docs/authoring.md, SECURITY.md
section G).

Accepted (https only, exact hosts, no userinfo, no port):

- youtube.com, www.youtube.com, m.youtube.com: /watch?v=ID, /shorts/ID, /live/ID
- youtu.be/ID
- tiktok.com, www.tiktok.com: /@account/video/ID
- vm.tiktok.com/CODE and vt.tiktok.com/CODE (short links: no id to embed,
  so they are shown as a plain link to open in the TikTok app)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from flask_babel import lazy_gettext as _l

MAX_LENGTH = 500

YOUTUBE = "youtube"
TIKTOK = "tiktok"
TIKTOK_SHORT = "tiktok-short"
EMBEDDABLE = (YOUTUBE, TIKTOK)

YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})
YOUTU_BE = "youtu.be"
TIKTOK_HOSTS = frozenset({"tiktok.com", "www.tiktok.com"})
TIKTOK_SHORT_HOSTS = frozenset({"vm.tiktok.com", "vt.tiktok.com"})

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
TIKTOK_ID = re.compile(r"[0-9]{8,25}")
TIKTOK_ACCOUNT = re.compile(r"@[A-Za-z0-9._]{1,40}")
TIKTOK_CODE = re.compile(r"[A-Za-z0-9]{5,20}")
# Printable ASCII without space: anything else (control characters, CR/LF,
# tabs, non-ASCII look-alike letters) is refused before parsing.
_PRINTABLE = re.compile(r"[\x21-\x7e]+")


class LinkError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class VideoLink:
    provider: str  # youtube | tiktok | tiktok-short
    video_id: str  # YouTube id, TikTok numeric id, or the short link's code
    url: str  # canonical, rebuilt from the parts above

    @property
    def embeddable(self) -> bool:
        return self.provider in EMBEDDABLE


MSG_EMPTY = _l("Tempel tautan video YouTube atau TikTok Anda.")
MSG_TOO_LONG = _l("Tautan terlalu panjang (maksimal %(max)d karakter).", max=MAX_LENGTH)
MSG_CHARACTERS = _l("Tautan berisi spasi, baris baru atau huruf yang tidak biasa. Salin ulang tautannya dari tombol Bagikan.")
MSG_HTTPS = _l("Tautan harus diawali https:// (salin dari tombol Bagikan di YouTube atau TikTok).")
MSG_HOST = _l("Hanya tautan video YouTube (youtube.com, youtu.be) atau TikTok (tiktok.com) yang diterima.")
MSG_YOUTUBE = _l("Tautan YouTube ini bukan tautan video. Gunakan tautan seperti https://youtu.be/… atau https://www.youtube.com/shorts/….")
MSG_TIKTOK = _l("Tautan TikTok ini bukan tautan video. Gunakan tautan seperti https://www.tiktok.com/@akun/video/… atau https://vm.tiktok.com/….")


def parse_video_link(text: str | None) -> VideoLink:
    raw = (text or "").strip(" ")
    if not raw:
        raise LinkError(MSG_EMPTY)
    if len(raw) > MAX_LENGTH:
        raise LinkError(MSG_TOO_LONG)
    # Backslashes are refused before parsing: browsers read "\" as "/", so
    # https://evil.com\@youtube.com goes to evil.com while urlsplit sees youtube.com.
    if not _PRINTABLE.fullmatch(raw) or "\\" in raw:
        raise LinkError(MSG_CHARACTERS)
    if not raw[:8].lower() == "https://":
        raise LinkError(MSG_HTTPS)
    try:
        parts = urlsplit(raw)
    except ValueError:
        raise LinkError(MSG_HOST) from None
    netloc = parts.netloc
    # No userinfo (youtube.com@evil.com), no port, no IPv6 literal, no
    # percent-encoding: the host must be exactly one of ours.
    if parts.scheme != "https" or not netloc or any(c in netloc for c in "@:[]%"):
        raise LinkError(MSG_HOST)
    host = netloc.lower()
    segments = parts.path.split("/")[1:]  # "/shorts/ID" → ["shorts", "ID"]
    if segments and segments[-1] == "":
        segments = segments[:-1]  # one trailing slash is fine
    if host in YOUTUBE_HOSTS:
        return _youtube(segments, parts.query)
    if host == YOUTU_BE:
        if len(segments) == 1:
            return _youtube_id(segments[0])
        raise LinkError(MSG_YOUTUBE)
    if host in TIKTOK_HOSTS:
        if (len(segments) == 3 and TIKTOK_ACCOUNT.fullmatch(segments[0]) and segments[1] == "video"
                and TIKTOK_ID.fullmatch(segments[2])):
            return VideoLink(TIKTOK, segments[2], f"https://www.tiktok.com/{segments[0]}/video/{segments[2]}")
        raise LinkError(MSG_TIKTOK)
    if host in TIKTOK_SHORT_HOSTS:
        if len(segments) == 1 and TIKTOK_CODE.fullmatch(segments[0]):
            return VideoLink(TIKTOK_SHORT, segments[0], f"https://{host}/{segments[0]}/")
        raise LinkError(MSG_TIKTOK)
    raise LinkError(MSG_HOST)


def _youtube(segments: list[str], query: str) -> VideoLink:
    if segments == ["watch"]:
        values = {value for key, value in parse_qsl(query, keep_blank_values=True) if key == "v"}
        if len(values) == 1:
            return _youtube_id(values.pop())
        raise LinkError(MSG_YOUTUBE)
    if len(segments) == 2 and segments[0] in ("shorts", "live"):
        return _youtube_id(segments[1])
    raise LinkError(MSG_YOUTUBE)


def _youtube_id(candidate: str) -> VideoLink:
    if not YOUTUBE_ID.fullmatch(candidate):
        raise LinkError(MSG_YOUTUBE)
    return VideoLink(YOUTUBE, candidate, f"https://www.youtube.com/watch?v={candidate}")


def rebuild(provider: str, video_id: str, url: str) -> VideoLink | None:
    """A stored link, re-checked before it is shown (defence in depth)."""
    try:
        link = parse_video_link(url)
    except LinkError:
        return None
    if link.provider != provider or link.video_id != video_id:
        return None
    return link
