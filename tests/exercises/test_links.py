"""Video links: only https YouTube and TikTok video links, stored canonically."""
from __future__ import annotations

import pytest

from lms.exercises.links import TIKTOK, TIKTOK_SHORT, YOUTUBE, LinkError, parse_video_link

ID = "dQw4w9WgXcQ"
TT = "7301234567890123456"

HOSTILE = [
    f"http://www.youtube.com/watch?v={ID}",  # not https
    f"https://youtube.com@evil.com/watch?v={ID}",  # userinfo
    f"https://user:pass@www.youtube.com/watch?v={ID}",  # userinfo with password
    f"https://evil.com\\@youtube.com/watch?v={ID}",  # backslash trick
    f"https://www.youtube.com\\.evil.com/watch?v={ID}",
    f"https://youtube.com.evil.com/watch?v={ID}",  # suffix domain
    f"https://evilyoutube.com/watch?v={ID}",  # look-alike
    f"https://www.youtube.com.evil.com/shorts/{ID}",
    f"https://xn--yutube-wqf.com/watch?v={ID}",  # punycode look-alike
    f"https://www.yоutube.com/watch?v={ID}",  # Cyrillic "о"
    f"https://142.250.4.136/watch?v={ID}",  # IPv4
    f"https://[2001:db8::1]/watch?v={ID}",  # IPv6
    f"https://0x8e.0xfa.0x04.0x88/watch?v={ID}",  # hex IP
    f"https://www.youtube.com:443/watch?v={ID}",  # explicit port, even the default
    f"https://youtu.be:8080/{ID}",
    f"https://www.youtube.com/watch?v={ID}\r\nSet-Cookie: a=1",  # CR/LF
    f"https://www.youtube.com/watch?v={ID}\n",
    f"https://www.you tube.com/watch?v={ID}",  # whitespace inside
    f"https://www.youtube.com/watch?v={ID}\t",
    f"https://www.youtube.com/watch?v={ID}\x00",
    "https://youtu.be/" + "a" * 500,  # over 500 characters
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)//https://youtu.be/" + ID,
    "data:text/html,<script>alert(1)</script>",
    f"//www.youtube.com/watch?v={ID}",  # scheme-relative
    f"www.youtube.com/watch?v={ID}",  # no scheme
    f"ftp://www.youtube.com/watch?v={ID}",
    f"https:///www.youtube.com/watch?v={ID}",  # empty host
    f"https://www.youtube.com./watch?v={ID}",  # trailing dot
    f"https://youtube.com%2F@evil.com/watch?v={ID}",  # encoded slash in the host
    f"https://music.youtube.com/watch?v={ID}",  # not one of the accepted hosts
    f"https://www.youtube-nocookie.com/embed/{ID}",
    "https://www.youtube.com/watch?v=short",  # not a video id
    f"https://www.youtube.com/watch?v={ID}&v=AAAAAAAAAAA",  # two different ids
    "https://www.youtube.com/@diskominfomalang",  # a channel, not a video
    "https://www.youtube.com/redirect?q=https://evil.com",
    f"https://youtu.be/{ID}/extra",
    "https://www.tiktok.com/@diskominfo",  # a profile
    "https://www.tiktok.com/@user/video/12ab34",
    f"https://tiktok.com.evil.com/@user/video/{TT}",
    "https://vm.tiktok.com.evil.com/ZMabc123/",
    "https://vm.tiktok.com/",
    f"https://m.tiktok.com/v/{TT}.html",
    "",
    "   ",
]

VALID = [
    (f"https://www.youtube.com/watch?v={ID}", YOUTUBE, ID),
    (f"https://youtube.com/watch?v={ID}", YOUTUBE, ID),
    (f"https://m.youtube.com/watch?v={ID}&feature=share", YOUTUBE, ID),
    (f"https://www.youtube.com/watch?v={ID}&t=42s&list=PL123&index=2", YOUTUBE, ID),
    (f"https://WWW.YouTube.com/watch?v={ID}", YOUTUBE, ID),
    (f"https://www.youtube.com/shorts/{ID}", YOUTUBE, ID),
    (f"https://youtube.com/shorts/{ID}?si=AbCdEf123", YOUTUBE, ID),
    (f"https://www.youtube.com/live/{ID}?feature=shared", YOUTUBE, ID),
    (f"https://youtu.be/{ID}", YOUTUBE, ID),
    (f"https://youtu.be/{ID}?si=Xy_12-ab", YOUTUBE, ID),
    (f"  https://youtu.be/{ID}  ", YOUTUBE, ID),  # spaces around a paste
    (f"https://www.youtube.com/watch?v={ID}#t=10", YOUTUBE, ID),
    (f"https://www.tiktok.com/@diskominfo.malang/video/{TT}", TIKTOK, TT),
    (f"https://tiktok.com/@dispenduk_kotamalang/video/{TT}?is_from_webapp=1&sender_device=pc", TIKTOK, TT),
    ("https://vm.tiktok.com/ZMabc123/", TIKTOK_SHORT, "ZMabc123"),
    ("https://vt.tiktok.com/ZSxyz789", TIKTOK_SHORT, "ZSxyz789"),
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_links_are_refused(url):
    with pytest.raises(LinkError) as caught:
        parse_video_link(url)
    assert caught.value.message is not None  # a message for the trainee (lazily translated)


@pytest.mark.parametrize(("url", "provider", "video_id"), VALID)
def test_valid_links_are_accepted(url, provider, video_id):
    link = parse_video_link(url)
    assert (link.provider, link.video_id) == (provider, video_id)


@pytest.mark.parametrize(("url", "canonical"), [
    (f"https://m.youtube.com/watch?feature=share&v={ID}&t=1", f"https://www.youtube.com/watch?v={ID}"),
    (f"https://youtu.be/{ID}?si=Xy_12-ab", f"https://www.youtube.com/watch?v={ID}"),
    (f"https://youtube.com/shorts/{ID}?si=abc", f"https://www.youtube.com/watch?v={ID}"),
    (f"https://www.youtube.com/live/{ID}", f"https://www.youtube.com/watch?v={ID}"),
    (f"https://www.youtube.com/watch?v={ID}#comments", f"https://www.youtube.com/watch?v={ID}"),
    (f"https://tiktok.com/@akun.ku/video/{TT}?is_from_webapp=1&lang=id", f"https://www.tiktok.com/@akun.ku/video/{TT}"),
    ("https://VM.tiktok.com/ZMabc123", "https://vm.tiktok.com/ZMabc123/"),
])
def test_canonical_form(url, canonical):
    link = parse_video_link(url)
    assert link.url == canonical
    assert parse_video_link(link.url) == link  # the canonical form parses to itself


def test_only_full_links_can_be_embedded():
    assert parse_video_link(f"https://youtu.be/{ID}").embeddable
    assert parse_video_link(f"https://www.tiktok.com/@a/video/{TT}").embeddable
    assert not parse_video_link("https://vm.tiktok.com/ZMabc123/").embeddable


def test_messages_are_indonesian(app):
    with app.test_request_context():
        with pytest.raises(LinkError) as caught:
            parse_video_link(f"http://youtu.be/{ID}")
        assert "https://" in str(caught.value.message)
        with pytest.raises(LinkError) as caught:
            parse_video_link(f"https://evilyoutube.com/watch?v={ID}")
        assert "Hanya tautan video YouTube" in str(caught.value.message)
