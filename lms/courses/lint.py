"""Editorial checks on the curriculum: warnings, not errors.

`flask --app wsgi lms lint-courses [PATH]` reports, as `file:line: warning`:
modules whose facts are due for review (`verified_on` + `review_every` days
has passed), modules without a quiz, links to modules that do not exist,
and sentences longer than the brief's limit (plain Indonesian for phones).
Parse errors (missing sources, questions without explanations, broken
images and anchors) are already errors of `import-courses --check`.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from lms.courses.format import Curriculum, ModuleSource, Problem

MAX_SENTENCE_WORDS = 25
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(“])")
_LINK = re.compile(r"\]\((/kursus/[^)\s]+)\)")
_MARKUP = re.compile(r"[*_`>#]|\[([^\]]*)\]\([^)]*\)")


def lint(curriculum: Curriculum, today: date) -> list[Problem]:
    known = {(c.slug, m.slug) for c in curriculum.courses for m in c.modules}
    courses = {c.slug for c in curriculum.courses}
    warnings: list[Problem] = []
    for course in curriculum.courses:
        for module in course.modules:
            warnings += _review_due(module, today)
            if module.quiz is None:
                warnings.append(Problem(module.display, module.slug_line, "warning: module has no quiz"))
            warnings += _links(module, known, courses)
            warnings += _long_sentences(module)
    return sorted(warnings)


def _review_due(module: ModuleSource, today: date) -> list[Problem]:
    verified = module.metadata.get("verified_on")
    every = module.metadata.get("review_every") or 365
    if not verified:
        return []
    checked = date.fromisoformat(str(verified))
    due = checked + timedelta(days=int(every))
    if due < today:
        return [Problem(module.display, module.slug_line,
                        f"warning: facts verified on {checked} are due for review since {due} (review_every {every} days)")]
    return []


def _body_lines(module: ModuleSource):
    """(line number, text) of the lesson's prose: no front matter, fences, tables or callout markers."""
    lines = module.path.read_text(encoding="utf-8").splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0) + 1
    fenced = False
    for number, text in enumerate(lines[start:], start=start + 1):
        stripped = text.strip()
        if stripped.startswith("```"):
            fenced = not fenced
            continue
        if fenced or stripped.startswith("|") or stripped.startswith("!!!") or stripped.startswith("[[video"):
            yield number, ""
            continue
        yield number, stripped


def _links(module: ModuleSource, known: set, courses: set) -> list[Problem]:
    problems = []
    for number, text in _body_lines(module):
        for target in _LINK.findall(text):
            parts = target.split("#")[0].strip("/").split("/")
            if len(parts) == 2 and parts[1] not in courses:
                problems.append(Problem(module.display, number, f"warning: link to unknown course {target}"))
            elif len(parts) == 3 and (parts[1], parts[2]) not in known:
                problems.append(Problem(module.display, number, f"warning: link to unknown module {target}"))
    return problems


def _long_sentences(module: ModuleSource) -> list[Problem]:
    problems = []
    paragraph: list[tuple[int, str]] = []

    def flush():
        # Join the paragraph's lines, remembering where each line starts, so a
        # long sentence is reported on the line where it begins.
        starts, text = [], ""
        for number, line in paragraph:
            starts.append((len(text), number))
            text += _MARKUP.sub(r"\1", line) + " "
        position = 0
        for sentence in _SENTENCE_END.split(text):
            position = text.find(sentence, position)
            words = len(sentence.split())
            if words > MAX_SENTENCE_WORDS:
                line = max(n for offset, n in starts if offset <= position)
                problems.append(Problem(module.display, line,
                                        f"warning: sentence of {words} words (aim for under 20): {sentence.strip()[:60]}…"))
            position += len(sentence)
        paragraph.clear()

    for number, text in _body_lines(module):
        if not text or re.match(r"^([-*+]|\d+\.)\s", text):
            flush()
            if text:
                paragraph.append((number, re.sub(r"^([-*+]|\d+\.)\s+", "", text)))
                flush()
            continue
        paragraph.append((number, text))
    flush()
    return problems
