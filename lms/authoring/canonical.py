"""The files the browser writes: one canonical text per module and per course.

A module published in the browser is stored as the exact text of the module
file `export-courses` writes for it (front matter, Markdown body, then the
```quiz and ```exercise blocks as YAML), and its content hash is the sha256 of
that text's UTF-8 bytes. So exporting and importing again finds every module
unchanged. Nothing here touches the database or Flask.
"""
from __future__ import annotations

import hashlib
import math
import re
from typing import Any

import yaml

from lms.courses import format as fmt

FRONT_MATTER_KEYS = ("slug", "title", "order", "duration_minutes", "objectives", "tracks", "time_sensitive",
                     "verified_on", "review_every", "sources")
_DATE_RE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
# The fence rules of lms.courses.format.scan_body.
_FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_newlines(text: str) -> str:
    """Browsers send a textarea's lines with CRLF; files use LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


# --- YAML --------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, several lines as `|`."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML that reads back as exactly `data` (checked; quoted JSON-like style otherwise)."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=10**9)
    loaded, _lines, errors = fmt.load_yaml(text, 1)
    if errors or loaded != data:  # pragma: no cover - PyYAML's styles round-trip; this is the safety net
        text = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True,
                         default_style='"', width=10**9)
    return text


def scalar(value: Any) -> str:
    """One YAML scalar on one line (quoted whenever YAML would read it as something else)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    if value is None:
        return '""'
    text = " ".join(str(value).split("\n")).strip()
    dumped = yaml.dump(text, Dumper=_Dumper, allow_unicode=True, width=10**9)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _date(value: Any) -> str:
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        return f'"{value.strip()}"'
    return scalar(value)


def _flow_list(values: list) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


# --- modules -----------------------------------------------------------------


def front_matter(slug: str, title: str, order: Any, meta: dict) -> str:
    """The module's front matter in the documented key order (without the --- lines)."""
    lines = [f"slug: {scalar(slug)}", f"title: {scalar(title)}", f"order: {scalar(order)}",
             f"duration_minutes: {scalar(meta.get('duration_minutes'))}"]
    objectives = [o for o in meta.get("objectives") or [] if str(o).strip()]
    if objectives:
        lines.append("objectives:")
        lines += [f"  - {scalar(o)}" for o in objectives]
    else:
        lines.append("objectives: []")
    lines.append(f"tracks: {_flow_list(list(meta.get('tracks') or []))}")
    lines.append(f"time_sensitive: {scalar(bool(meta.get('time_sensitive')))}")
    lines.append(f"verified_on: {_date(meta.get('verified_on'))}")
    lines.append(f"review_every: {scalar(meta.get('review_every', fmt.DEFAULT_REVIEW_EVERY))}")
    sources = list(meta.get("sources") or [])
    if sources:
        lines.append("sources:")
        for source in sources:
            lines.append(f"  - title: {scalar(source.get('title'))}")
            lines.append(f"    url: {scalar(source.get('url'))}")
            lines.append(f"    date: {_date(source.get('date'))}")
    else:
        lines.append("sources: []")
    return "\n".join(lines) + "\n"


def _fence_for(text: str) -> str:
    longest = max((len(line.strip()) for line in text.split("\n") if line.strip() and set(line.strip()) == {"`"}),
                  default=0)
    return "`" * max(3, longest + 1)


def block_text(kind: str, data: dict) -> str:
    yaml_text = dump_yaml(data)
    fence = _fence_for(yaml_text)
    return f"{fence}{kind}\n{yaml_text}{fence}\n"


def module_text(slug: str, title: str, order: Any, meta: dict, body: str,
                quiz: dict | None = None, exercise: dict | None = None, original: str | None = None) -> str:
    """The canonical module file: front matter, body, then the blocks.

    With `original` (the text the edit started from), the parts that did not
    change keep their original wording (comments, YAML style), so the
    history's diff shows only what the trainer changed; unchanged altogether,
    the original text comes back as it was."""
    front = front_matter(slug, title, order, meta)
    body = normalise_newlines(body).strip("\n")
    blocks = {kind: block_text(kind, data) for kind, data in (("quiz", quiz), ("exercise", exercise)) if data is not None}
    if original:
        o_front, o_body, o_blocks = split_module_text(original)
        same_front = _same_front(o_front, front)
        if same_front:
            front = o_front + "\n"
        same_blocks = set(o_blocks) == set(blocks)
        for kind, data in (("quiz", quiz), ("exercise", exercise)):
            if data is not None and kind in o_blocks and _same_block(kind, o_blocks[kind], data):
                fence = _fence_for(o_blocks[kind])
                blocks[kind] = f"{fence}{kind}\n{o_blocks[kind]}\n{fence}\n"
            elif data is not None:
                same_blocks = False
        if same_front and same_blocks and o_body == body:
            return original
    parts = [body + "\n"] if body.strip() else []
    parts += [blocks[kind] for kind in ("quiz", "exercise") if kind in blocks]
    return "---\n" + front + "---\n" + "\n".join(parts)


