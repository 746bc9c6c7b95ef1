"""The ```quiz block of a module file: validation into a `Quiz`.

`parse_quiz_block(data, line_of)` takes the YAML already loaded as a dict
and a `line_of(path) -> int` that maps a key path such as
("questions", 2, "options", 0, "text") to its line in the file (the caller
knows where the block starts). Every problem is reported, not only the
first, as (line, message); messages are for course authors, in Indonesian,
and name the question and the field.

Settings and their defaults (docs/authoring.md, "Quiz block"):
pass_mark 70, attempts 0 (unlimited), shuffle_questions false,
shuffle_options false, draw none (every question), show_answers after_pass,
time_limit_minutes none.

Beyond the documented keys: a `multiple` question with `scoring: weighted`
marks options with `weight` (percent, may be negative; the positive weights
add up to 100) instead of `correct`; a `short` answer may be a mapping
{text, weight (0–100), feedback} instead of a plain string.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.quizzes.questions import (
    ALL_OR_NOTHING,
    MATCHING,
    MULTIPLE,
    NUMERIC,
    QUESTION_TYPES,
    SCORINGS,
    SHORT,
    SHOW_ANSWERS,
    SINGLE,
    SLUG,
    TRUEFALSE,
    WEIGHTED,
    NumericAnswer,
    Option,
    Pair,
    Question,
    Quiz,
    QuizSettings,
    ShortAnswer,
)

SETTINGS_KEYS = ("pass_mark", "attempts", "shuffle_questions", "shuffle_options", "draw",
                 "show_answers", "time_limit_minutes")
TOP_KEYS = (*SETTINGS_KEYS, "questions")
COMMON_KEYS = ("id", "type", "text", "explanation")
TYPE_KEYS = {
    SINGLE: ("options",),
    MULTIPLE: ("options", "scoring"),
    TRUEFALSE: ("answer", "feedback_true", "feedback_false"),
    SHORT: ("answers",),
    NUMERIC: ("answer", "tolerance", "min", "max"),
    MATCHING: ("pairs",),
}
OPTION_KEYS = ("text", "correct", "weight", "feedback")
SHORT_ANSWER_KEYS = ("text", "weight", "feedback")
PAIR_KEYS = ("left", "right")
MIN_OPTIONS = 2
MIN_PAIRS = 2
WEIGHT_SLACK = 0.05  # percent points: 3 × 33.33 counts as 100

# ------------------------------------------------------ messages (shared)


def quiz_label():
    return _l("kuis")


def question_label(question_id: str | None, number: int):
    if question_id:
        return _l("pertanyaan '%(id)s'", id=question_id)
    return _l("pertanyaan ke-%(n)d", n=number)


def option_label(where, number: int):
    return _l("%(where)s, opsi ke-%(n)d", where=where, n=number)


def answer_label(where, number: int):
    return _l("%(where)s, jawaban ke-%(n)d", where=where, n=number)


def pair_label(where, number: int):
    return _l("%(where)s, pasangan ke-%(n)d", where=where, n=number)


def msg_unknown_key(where, key):
    return _l("%(where)s: kunci '%(key)s' tidak dikenal", where=where, key=key)


def msg_required(where, key):
    return _l("%(where)s: '%(key)s' wajib diisi", where=where, key=key)


def msg_not_text(where, key):
    return _l("%(where)s: '%(key)s' harus berupa teks (beri tanda kutip bila perlu)", where=where, key=key)


def msg_item_not_text(where):
    return _l("%(where)s: harus berupa teks (beri tanda kutip bila perlu)", where=where)


def msg_not_bool(where, key):
    return _l("%(where)s: '%(key)s' harus true atau false", where=where, key=key)


def msg_not_number(where, key):
    return _l("%(where)s: '%(key)s' harus berupa angka", where=where, key=key)


def msg_range(where, key, low, high):
    return _l("%(where)s: '%(key)s' harus angka dari %(min)s sampai %(max)s",
              where=where, key=key, min=_fmt(low), max=_fmt(high))


def msg_int_min(where, key, low):
    return _l("%(where)s: '%(key)s' harus bilangan bulat minimal %(min)d", where=where, key=key, min=low)


def msg_choice(where, key, choices):
    return _l("%(where)s: '%(key)s' harus salah satu dari: %(choices)s",
              where=where, key=key, choices=", ".join(choices))


def msg_draw(where, draw, count):
    return _l("%(where)s: 'draw' (%(draw)d) melebihi jumlah pertanyaan (%(count)d)",
              where=where, draw=draw, count=count)


def msg_not_mapping(where):
    return _l("%(where)s: harus berupa pasangan kunci: nilai", where=where)


def msg_not_list(where, key):
    return _l("%(where)s: '%(key)s' harus berupa daftar", where=where, key=key)


def msg_min_questions(where):
    return _l("%(where)s: butuh minimal satu pertanyaan", where=where)


def msg_min_options(where, low):
    return _l("%(where)s: butuh minimal %(min)d opsi", where=where, min=low)


def msg_min_answers(where, low):
    return _l("%(where)s: butuh minimal %(min)d jawaban", where=where, min=low)


def msg_min_pairs(where, low):
    return _l("%(where)s: butuh minimal %(min)d pasangan", where=where, min=low)


def msg_slug(where, value):
    return _l("%(where)s: id '%(id)s' harus berupa slug (huruf kecil, angka dan tanda hubung)",
              where=where, id=value)


def msg_duplicate_id(where, value):
    return _l("%(where)s: id '%(id)s' sudah dipakai pertanyaan lain", where=where, id=value)


def msg_one_correct(where, count):
    return _l("%(where)s: opsi benar harus tepat satu (sekarang %(count)d)", where=where, count=count)


def msg_some_correct(where):
    return _l("%(where)s: minimal satu opsi harus benar", where=where)


def msg_weight_sum(where, total):
    return _l("%(where)s: jumlah bobot positif harus 100 (sekarang %(sum)s)", where=where, sum=_fmt(total))


def msg_weight_only(where):
    return _l("%(where)s: 'weight' hanya untuk type multiple dengan scoring weighted", where=where)


def msg_weighted_correct(where):
    return _l("%(where)s: dengan scoring weighted, tandai opsi dengan 'weight', bukan 'correct'", where=where)


def msg_duplicate_text(where, text):
    return _l("%(where)s: teks '%(text)s' muncul lebih dari sekali", where=where, text=text)


def msg_full_answer(where):
    return _l("%(where)s: minimal satu jawaban harus berbobot 100", where=where)


def msg_empty_answer(where):
    return _l("%(where)s: jawaban kosong", where=where)


def msg_numeric_needs(where):
    return _l("%(where)s: isi 'answer' (boleh dengan 'tolerance') atau 'min' dan 'max'", where=where)


def msg_numeric_both(where):
    return _l("%(where)s: pilih salah satu: 'answer' (dengan 'tolerance') atau 'min' dan 'max'", where=where)


def msg_negative(where, key):
    return _l("%(where)s: '%(key)s' tidak boleh negatif", where=where, key=key)


def msg_min_max(where):
    return _l("%(where)s: 'min' tidak boleh lebih besar dari 'max'", where=where)


def _fmt(number: float) -> str:
    return f"{number:g}"


# ------------------------------------------------------------- validation

LineOf = Callable[[tuple], int]


def parse_quiz_block(data: Any, line_of: LineOf) -> tuple[Quiz | None, list[tuple[int, Any]]]:
    """Validate a loaded quiz block; (Quiz, []) when it is valid, else (None, errors)."""
    checker = _Checker(line_of)
    quiz = checker.quiz(data)
    errors = sorted(checker.errors, key=lambda e: e[0])
    return (quiz if not errors else None), errors


def validate_quiz_block(data: Any, line_of: LineOf) -> list[tuple[int, str]]:
    """The course importer's block validator: only the problems, as plain strings (in the current locale)."""
    return [(line, str(message)) for line, message in parse_quiz_block(data, line_of)[1]]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_text(value: Any) -> str | None:
    """A YAML scalar as text: strings, and integers (which YAML reads from "2024"); not floats or booleans."""
    if isinstance(value, str):
        return value.strip()
    if _is_int(value):
        return str(value)
    return None


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


