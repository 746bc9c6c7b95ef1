"""Moodle's GIFT format: `parse_gift(text)` and `export_gift(questions)`.

Follows Moodle's importer (question/format/gift/format.php) and its
documentation (docs.moodle.org, "GIFT format"):

- questions are separated by blank lines; `//` starts a comment line;
- `::title::` names a question (its id here is the title slugified, else
  "q<n>" for the n-th question of the file); `$CATEGORY: path` sets the
  category of the questions that follow;
- `[markdown]`, `[html]`, `[plain]`, `[moodle]` before a text set its
  format (default `moodle`); answers and feedback follow the question text;
- `\\~ \\= \\# \\{ \\} \\:` escape the special characters, `\\\\` is a
  backslash and `\\n` a new line;
- `{=right ~wrong}` is a single choice; `{~%50%a ~%50%b ~%-100%c}` (no `=`)
  is a weighted multiple choice; `{T}`/`{TRUE}`/`{F}`/`{FALSE}` with
  `#feedback for a wrong answer#feedback for a right answer`; `{=a =b}`
  (only `=`) a short answer; `{#3:0.5}`, `{#1..5}`, `{# =2000 =%50%2001:1}`
  numeric; `{=a -> b =c -> d =e -> f}` matching (three pairs at least, as
  Moodle documents); `#feedback` after any answer, `####` general feedback
  (our `explanation`); `%50%` weights, negative and decimal too;
- answers in the middle of the text make a "missing word" question: the
  braces become "_____" in the text.

Essays (`{}`) and descriptions (no braces) are not supported: they are
reported in `skipped` with their line, never dropped silently.

Sinau extension: a comment line `// sinau: scoring=all_or_nothing` inside a
question's block marks a multiple choice as all-or-nothing (GIFT has no such
notion; Moodle ignores the comment and sees the weights `export_gift`
writes: the correct options share 100%, each wrong one costs 100%).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from lms.quizzes.block import (
    WEIGHT_SLACK,
    answer_label,
    msg_duplicate_text,
    msg_empty_answer,
    msg_full_answer,
    msg_min_options,
    msg_min_pairs,
    msg_some_correct,
    msg_weight_sum,
    option_label,
    pair_label,
    question_label,
)
from lms.quizzes.questions import (
    ALL_OR_NOTHING,
    BLANK,
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TEXT_FORMATS,
    TRUEFALSE,
    WEIGHTED,
    ImportResult,
    NumericAnswer,
    Option,
    Pair,
    Question,
    ShortAnswer,
    slugify,
    unique_id,
)

MIN_MATCHING_PAIRS = 3  # "There must be at least three matching pairs." (Moodle docs)
TRUE_WORDS = ("T", "TRUE")
FALSE_WORDS = ("F", "FALSE")

_PLACEHOLDERS = {"\\": "\ue000", ":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004",
                 "}": "\ue005", "~": "\ue006", "n": "\ue007"}
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_RESTORE = str.maketrans({mark: ("\n" if char == "n" else char) for char, mark in _PLACEHOLDERS.items()})
_FORMAT = re.compile(r"^\[(" + "|".join(TEXT_FORMATS) + r")\]")
_WEIGHT = re.compile(r"^%(-?(?:\d+(?:\.\d*)?|\.\d+))%")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_DIRECTIVE = re.compile(r"^//\s*sinau:\s*scoring\s*=\s*(" + "|".join((ALL_OR_NOTHING, WEIGHTED)) + r")\s*$")


# ---------------------------------------------------------------- messages


def msg_braces(where):
    return _l("%(where)s: kurung kurawal { dan } tidak berpasangan (tulis \\{ atau \\} untuk kurung biasa)",
              where=where)


def msg_two_blocks(where):
    return _l("%(where)s: hanya boleh satu blok jawaban { } per pertanyaan", where=where)


def msg_title_open(where):
    return _l("%(where)s: judul ::…:: tidak ditutup", where=where)


def msg_empty_text(where):
    return _l("%(where)s: teks pertanyaan kosong", where=where)


def msg_choice_prefix(where):
    return _l("%(where)s: setiap jawaban pilihan harus diawali ~ atau =", where=where)


def msg_weight_range(where, weight, low, high):
    return _l("%(where)s: bobot %(weight)s di luar rentang %(min)s sampai %(max)s",
              where=where, weight=weight, min=low, max=high)


def msg_pair_format(where):
    return _l("%(where)s: pasangan harus ditulis =kiri -> kanan", where=where)


def msg_pair_empty(where):
    return _l("%(where)s: kedua sisi pasangan harus diisi (pengecoh tanpa pasangan belum didukung)", where=where)


def msg_not_number(where, text):
    return _l("%(where)s: '%(text)s' bukan angka (pakai titik untuk desimal, mis. 2.5)", where=where, text=text)


def msg_no_numbers(where):
    return _l("%(where)s: tidak ada jawaban angka", where=where)


def msg_range_order(where, text):
    return _l("%(where)s: rentang '%(text)s' terbalik, tulis yang kecil dulu", where=where, text=text)


def msg_lowercase_truefalse(where, text):
    return _l("%(where)s: {%(text)s} dibaca sebagai jawaban singkat; untuk benar/salah tulis {T}, {TRUE}, "
              "{F} atau {FALSE} dengan huruf besar", where=where, text=text)


def msg_weight_after_equals(where):
    return _l("%(where)s: bobot setelah '=' diabaikan; '=' selalu berarti jawaban benar penuh", where=where)


def msg_skip_essay(where):
    return _l("%(where)s: soal esai ({}) belum didukung, dilewati", where=where)


def msg_skip_description(where):
    return _l("%(where)s: deskripsi tanpa jawaban belum didukung, dilewati", where=where)


def msg_arrow(where, text):
    return _l("%(where)s: teks '%(text)s' memuat '->' yang tidak bisa ditulis dalam GIFT", where=where, text=text)


def msg_wildcard_last(where):
    return _l("%(where)s: jawaban \"angka lain\" harus satu dan paling akhir", where=where)


# ------------------------------------------------------------------ helpers


def _protect(text: str) -> str:
    """Escaped characters become private-use placeholders, so they are plain text to the parser."""
    return _ESCAPE.sub(lambda m: _PLACEHOLDERS[m.group(1)], text)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _split_format(text: str) -> tuple[str | None, str]:
    match = _FORMAT.match(text)
    if match:
        return match.group(1), text[match.end():]
    return None, text


def _content(text: str) -> str:
    """A protected piece of text as stored: trimmed, without a format marker, unescaped."""
    _fmt, text = _split_format(text.strip())
    return _restore(text).strip()


def _feedback_split(body: str) -> tuple[str, str]:
    text, _sep, feedback = body.partition("#")
    return _content(text), _content(feedback)


def _is_full(weight: float) -> bool:
    return abs(weight - 100.0) < 1e-9


# ------------------------------------------------------------------- import


def parse_gift(text: str) -> ImportResult:
    """Read a GIFT file; see the module docstring for what is understood."""
    parser = _Parser()
    parser.run(text)
    return parser.result


class _Parser:
    def __init__(self):
        self.result = ImportResult()
        self.category = ""
        self.number = 0
        self.used: set[str] = set()

    def run(self, text: str) -> None:
        lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        block: list[tuple[int, str]] = []
        for number, line in enumerate(lines, start=1):
            if line.strip():
                block.append((number, line))
            elif block:
                self.block(block)
                block = []
        if block:
            self.block(block)

    def block(self, lines: list[tuple[int, str]]) -> None:
        content: list[tuple[int, str]] = []
        scoring = None
        for number, line in lines:
            stripped = line.strip()
            if stripped.startswith("//"):
                directive = _DIRECTIVE.match(stripped)
                if directive:
                    scoring = directive.group(1)
                continue
            content.append((number, _protect(line)))
        if content and content[0][1].strip().startswith("$CATEGORY:"):
            self.category = _restore(content[0][1].strip()[len("$CATEGORY:"):]).strip()
            self.result.categories.append(self.category)
            content = content[1:]
        if content:
            self.question(content, scoring)

    def question(self, content: list[tuple[int, str]], scoring: str | None) -> None:
        self.number += 1
        text = "\n".join(line for _number, line in content)
        starts, offset = [], 0
        for _number, line in content:
            starts.append(offset)
            offset += len(line) + 1
        numbers = [number for number, _line in content]

        def line_at(position: int) -> int:
            return numbers[max(0, bisect.bisect_right(starts, position) - 1)]

        first = numbers[0]
        errors_before = len(self.result.errors)
        pos = len(text) - len(text.lstrip())
        title = None
        if text.startswith("::", pos):
            end = text.find("::", pos + 2)
            if end == -1:
                self.error(first, msg_title_open(question_label(None, self.number)))
                return
            title = _restore(text[pos + 2:end]).strip()
            pos = end + 2
        where = question_label(title, self.number)

        opening, closing = text.find("{", pos), text.find("}", pos)
        if opening == -1 and closing == -1:
            self.result.skipped.append((first, msg_skip_description(where)))
            return
        if opening == -1 or closing == -1 or closing < opening:
            stray = closing if closing != -1 and (opening == -1 or closing < opening) else opening
            self.error(line_at(stray), msg_braces(where))
            return
        nested = text.find("{", opening + 1)
        if nested != -1 and nested < closing:
            self.error(line_at(nested), msg_braces(where))
            return
        again = text.find("{", closing + 1)
        if again != -1:
            self.error(line_at(again), msg_two_blocks(where))
            return
        stray = text.find("}", closing + 1)
        if stray != -1:
            self.error(line_at(stray), msg_braces(where))
            return

        after = text[closing + 1:]
        question_text = text[pos:opening] + (BLANK + after if after.strip() else "")
        text_format, question_text = _split_format(question_text.strip())
        question_text = _restore(question_text).strip()
        answer = text[opening + 1:closing]
        explanation = ""
        general = answer.rfind("####")
        if general != -1:
            explanation = _content(answer[general + 4:])
            answer = answer[:general]
        base = opening + 1 + len(answer) - len(answer.lstrip())
        answer = answer.strip()

        if not answer:
            self.result.skipped.append((first, msg_skip_essay(where)))
            return
        if not question_text:
            self.error(first, msg_empty_text(where))

        def at(local: int) -> int:
            """The line of a position in `answer`."""
            return line_at(base + local)

        if answer.startswith("#"):
            fields = self.numeric(answer, at, where)
        elif "~" in answer:
            fields = self.choice(answer, at, where, scoring)
        elif "=" in answer and "->" in answer:
            fields = self.matching(answer, at, where)
        else:
            word = answer.split("#", 1)[0].strip()
            if word in TRUE_WORDS + FALSE_WORDS:
                fields = self.truefalse(answer)
            else:
                if word.upper() in TRUE_WORDS + FALSE_WORDS:
                    self.result.warnings.append((first, msg_lowercase_truefalse(where, word)))
                fields = self.short(answer, at, where)
        if len(self.result.errors) > errors_before or fields is None:
            return
        qid = unique_id(slugify(title or "") or f"q{self.number}", self.used)
        question = Question(id=qid, text=question_text, explanation=explanation,
                            text_format=text_format or "moodle", **fields)
        self.result.questions.append(question)
        self.result.line_of[qid] = first
        self.result.category_of[qid] = self.category

    def error(self, line: int, message) -> None:
        self.result.errors.append((line, message))

    @staticmethod
    def segments(answer: str, separators: str) -> list[tuple[str, str, int]]:
        """Split at each separator: (separator, text after it, offset); leading blank text dropped."""
        found: list[tuple[str, str, int]] = []
        prefix, start = "", 0
        for index, char in enumerate(answer):
            if char in separators:
                found.append((prefix, answer[start:index], start))
                prefix, start = char, index + 1
        found.append((prefix, answer[start:], start))
        if not found[0][0] and not found[0][1].strip():
            found.pop(0)
        return found

    # -- question types; each returns Question fields, or None after reporting errors

    def choice(self, answer: str, at, where, scoring: str | None) -> dict | None:
        parts = self.segments(answer, "~=")
        single = any(prefix == "=" for prefix, _body, _offset in parts)
        read: list[tuple[str, float, str, bool]] = []
        ok = True
        for number, (prefix, body, offset) in enumerate(parts, start=1):
            owhere, line = option_label(where, number), at(offset)
            body = body.strip()
            if not prefix:
                self.error(line, msg_choice_prefix(owhere))
                ok = False
                continue
            if prefix == "=":
                weight, full = 100.0, True
                if _WEIGHT.match(body):
                    self.result.warnings.append((line, msg_weight_after_equals(owhere)))
            else:
                match = _WEIGHT.match(body)
                weight = float(match.group(1)) if match else 0.0
                body = body[match.end():] if match else body
                full = single and _is_full(weight)
                if not -100 <= weight <= 100:
                    self.error(line, msg_weight_range(owhere, match.group(1), -100, 100))
                    ok = False
            text, feedback = _feedback_split(body)
            if not text:
                self.error(line, msg_empty_answer(owhere))
                ok = False
            read.append((text, weight, feedback, full))
        if len(parts) < 2:
            self.error(at(0), msg_min_options(where, 2))
            ok = False
        if not ok:
            return None
        options = []
        if single:
            for number, (text, weight, feedback, full) in enumerate(read, start=1):
                options.append(Option(id=f"o{number}", text=text, correct=full,
                                      weight=None if full or weight == 0 else weight, feedback=feedback))
            return {"type": SINGLE, "options": tuple(options)}
        scoring = scoring or WEIGHTED
        for number, (text, weight, feedback, _full) in enumerate(read, start=1):
            options.append(Option(id=f"o{number}", text=text, correct=weight > 0,
                                  weight=weight if scoring == WEIGHTED else None, feedback=feedback))
        if scoring == WEIGHTED:
            total = sum(w for _t, w, _f, _u in read if w > 0)
            if abs(total - 100) > WEIGHT_SLACK:
                self.error(at(0), msg_weight_sum(where, total))
                return None
        elif not any(o.correct for o in options):
            self.error(at(0), msg_some_correct(where))
            return None
        return {"type": MULTIPLE, "options": tuple(options), "scoring": scoring}

    def matching(self, answer: str, at, where) -> dict | None:
        pairs: list[Pair] = []
        seen: set[str] = set()
        ok = True
        for number, (_prefix, body, offset) in enumerate(self.segments(answer, "="), start=1):
            pwhere, line = pair_label(where, number), at(offset)
            if "->" not in body:
                self.error(line, msg_pair_format(pwhere))
                ok = False
                continue
            left, _arrow, right = body.partition("->")
            left, right = _content(left), _restore(right).strip()
            if not left or not right:
                self.error(line, msg_pair_empty(pwhere))
                ok = False
                continue
            if left.casefold() in seen:
                self.error(line, msg_duplicate_text(pwhere, left))
                ok = False
            seen.add(left.casefold())
            pairs.append(Pair(id=f"p{number}", left=left, right=right))
        if ok and len(pairs) < MIN_MATCHING_PAIRS:
            self.error(at(0), msg_min_pairs(where, MIN_MATCHING_PAIRS))
            ok = False
        return {"type": MATCHING, "pairs": tuple(pairs)} if ok else None

    def truefalse(self, answer: str) -> dict:
        bits = answer.split("#", 2)
        value = bits[0].strip() in TRUE_WORDS
        wrong = _content(bits[1]) if len(bits) > 1 else ""
        right = _content(bits[2]) if len(bits) > 2 else ""
        return {"type": TRUEFALSE, "answer": value,
                "feedback_true": right if value else wrong, "feedback_false": wrong if value else right}

    def short(self, answer: str, at, where) -> dict | None:
        answers: list[ShortAnswer] = []
        ok = True
        for number, (_prefix, body, offset) in enumerate(self.segments(answer, "="), start=1):
            awhere, line = answer_label(where, number), at(offset)
            weight, body = self.weight(body.strip(), 100.0)
            if not 0 <= weight <= 100:
                self.error(line, msg_weight_range(awhere, f"{weight:g}", 0, 100))
                ok = False
            text, feedback = _feedback_split(body)
            if not text:
                self.error(line, msg_empty_answer(awhere))
                ok = False
            answers.append(ShortAnswer(text=text, weight=weight, feedback=feedback))
        if ok and not any(_is_full(a.weight) for a in answers):
            self.error(at(0), msg_full_answer(where))
            ok = False
        return {"type": SHORT, "answers": tuple(answers)} if ok else None

    def numeric(self, answer: str, at, where) -> dict | None:
        body = answer[1:]
        other = None
        tilde = body.find("~")
        if tilde != -1:
            other = _content(body[tilde + 1:].partition("#")[2])
            body = body[:tilde]
        answers: list[NumericAnswer] = []
        ok = True
        parts = self.segments(body, "=")
        if not parts:
            self.error(at(0), msg_no_numbers(where))
            return None
        for number, (_prefix, piece, offset) in enumerate(parts, start=1):
            awhere, line = answer_label(where, number), at(1 + offset)
            weight, piece = self.weight(piece.strip(), 100.0)
            if not 0 <= weight <= 100:
                self.error(line, msg_weight_range(awhere, f"{weight:g}", 0, 100))
                ok = False
            value_text, _sep, feedback = piece.partition("#")
            value_text, feedback = value_text.strip(), _content(feedback)
            parsed = self.number_spec(value_text, line, awhere)
            if parsed is None:
                ok = False
                continue
            answers.append(NumericAnswer(**parsed, weight=weight, feedback=feedback))
        if other is not None:
            answers.append(NumericAnswer(weight=0.0, feedback=other))
        if ok and not any(_is_full(a.weight) for a in answers):
            self.error(at(0), msg_full_answer(where))
            ok = False
        return {"type": NUMERIC, "numeric_answers": tuple(answers)} if ok else None

    def number_spec(self, text: str, line: int, where) -> dict | None:
        def number(piece: str) -> float | None:
            piece = _restore(piece).strip()
            if not _NUMBER.match(piece):
                self.error(line, msg_not_number(where, piece or _restore(text)))
                return None
            return float(piece)

        if text.find("..") > 0:
            low_text, _sep, high_text = text.partition("..")
            low, high = number(low_text), number(high_text)
            if low is None or high is None:
                return None
            if low > high:
                self.error(line, msg_range_order(where, _restore(text)))
                return None
            return {"min": low, "max": high}
        if text.find(":") > 0:
            value_text, _sep, tolerance_text = text.partition(":")
            value, tolerance = number(value_text), number(tolerance_text)
            if value is None or tolerance is None:
                return None
            return {"value": value, "tolerance": abs(tolerance)}
        value = number(text)
        return None if value is None else {"value": value}

    @staticmethod
    def weight(body: str, default: float) -> tuple[float, str]:
        match = _WEIGHT.match(body)
        if not match:
            return default, body
        return float(match.group(1)), body[match.end():]


# ------------------------------------------------------------------- export


class GiftExportError(ValueError):
    """Some questions cannot be written as GIFT; `problems` holds one message per problem."""

    def __init__(self, problems: list):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def export_gift(questions: Iterable[Question], category: str | None = None) -> str:
    """Write questions as GIFT; `parse_gift` reads them back equal (ids come back from the titles).

    Raises GiftExportError for what GIFT cannot hold: a matching question
    with fewer than three pairs, "->" in a short answer or on the left of a
    pair, a catch-all numeric answer that is not the last one.
    """
    problems: list = []
    chunks = [f"$CATEGORY: {category}"] if category else []
    for question in questions:
        chunks.append(_Writer(question, problems).write())
    if problems:
        raise GiftExportError(problems)
    return "\n\n".join(chunks) + "\n"


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _number(value: float) -> str:
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        text = format(float(value), ".12f").rstrip("0").rstrip(".")
    return text[:-2] if text.endswith(".0") else text


class _Writer:
    def __init__(self, question: Question, problems: list):
        self.q = question
        self.problems = problems
        self.where = question_label(question.id, 0)

    def text(self, text: str) -> str:
        """Escaped, with the question's format marker first when the text itself starts like one."""
        prefix = f"[{self.q.text_format}]" if _FORMAT.match(text) else ""
        return prefix + _escape(text)

    def write(self) -> str:
        q = self.q
        marker = f"[{q.text_format}]" if q.text_format != "moodle" or q.text.startswith("[") else ""
        before, after = q.text, ""
        gap = q.text.find(BLANK)
        if gap != -1 and q.text[gap + len(BLANK):].strip():
            before, after = q.text[:gap], q.text[gap + len(BLANK):]
        head = ""
        if q.type == MULTIPLE and q.scoring == ALL_OR_NOTHING:
            head = f"// sinau: scoring={ALL_OR_NOTHING}\n"
        body = getattr(self, q.type)()
        general = f"####{self.text(q.explanation)}" if q.explanation else ""
        if q.type == TRUEFALSE:
            answers = "{" + body + general + "}"
        else:
            lines = [f"\t{line}" for line in body]
            if general:
                lines.append(f"\t{general}")
            answers = "{\n" + "\n".join(lines) + "\n}"
        space = "" if after else " "
        return f"{head}::{q.id}:: {marker}{_escape(before)}{space}{answers}{_escape(after)}"

    def single(self) -> list[str]:
        lines, first = [], True
        for option in self.q.options:
            if option.correct:
                prefix = "=" if first else "~%100%"
                first = False
            elif option.weight:
                prefix = f"~%{_number(option.weight)}%"
            else:
                prefix = "~%0%" if option.text.startswith("%") else "~"
            lines.append(prefix + self.text(option.text) + self.feedback(option.feedback))
        return lines

    def multiple(self) -> list[str]:
        lines = []
        right = sum(1 for o in self.q.options if o.correct)
        for option in self.q.options:
            if self.q.scoring == WEIGHTED:
                weight = option.weight or 0.0
            else:
                weight = 100.0 / right if option.correct else -100.0
            prefix = f"~%{_number(weight)}%" if weight or option.text.startswith("%") else "~"
            lines.append(prefix + self.text(option.text) + self.feedback(option.feedback))
        return lines

    def truefalse(self) -> str:
        q = self.q
        right = q.feedback_true if q.answer else q.feedback_false
        wrong = q.feedback_false if q.answer else q.feedback_true
        out = "TRUE" if q.answer else "FALSE"
        if wrong:
            out += "#" + self.text(wrong)
        elif right:
            out += "#"
        if right:
            out += "#" + self.text(right)
        return out

    def short(self) -> list[str]:
        lines = []
        for answer in self.q.answers:
            for piece in (answer.text, answer.feedback):
                if "->" in piece:
                    self.problems.append(msg_arrow(self.where, piece))
            weight = "" if _is_full(answer.weight) and not answer.text.startswith("%") else \
                f"%{_number(answer.weight)}%"
            lines.append("=" + weight + self.text(answer.text) + self.feedback(answer.feedback))
        return lines

    def numeric(self) -> list[str]:
        lines = ["#"]
        answers = self.q.numeric_answers
        for index, answer in enumerate(answers):
            if answer.is_wildcard:
                if index != len(answers) - 1:
                    self.problems.append(msg_wildcard_last(self.where))
                lines.append("~#" + self.text(answer.feedback))
                continue
            weight = "" if _is_full(answer.weight) else f"%{_number(answer.weight)}%"
            if answer.is_range:
                spec = f"{_number(answer.min)}..{_number(answer.max)}"
            else:
                spec = _number(answer.value) + (f":{_number(answer.tolerance)}" if answer.tolerance else "")
            lines.append("=" + weight + spec + self.feedback(answer.feedback))
        return lines

    def matching(self) -> list[str]:
        if len(self.q.pairs) < MIN_MATCHING_PAIRS:
            self.problems.append(msg_min_pairs(self.where, MIN_MATCHING_PAIRS))
        lines = []
        for pair in self.q.pairs:
            if "->" in pair.left:
                self.problems.append(msg_arrow(self.where, pair.left))
            lines.append("=" + self.text(pair.left) + " -> " + _escape(pair.right))
        return lines

    def feedback(self, text: str) -> str:
        return "#" + self.text(text) if text else ""