def _load(text: str) -> Any:
    data, _lines, errors = fmt.load_yaml(text, 1)
    return None if errors else data


QUIZ_DEFAULTS = {"pass_mark": 70,  # nosec B105 - a quiz's pass mark, not a password
                 "attempts": 0, "shuffle_questions": False, "shuffle_options": False, "show_answers": "after_pass"}


def _same_block(kind: str, text: str, data: Any) -> bool:
    """Whether a block's original YAML means what the form holds (defaults
    written or not, YAML style, a trailing newline, an unquoted label split
    at its comma)."""
    loaded = _load(text)
    return loaded is not None and _normal(kind, loaded) == _normal(kind, data)


def _normal(kind: str, value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value == int(value):
        return int(value)
    if isinstance(value, list):
        return [_normal(kind, item, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    if "label" in value and "points" in value:  # a rubric level: {label: Ada, sebagian salah, points: 1}
        pieces, collecting = [str(value.get("label", "")).strip()], False
        for key, item in value.items():
            if key == "label":
                collecting = True
            elif key == "points":
                collecting = False
            elif collecting and item is None:
                pieces.append(str(key).strip())
        return {"label": ", ".join(p for p in pieces if p), "points": _normal(kind, value["points"])}
    result = {}
    for key, item in value.items():
        if item is None or (item is False and key == "correct"):
            continue
        if kind == "quiz" and depth == 0 and QUIZ_DEFAULTS.get(key, object()) == item:
            continue
        if key == "scoring" and item == "all_or_nothing":
            continue
        if kind == "exercise" and depth == 0 and key == "tracks" and not item:
            continue
        result[key] = _normal(kind, item, depth + 1)
    return result


def _front_values(data: Any) -> dict | None:
    if not isinstance(data, dict):
        return None
    values = dict(data)
    values.setdefault("time_sensitive", False)
    values.setdefault("review_every", fmt.DEFAULT_REVIEW_EVERY)
    return values


def _same_front(original: str, generated: str) -> bool:
    old, new = _front_values(_load(original)), _front_values(_load(generated))
    return old is not None and old == new


def split_module_text(text: str) -> tuple[str, str, dict[str, str]]:
    """(front matter YAML, body without the blocks, {kind: block YAML}) of a module file's text,
    cut with the same rules the importer uses."""
    text = normalise_newlines(text.removeprefix("\ufeff"))
    lines = text.split("\n")
    front, body_lines = "", lines
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                front, body_lines = "\n".join(lines[1:index]), lines[index + 1:]
                break
    out: list[str] = []
    blocks: dict[str, str] = {}
    fence: tuple[str, int] | None = None
    index = 0
    while index < len(body_lines):
        line = body_lines[index]
        if fence is not None:
            out.append(line)
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1] and len(line) - len(line.lstrip()) <= 3:
                fence = None
            index += 1
            continue
        opening = _FENCE_RE.match(line)
        if opening:
            char, length, info = opening["fence"][0], len(opening["fence"]), opening["info"].lower()
            if info in fmt.BLOCK_KINDS and not opening["indent"]:
                end = index + 1
                while end < len(body_lines):
                    closing = body_lines[end].strip()
                    if closing and set(closing) == {char} and len(closing) >= length:
                        break
                    end += 1
                blocks.setdefault(info, "\n".join(body_lines[index + 1:end]))
                index = end + 1
                continue
            fence = (char, length)
        out.append(line)
        index += 1
    return front, "\n".join(out).strip("\n"), blocks


def body_blocks_in(body: str) -> list[tuple[int, str]]:
    """(line, kind) of every ```quiz / ```exercise fence typed into a body (they belong in their own forms)."""
    found = []
    fence: tuple[str, int] | None = None
    for number, line in enumerate(normalise_newlines(body).split("\n"), start=1):
        if fence is not None:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1]:
                fence = None
            continue
        opening = _FENCE_RE.match(line)
        if opening:
            info = opening["info"].lower()
            if info in fmt.BLOCK_KINDS and not opening["indent"]:
                found.append((number, info))
            else:
                fence = (opening["fence"][0], len(opening["fence"]))
    return found


def unclosed_fence(body: str) -> int | None:
    """The line of an ordinary code fence the body never closes (it would swallow the blocks after it)."""
    fence: tuple[str, int, int] | None = None
    for number, line in enumerate(normalise_newlines(body).split("\n"), start=1):
        if fence is not None:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1] and len(line) - len(line.lstrip()) <= 3:
                fence = None
            continue
        opening = _FENCE_RE.match(line)
        if opening and not (opening["info"].lower() in fmt.BLOCK_KINDS and not opening["indent"]):
            fence = (opening["fence"][0], len(opening["fence"]), number)
    return fence[2] if fence else None