class _Checker:
    def __init__(self, line_of: LineOf):
        self.line_of = line_of
        self.errors: list[tuple[int, Any]] = []

    def error(self, path: tuple, message) -> None:
        self.errors.append((self.line_of(tuple(path)), message))

    # -- helpers: each returns the value, or None after reporting a problem

    def unknown_keys(self, mapping: dict, allowed, path: tuple, where) -> None:
        for key in mapping:
            if key not in allowed:
                self.error((*path, key), msg_unknown_key(where, key))

    def text(self, mapping: dict, key: str, path: tuple, where, *, required: bool = True) -> str | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(path, msg_required(where, key))
                return None
            return ""
        text = _as_text(value)
        if text is None:
            self.error((*path, key), msg_not_text(where, key))
            return None
        if required and not text:
            self.error((*path, key), msg_required(where, key))
            return None
        return text

    def boolean(self, mapping: dict, key: str, path: tuple, where) -> bool | None:
        value = mapping[key]
        if not isinstance(value, bool):
            self.error((*path, key), msg_not_bool(where, key))
            return None
        return value

    def number(self, mapping: dict, key: str, path: tuple, where, low=None, high=None) -> float | None:
        value = mapping[key]
        if not _is_number(value):
            if low is not None and high is not None:
                self.error((*path, key), msg_range(where, key, low, high))
            else:
                self.error((*path, key), msg_not_number(where, key))
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error((*path, key), msg_range(where, key, low, high))
            return None
        return float(value)

    def integer(self, mapping: dict, key: str, path: tuple, where, low: int) -> int | None:
        value = mapping[key]
        if not _is_int(value) or value < low:
            self.error((*path, key), msg_int_min(where, key, low))
            return None
        return value

    def list_of(self, mapping: dict, key: str, path: tuple, where) -> list | None:
        value = mapping.get(key)
        if value is None:
            self.error(path, msg_required(where, key))
            return None
        if not isinstance(value, list):
            self.error((*path, key), msg_not_list(where, key))
            return None
        return value

    # -- the block

    def quiz(self, data: Any) -> Quiz | None:
        where = quiz_label()
        if not isinstance(data, dict):
            self.error((), msg_not_mapping(where))
            return None
        self.unknown_keys(data, TOP_KEYS, (), where)
        settings = self.settings(data, where)
        items = self.list_of(data, "questions", (), where)
        questions: list[Question] = []
        if items is not None:
            if not items:
                self.error(("questions",), msg_min_questions(where))
            used: set[str] = set()
            for index, item in enumerate(items):
                question = self.question(index, item, used)
                if question is not None:
                    questions.append(question)
            draw = data.get("draw")
            if _is_int(draw) and items and draw > len(items):
                self.error(("draw",), msg_draw(where, draw, len(items)))
        if self.errors or settings is None:
            return None
        return Quiz(settings=settings, questions=tuple(questions))

    def settings(self, data: dict, where) -> QuizSettings | None:
        values: dict[str, Any] = {}
        before = len(self.errors)
        for key in SETTINGS_KEYS:
            if data.get(key) is None:
                continue
            if key == "pass_mark":
                values[key] = self.number(data, key, (), where, 0, 100)
            elif key == "attempts":
                values[key] = self.integer(data, key, (), where, 0)
            elif key in ("draw", "time_limit_minutes"):
                values[key] = self.integer(data, key, (), where, 1)
            elif key in ("shuffle_questions", "shuffle_options"):
                values[key] = self.boolean(data, key, (), where)
            elif key == "show_answers":
                if data[key] not in SHOW_ANSWERS:
                    self.error((key,), msg_choice(where, key, SHOW_ANSWERS))
                values[key] = data[key]
        if len(self.errors) > before:
            return None
        if "pass_mark" in values and values["pass_mark"] == int(values["pass_mark"]):
            values["pass_mark"] = int(values["pass_mark"])
        return QuizSettings(**values)

    def question(self, index: int, item: Any, used: set[str]) -> Question | None:
        path = ("questions", index)
        if not isinstance(item, dict):
            self.error(path, msg_not_mapping(question_label(None, index + 1)))
            return None
        before = len(self.errors)
        raw_id = _as_text(item.get("id"))
        where = question_label(raw_id, index + 1)
        qid = self.text(item, "id", path, where)
        if qid is not None:
            if not SLUG.match(qid):
                self.error((*path, "id"), msg_slug(where, qid))
            elif qid in used:
                self.error((*path, "id"), msg_duplicate_id(where, qid))
            used.add(qid)
        qtype = item.get("type")
        if qtype is None:
            self.error(path, msg_required(where, "type"))
        elif qtype not in QUESTION_TYPES:
            self.error((*path, "type"), msg_choice(where, "type", QUESTION_TYPES))
            qtype = None
        allowed = COMMON_KEYS + (TYPE_KEYS[qtype] if qtype else tuple(k for v in TYPE_KEYS.values() for k in v))
        self.unknown_keys(item, allowed, path, where)
        text = self.text(item, "text", path, where)
        explanation = self.text(item, "explanation", path, where)
        fields: dict[str, Any] = {}
        if qtype in (SINGLE, MULTIPLE):
            fields = self.choice_fields(item, qtype, path, where)
        elif qtype == TRUEFALSE:
            fields = self.truefalse_fields(item, path, where)
        elif qtype == SHORT:
            fields = self.short_fields(item, path, where)
        elif qtype == NUMERIC:
            fields = self.numeric_fields(item, path, where)
        elif qtype == MATCHING:
            fields = self.matching_fields(item, path, where)
        if len(self.errors) > before:
            return None
        return Question(id=qid, type=qtype, text=text, explanation=explanation, text_format="markdown", **fields)

    def choice_fields(self, item: dict, qtype: str, path: tuple, where) -> dict:
        scoring = ALL_OR_NOTHING
        if qtype == MULTIPLE and item.get("scoring") is not None:
            scoring = item["scoring"]
            if scoring not in SCORINGS:
                self.error((*path, "scoring"), msg_choice(where, "scoring", SCORINGS))
                scoring = None
        weighted = qtype == MULTIPLE and scoring == WEIGHTED
        raw = self.list_of(item, "options", path, where)
        if raw is None:
            return {}
        options_path = (*path, "options")
        before = len(self.errors)
        if len(raw) < MIN_OPTIONS:
            self.error(options_path, msg_min_options(where, MIN_OPTIONS))
        options: list[Option] = []
        seen: set[str] = set()
        for number, entry in enumerate(raw, start=1):
            opath = (*options_path, number - 1)
            owhere = option_label(where, number)
            if not isinstance(entry, dict):
                self.error(opath, msg_not_mapping(owhere))
                continue
            self.unknown_keys(entry, OPTION_KEYS, opath, owhere)
            text = self.text(entry, "text", opath, owhere)
            if text is not None:
                if _fold(text) in seen:
                    self.error((*opath, "text"), msg_duplicate_text(owhere, text))
                seen.add(_fold(text))
            correct = False
            if entry.get("correct") is not None:
                if weighted:
                    self.error((*opath, "correct"), msg_weighted_correct(owhere))
                else:
                    correct = self.boolean(entry, "correct", opath, owhere)
            weight = None
            if entry.get("weight") is not None:
                if not weighted:
                    self.error((*opath, "weight"), msg_weight_only(owhere))
                else:
                    weight = self.number(entry, "weight", opath, owhere, -100, 100)
            elif weighted:
                weight = 0.0
            feedback = self.text(entry, "feedback", opath, owhere, required=False)
            is_correct = (weight or 0.0) > 0 if weighted else bool(correct)
            options.append(Option(id=f"o{number}", text=text or "", correct=is_correct, weight=weight,
                                  feedback=feedback or ""))
        if len(self.errors) > before or scoring is None:
            return {}
        if qtype == SINGLE:
            count = sum(o.correct for o in options)
            if count != 1:
                self.error(options_path, msg_one_correct(where, count))
        elif not weighted:
            if not any(o.correct for o in options):
                self.error(options_path, msg_some_correct(where))
        else:
            total = sum(o.weight for o in options if o.weight and o.weight > 0)
            if abs(total - 100) > WEIGHT_SLACK:
                self.error(options_path, msg_weight_sum(where, total))
        return {"options": tuple(options), "scoring": scoring if qtype == MULTIPLE else None}

    def truefalse_fields(self, item: dict, path: tuple, where) -> dict:
        answer = None
        if item.get("answer") is None:
            self.error(path, msg_required(where, "answer"))
        else:
            answer = self.boolean(item, "answer", path, where)
        return {"answer": answer,
                "feedback_true": self.text(item, "feedback_true", path, where, required=False) or "",
                "feedback_false": self.text(item, "feedback_false", path, where, required=False) or ""}

    def short_fields(self, item: dict, path: tuple, where) -> dict:
        raw = self.list_of(item, "answers", path, where)
        if raw is None:
            return {}
        answers_path = (*path, "answers")
        before = len(self.errors)
        if not raw:
            self.error(answers_path, msg_min_answers(where, 1))
        answers: list[ShortAnswer] = []
        for number, entry in enumerate(raw, start=1):
            apath = (*answers_path, number - 1)
            awhere = answer_label(where, number)
            if isinstance(entry, dict):
                self.unknown_keys(entry, SHORT_ANSWER_KEYS, apath, awhere)
                text = self.text(entry, "text", apath, awhere)
                weight = 100.0
                if entry.get("weight") is not None:
                    weight = self.number(entry, "weight", apath, awhere, 0, 100)
                feedback = self.text(entry, "feedback", apath, awhere, required=False)
                if text is not None and weight is not None and feedback is not None:
                    answers.append(ShortAnswer(text=text, weight=weight, feedback=feedback))
                continue
            text = _as_text(entry)
            if text is None:
                self.error(apath, msg_item_not_text(awhere))
            elif not text:
                self.error(apath, msg_empty_answer(awhere))
            else:
                answers.append(ShortAnswer(text=text))
        if len(self.errors) == before and answers and not any(a.weight >= 100 for a in answers):
            self.error(answers_path, msg_full_answer(where))
        return {"answers": tuple(answers)}

    def numeric_fields(self, item: dict, path: tuple, where) -> dict:
        has = {key: item.get(key) is not None for key in ("answer", "tolerance", "min", "max")}
        if has["answer"] and (has["min"] or has["max"]):
            self.error(path, msg_numeric_both(where))
            return {}
        if has["answer"]:
            value = self.number(item, "answer", path, where)
            tolerance = 0.0
            if has["tolerance"]:
                tolerance = self.number(item, "tolerance", path, where)
                if tolerance is not None and tolerance < 0:
                    self.error((*path, "tolerance"), msg_negative(where, "tolerance"))
            return {"numeric_answers": (NumericAnswer(value=value, tolerance=tolerance or 0.0),)}
        if has["min"] or has["max"]:
            if has["tolerance"]:
                self.error((*path, "tolerance"), msg_numeric_both(where))
            bounds = {}
            for key in ("min", "max"):
                if not has[key]:
                    self.error(path, msg_required(where, key))
                else:
                    bounds[key] = self.number(item, key, path, where)
            low, high = bounds.get("min"), bounds.get("max")
            if low is not None and high is not None and low > high:
                self.error((*path, "min"), msg_min_max(where))
            return {"numeric_answers": (NumericAnswer(min=low, max=high),)}
        self.error(path, msg_numeric_needs(where))
        return {}

    def matching_fields(self, item: dict, path: tuple, where) -> dict:
        raw = self.list_of(item, "pairs", path, where)
        if raw is None:
            return {}
        pairs_path = (*path, "pairs")
        if len(raw) < MIN_PAIRS:
            self.error(pairs_path, msg_min_pairs(where, MIN_PAIRS))
        pairs: list[Pair] = []
        seen: set[str] = set()
        for number, entry in enumerate(raw, start=1):
            ppath = (*pairs_path, number - 1)
            pwhere = pair_label(where, number)
            if not isinstance(entry, dict):
                self.error(ppath, msg_not_mapping(pwhere))
                continue
            self.unknown_keys(entry, PAIR_KEYS, ppath, pwhere)
            left = self.text(entry, "left", ppath, pwhere)
            right = self.text(entry, "right", ppath, pwhere)
            if left is not None:
                if _fold(left) in seen:
                    self.error((*ppath, "left"), msg_duplicate_text(pwhere, left))
                seen.add(_fold(left))
            pairs.append(Pair(id=f"p{number}", left=left or "", right=right or ""))
        return {"pairs": tuple(pairs)}
