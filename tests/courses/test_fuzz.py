"""SECURITY.md E: the renderer fuzzed with hypothesis. Whatever an author (or a
compromised trainer account) writes - pieces of known attacks cut and joined
with Markdown syntax, entities, control characters and any Unicode - the
lesson HTML keeps only the allow-list (`assert_safe` of test_rendering)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.courses import format as fmt
from lms.courses import rendering

from .test_rendering import XSS_CORPUS, _Collector, assert_safe

SYNTAX = ["\n\n", "\n", "[", "](", ")", "{: ", " }", "<", ">", "\"", "'", "=", "&#", ";", "&colon;", "javascript:",
          "!!! note \"", "    ", "| a | b |\n|---|---|\n", "![x](", "<a href=", " on", "error=", "<svg", "<!--", "-->",
          "`", "```\n", "*", "_", "#", "\t", "\x00", "\u200b", "\ufeff"]
pieces = st.one_of(st.sampled_from(XSS_CORPUS), st.sampled_from(SYNTAX),
                   st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12))
documents = st.lists(pieces, min_size=1, max_size=25).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_no_generated_document_escapes_the_allow_list(text):
    body = fmt.Body(markdown=text, marker="m", images={"gambar.png": "0" * 64})
    assert_safe(rendering.render(body, "k", lambda course, name: f"/kursus/{course}/berkas/{name}").html)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(documents)
def test_sanitise_is_idempotent(text):
    """Cleaning clean HTML keeps every element and attribute (nh3 may reorder
    attributes): a second pass finds nothing left to remove."""
    once = rendering.sanitise(text)
    assert _elements(rendering.sanitise(once)) == _elements(once)


def _elements(body_html: str) -> list[tuple[str, list]]:
    collector = _Collector()
    collector.feed(body_html)
    return [(tag, sorted(attrs)) for tag, attrs in collector.tags]