# --- quizzes stored by import-questions ---------------------------------------


def quiz_block_data(stored: dict | None) -> tuple[dict | None, bool]:
    """The ```quiz block data of a revision's stored quiz, and whether anything was lost.

    Revisions made by import-questions store Sinau's quiz JSON
    ({"settings": …, "questions": …}); it is written back as a block. GIFT
    features a block cannot hold (HTML text formats, several numeric
    answers, partial credit on a single-choice option) are simplified, and
    the second value says so."""
    if not stored:
        return None, False
    if not isinstance(stored.get("settings"), dict):
        return dict(stored), False
    lossy = False
    settings = stored["settings"]
    data: dict[str, Any] = {}
    for key in ("pass_mark", "attempts", "shuffle_questions", "shuffle_options", "draw", "show_answers",
                "time_limit_minutes"):
        if settings.get(key) is not None:
            value = settings[key]
            if isinstance(value, float) and value == int(value):
                value = int(value)
            data[key] = value
    questions = []
    for question in stored.get("questions") or []:
        qtype = question.get("type")
        item: dict[str, Any] = {"id": question.get("id"), "type": qtype, "text": question.get("text", "")}
        if question.get("text_format", "markdown") not in ("markdown", "plain"):
            lossy = True
        if qtype in ("single", "multiple"):
            weighted = qtype == "multiple" and question.get("scoring") == "weighted"
            if qtype == "multiple":
                item["scoring"] = question.get("scoring") or "all_or_nothing"
            options = []
            for option in question.get("options") or []:
                entry: dict[str, Any] = {"text": option.get("text", "")}
                if weighted:
                    if option.get("weight"):
                        entry["weight"] = _number(option["weight"])
                else:
                    if option.get("correct"):
                        entry["correct"] = True
                    elif option.get("weight"):
                        lossy = True
                if option.get("feedback"):
                    entry["feedback"] = option["feedback"]
                options.append(entry)
            item["options"] = options
        elif qtype == "truefalse":
            item["answer"] = bool(question.get("answer"))
            for key in ("feedback_true", "feedback_false"):
                if question.get(key):
                    item[key] = question[key]
        elif qtype == "short":
            answers = []
            for answer in question.get("answers") or []:
                weight = _number(answer.get("weight", 100))
                if weight == 100 and not answer.get("feedback"):
                    answers.append(answer.get("text", ""))
                else:
                    entry = {"text": answer.get("text", ""), "weight": weight}
                    if answer.get("feedback"):
                        entry["feedback"] = answer["feedback"]
                    answers.append(entry)
            item["answers"] = answers
        elif qtype == "numeric":
            answers = [a for a in question.get("numeric_answers") or [] if _number(a.get("weight", 100)) >= 100]
            if len(question.get("numeric_answers") or []) != 1:
                lossy = True
            first = answers[0] if answers else {}
            if first.get("min") is not None and first.get("max") is not None:
                item["min"], item["max"] = _number(first["min"]), _number(first["max"])
            elif first.get("value") is not None:
                item["answer"] = _number(first["value"])
                if first.get("tolerance"):
                    item["tolerance"] = _number(first["tolerance"])
        elif qtype == "matching":
            item["pairs"] = [{"left": p.get("left", ""), "right": p.get("right", "")} for p in question.get("pairs") or []]
        item["explanation"] = question.get("explanation") or ""
        questions.append(item)
    data["questions"] = questions
    return data, lossy


def _number(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return int(value)
    return value


# --- courses -----------------------------------------------------------------


def course_text(title: str, summary: str, order: Any, tracks: list, estimated_hours: Any,
                cover: str | None, required: dict, intro: str) -> str:
    """The canonical course.md."""
    lines = [f"title: {scalar(title)}", f"summary: {scalar(summary)}", f"order: {scalar(order)}",
             f"tracks: {_flow_list(list(tracks or []))}", f"estimated_hours: {scalar(estimated_hours)}"]
    if cover:
        lines.append(f"cover: {scalar(cover)}")
    if required:
        lines.append("required:")
        for track, slugs in required.items():
            lines.append(f"  {scalar(track)}: {_flow_list(list(slugs or []))}")
    intro = normalise_newlines(intro).strip("\n")
    return "---\n" + "\n".join(lines) + "\n---\n" + (intro + "\n" if intro.strip() else "")


def split_course_text(text: str) -> str:
    """The introduction (body) of a course.md."""
    _front, body, _blocks = split_module_text(text)
    return body
