"""The per-process memo of what is derived from a module revision (lms.core.revisions)."""
from __future__ import annotations

from lms.core.revisions import RevisionMemo


def test_builds_once_per_revision_and_tells_content_apart():
    memo: RevisionMemo[str] = RevisionMemo()
    built = []

    def build(value):
        built.append(value)
        return value

    assert memo.get("hoaks", 1, "aaa", lambda: build("satu")) == "satu"
    assert memo.get("hoaks", 1, "aaa", lambda: build("lagi")) == "satu"  # not built again
    assert memo.get("hoaks", 1, "bbb", lambda: build("lain")) == "lain"  # same slug and number, other content
    assert memo.get("hoaks", 2, "aaa", lambda: build("dua")) == "dua"
    assert built == ["satu", "lain", "dua"]
    assert ("hoaks", 1, "bbb") in memo and ("hoaks", 3, "aaa") not in memo


def test_is_bounded():
    memo: RevisionMemo[int] = RevisionMemo(limit=3)
    for number in range(10):
        memo.get("m", number, "h", lambda n=number: n)
    assert sum(("m", n, "h") in memo for n in range(10)) <= 3
    assert memo.get("m", 9, "h", lambda: -1) == 9
