"""A readable line diff of two module texts (difflib), for the templates to
show escaped: hunks of changed lines with a little context and the line
numbers on both sides."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

CONTEXT = 3


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same" | "add" | "del" | "gap"
    old: int | None  # line number in the old text
    new: int | None  # line number in the new text
    text: str
    # The line cut into (text, changed) pieces: the words that differ from the
    # paired line on the other side are marked (a one-letter fix is easy to see).
    parts: tuple[tuple[str, bool], ...] = field(default=())

    @property
    def pieces(self) -> tuple[tuple[str, bool], ...]:
        return self.parts or ((self.text, False),)


@dataclass(frozen=True)
class Diff:
    lines: tuple[DiffLine, ...]
    added: int
    removed: int

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


def diff_texts(old: str, new: str, context: int = CONTEXT) -> Diff:
    a = (old or "").replace("\r\n", "\n").split("\n")
    b = (new or "").replace("\r\n", "\n").split("\n")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    lines: list[DiffLine] = []
    added = removed = 0
    groups = list(matcher.get_grouped_opcodes(context))
    for number, group in enumerate(groups):
        if number or group[0][1] > 0 or group[0][3] > 0:
            lines.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", i + 1, j1 + (i - i1) + 1, a[i]) for i in range(i1, i2)]
                continue
            paired = tag == "replace" and i2 - i1 == j2 - j1
            words = [_word_parts(a[i1 + k], b[j1 + k]) for k in range(i2 - i1)] if paired else []
            if tag in ("replace", "delete"):
                lines += [DiffLine("del", i + 1, None, a[i], words[i - i1][0] if paired else ())
                          for i in range(i1, i2)]
                removed += i2 - i1
            if tag in ("replace", "insert"):
                lines += [DiffLine("add", None, j + 1, b[j], words[j - j1][1] if paired else ())
                          for j in range(j1, j2)]
                added += j2 - j1
    if groups:
        _tag, _i1, i2, _j1, j2 = groups[-1][-1]
        if i2 < len(a) or j2 < len(b):
            lines.append(DiffLine("gap", None, None, ""))
    return Diff(tuple(lines), added, removed)


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _word_parts(old: str, new: str) -> tuple[tuple, tuple]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            left.append(("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(("".join(b[j1:j2]), tag != "equal"))
    return tuple(left), tuple(right)
