"""Moodle's Aiken format: single-choice questions in plain text.

    Pilar mana yang nilainya paling rendah?
    A. Cakap
    B) Aman
    C. Budaya
    ANSWER: B

As Moodle documents it: the question text, then options "A." or "A)"
followed by a space, in alphabetical order, then "ANSWER: <letter>".
Slightly more forgiving than Moodle: the question text may span several
lines, blank lines are ignored, and "answer: b" is read like "ANSWER: B".
Questions get the ids "q1", "q2"… and the `plain` text format.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from lms.quizzes.block import msg_min_options, question_label
from lms.quizzes.questions import SINGLE, ImportResult, Option, Question, unique_id

_OPTION = re.compile(r"^([A-Z])[.)][ \t]+(\S.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)
_LETTER = re.compile(r"^([A-Za-z])[.)]?$")


def msg_option_first(where):
    return _l("%(where)s: opsi muncul sebelum teks pertanyaan", where=where)


def msg_letter_order(where, expected):
    return _l("%(where)s: huruf opsi harus berurutan, seharusnya %(letter)s", where=where, letter=expected)


def msg_answer_letter(where, last):
    return _l("%(where)s: ANSWER harus berisi satu huruf opsi (A sampai %(last)s)", where=where, last=last)


def msg_no_answer(where):
    return _l("%(where)s: baris 'ANSWER: huruf' tidak ditemukan setelah opsi", where=where)


def msg_answer_alone(where):
    return _l("%(where)s: baris ANSWER tanpa pertanyaan", where=where)


def parse_aiken(text: str) -> ImportResult:
    """Read an Aiken file into single-choice questions; problems come back with their line."""
    result = ImportResult()
    used: set[str] = set()
    state = _Pending()
    number = 0

    def where():
        return question_label(None, number)

    for line_number, raw in enumerate(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"),
                                      start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        option = _OPTION.match(line)
        if answer:
            if not state.text:
                number += 1
                result.errors.append((line_number, msg_answer_alone(where())))
            else:
                state.finish(answer.group(1).strip(), line_number, number, used, result)
            state = _Pending()
        elif option:
            if not state.text:
                number += 1
                result.errors.append((line_number, msg_option_first(where())))
                state = _Pending(broken=True, text=["?"], line=line_number)
                continue
            expected = chr(ord("A") + len(state.options))
            if option.group(1) != expected and not state.broken:
                result.errors.append((line_number, msg_letter_order(where(), expected)))
                state.broken = True
            state.options.append(option.group(2).strip())
        else:
            if state.options:
                if not state.broken:
                    result.errors.append((state.line, msg_no_answer(where())))
                state = _Pending()
            if not state.text:
                number += 1
                state.line = line_number
            state.text.append(line)
    if state.text and not state.broken:
        result.errors.append((state.line, msg_no_answer(where())))
    return result


class _Pending:
    """The question being read."""

    def __init__(self, broken: bool = False, text: list[str] | None = None, line: int = 0):
        self.text: list[str] = text or []
        self.options: list[str] = []
        self.broken = broken
        self.line = line

    def finish(self, letter_text: str, line_number: int, number: int, used: set[str], result: ImportResult) -> None:
        where = question_label(None, number)
        if self.broken:
            return
        if len(self.options) < 2:
            result.errors.append((line_number, msg_min_options(where, 2)))
            return
        letter = _LETTER.match(letter_text)
        index = ord(letter.group(1).upper()) - ord("A") if letter else -1
        if not 0 <= index < len(self.options):
            result.errors.append((line_number, msg_answer_letter(where, chr(ord("A") + len(self.options) - 1))))
            return
        qid = unique_id(f"q{number}", used)
        options = tuple(Option(id=f"o{n}", text=text, correct=n - 1 == index)
                        for n, text in enumerate(self.options, start=1))
        result.questions.append(Question(id=qid, type=SINGLE, text="\n".join(self.text), text_format="plain",
                                         options=options))
        result.line_of[qid] = self.line
        result.category_of[qid] = ""
