"""Grading: pure functions from (question, response) to a fraction of one point.

Responses, as a quiz page posts them:

- single → option id ("o2");
- multiple → list of option ids;
- truefalse → bool (the strings "true"/"false" are accepted too);
- short → the text as typed;
- numeric → the text as typed (a number is accepted too);
- matching → {item id ("p1"): choice id ("m…")}.

None, "", [] and {} mean "not answered" and score 0.

Short answers are compared after Unicode NFKC normalisation and case
folding, with runs of whitespace collapsed and punctuation trimmed from both
ends ("Cek Fakta." matches "cek fakta"); punctuation inside stays
("cekfakta.com"). As in Moodle, `*` in an accepted answer matches any run of
characters and `\\*` a literal star. The first accepted answer that matches,
in authored order, gives the grade and the feedback (Moodle's rule).

Numbers typed by learners (see `parse_number`): both "2,5" and "2.5" mean
two and a half. A single separator followed by exactly three digits
("1.000", "1,500", "12.500") is ambiguous between a decimal and a thousands
separator; it is read both ways and the learner gets the better grade. With
several separators the grouping decides ("1.234,5", "1,234.5", "1.000.000").
Tolerances and ranges are inclusive.

Multiple choice: `all_or_nothing` gives full marks only for exactly the set
of correct options; `weighted` adds the chosen options' weights and clamps
the sum to 0..1 (Moodle). A single-choice option may carry partial credit
(GIFT `~%50%`).
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from lms.quizzes.questions import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUEFALSE,
    WEIGHTED,
    NumericAnswer,
    Question,
    matching_choices,
)

_FULL = 1e-6  # a fraction this close to 1 is full marks (weights like 33.33333%)


@dataclass(frozen=True)
class GradeResult:
    """The grade of one response.

    `detail` says, per option / item, what was chosen and what was right
    (the page shows it only when the quiz's `show_answers` allows).
    `valid` is False when the response could not be read (not a number,
    an unknown option id).
    """

    fraction: float
    correct: bool
    feedback: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    answered: bool = True
    valid: bool = True

    def to_dict(self) -> dict:
        return {"fraction": self.fraction, "correct": self.correct, "feedback": list(self.feedback),
                "detail": self.detail, "answered": self.answered, "valid": self.valid}


class AttemptResult(NamedTuple):
    score: float
    max_score: float
    percent: float
    results: dict[str, GradeResult]

    def passed(self, pass_mark: float) -> bool:
        return self.percent + 1e-9 >= pass_mark


def grade(question: Question, response: Any) -> GradeResult:
    """Grade one response (see the module docstring for the response formats)."""
    if _is_blank(response):
        return GradeResult(0.0, False, answered=False, detail=_blank_detail(question))
    grader = _GRADERS[question.type]
    return grader(question, response)


def grade_attempt(questions: Sequence[Question], responses: Mapping[str, Any]) -> AttemptResult:
    """Grade every question (one point each); a missing response scores 0."""
    results = {q.id: grade(q, responses.get(q.id)) for q in questions}
    score = round(sum(r.fraction for r in results.values()), 6)
    max_score = float(len(questions))
    percent = round(100.0 * score / max_score, 4) if max_score else 0.0
    return AttemptResult(score, max_score, percent, results)


# ------------------------------------------------------------- public view


def public_view(question: Question, option_order: Sequence[str] | None = None) -> dict:
    """What a quiz page may show before answering: texts and ids, nothing that gives the answer away.

    `option_order` is the attempt's order of option ids (single/multiple)
    or of choice ids (matching); unknown ids are ignored and missing ones
    follow in their default order. Matching choices default to alphabetical
    order, never to the authored order (which would pair them with the items).
    """
    view: dict[str, Any] = {"id": question.id, "type": question.type, "text": question.text,
                            "text_format": question.text_format}
    if question.type in (SINGLE, MULTIPLE):
        options = {o.id: o.text for o in question.options}
        view["options"] = [{"id": oid, "text": options[oid]} for oid in _ordered(list(options), option_order)]
    elif question.type == MATCHING:
        choices = dict(matching_choices(question))
        default = sorted(choices, key=lambda cid: (_fold(choices[cid]), cid))
        view["items"] = [{"id": p.id, "text": p.left} for p in question.pairs]
        view["choices"] = [{"id": cid, "text": choices[cid]} for cid in _ordered(default, option_order)]
    return view


def _ordered(default: list[str], order: Sequence[str] | None) -> list[str]:
    if not order:
        return default
    known = set(default)
    seen: list[str] = []
    for oid in order:
        if oid in known and oid not in seen:
            seen.append(oid)
    return seen + [oid for oid in default if oid not in seen]


# ------------------------------------------------------------------ types


def _grade_single(question: Question, response: Any) -> GradeResult:
    chosen = question.option(response) if isinstance(response, str) else None
    detail = {o.id: {"chosen": o is chosen, "correct": o.correct, "fraction": _option_credit(question, o)}
              for o in question.options}
    if chosen is None:
        return GradeResult(0.0, False, detail=detail, valid=False)
    fraction = _clamp(_option_credit(question, chosen))
    feedback = (chosen.feedback,) if chosen.feedback else ()
    return GradeResult(fraction, chosen.correct or fraction >= 1.0, feedback, detail)


def _grade_multiple(question: Question, response: Any) -> GradeResult:
    if isinstance(response, str):
        response = [response]
    if not isinstance(response, (list, tuple, set, frozenset)):
        return GradeResult(0.0, False, detail=_blank_detail(question), valid=False)
    wanted = {r for r in response if isinstance(r, str)}
    known = {o.id for o in question.options}
    chosen = wanted & known
    detail = {o.id: {"chosen": o.id in chosen, "correct": _is_right(question, o),
                     "fraction": _option_credit(question, o)} for o in question.options}
    feedback = tuple(o.feedback for o in question.options if o.id in chosen and o.feedback)
    if question.scoring == WEIGHTED:
        fraction = _clamp(sum(_option_credit(question, o) for o in question.options if o.id in chosen))
    else:
        right = {o.id for o in question.options if o.correct}
        fraction = 1.0 if chosen == right else 0.0
    return GradeResult(fraction, fraction >= 1.0, feedback, detail, valid=wanted <= known)


def _grade_truefalse(question: Question, response: Any) -> GradeResult:
    if isinstance(response, str) and response.strip().lower() in ("true", "false"):
        response = response.strip().lower() == "true"
    detail = {"chosen": response if isinstance(response, bool) else None, "answer": question.answer}
    if not isinstance(response, bool):
        return GradeResult(0.0, False, detail=detail, valid=False)
    fraction = 1.0 if response == question.answer else 0.0
    text = question.feedback_true if response else question.feedback_false
    return GradeResult(fraction, fraction == 1.0, (text,) if text else (), detail)


def _grade_short(question: Question, response: Any) -> GradeResult:
    if not isinstance(response, str):
        return GradeResult(0.0, False, detail={"matched": None}, valid=False)
    typed = normalise_text(response)
    for index, answer in enumerate(question.answers):
        if _pattern(answer.text).match(typed):
            fraction = _clamp(answer.weight / 100.0)
            feedback = (answer.feedback,) if answer.feedback else ()
            return GradeResult(fraction, fraction >= 1.0, feedback, {"matched": index})
    return GradeResult(0.0, False, detail={"matched": None})


def _grade_numeric(question: Question, response: Any) -> GradeResult:
    if isinstance(response, bool):
        candidates: tuple[float, ...] = ()
    elif isinstance(response, (int, float)):
        candidates = (float(response),) if math.isfinite(response) else ()
    elif isinstance(response, str):
        candidates = parse_number(response)
    else:
        candidates = ()
    if not candidates:
        return GradeResult(0.0, False, detail={"value": None, "matched": None}, valid=False)
    best: tuple[float, float, int | None] | None = None
    for value in candidates:
        index = next((i for i, a in enumerate(question.numeric_answers) if numeric_matches(a, value)), None)
        fraction = _clamp(question.numeric_answers[index].weight / 100.0) if index is not None else 0.0
        if best is None or fraction > best[0]:
            best = (fraction, value, index)
    fraction, value, index = best
    answer = question.numeric_answers[index] if index is not None else None
    feedback = (answer.feedback,) if answer is not None and answer.feedback else ()
    return GradeResult(fraction, fraction >= 1.0, feedback, {"value": value, "matched": index})


def _grade_matching(question: Question, response: Any) -> GradeResult:
    if not isinstance(response, Mapping):
        return GradeResult(0.0, False, detail=_blank_detail(question), valid=False)
    texts = dict(matching_choices(question))
    ids = {text: cid for cid, text in texts.items()}
    detail, right = {}, 0
    for pair in question.pairs:
        chosen = response.get(pair.id)
        ok = isinstance(chosen, str) and texts.get(chosen) == pair.right
        right += ok
        detail[pair.id] = {"chosen": chosen if isinstance(chosen, str) else None, "correct": ok,
                           "answer": ids[pair.right]}
    fraction = right / len(question.pairs) if question.pairs else 0.0
    valid = all(isinstance(v, str) and v in texts for v in response.values() if v not in (None, ""))
    return GradeResult(fraction, fraction >= 1.0, (), detail, valid=valid)


_GRADERS = {SINGLE: _grade_single, MULTIPLE: _grade_multiple, TRUEFALSE: _grade_truefalse,
            SHORT: _grade_short, NUMERIC: _grade_numeric, MATCHING: _grade_matching}


def _option_credit(question: Question, option) -> float:
    """The fraction one option contributes: 1 for a correct option, else its weight."""
    if question.type == MULTIPLE and question.scoring == WEIGHTED:
        return (option.weight or 0.0) / 100.0
    if option.correct:
        return 1.0
    return (option.weight or 0.0) / 100.0


def _is_right(question: Question, option) -> bool:
    if question.type == MULTIPLE and question.scoring == WEIGHTED:
        return (option.weight or 0.0) > 0
    return option.correct


def _clamp(fraction: float) -> float:
    if abs(fraction - 1.0) <= _FULL:
        return 1.0
    return min(1.0, max(0.0, fraction))


def _is_blank(response: Any) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, (list, tuple, set, frozenset, dict)):
        return not response or (isinstance(response, dict) and all(v in (None, "") for v in response.values()))
    return False


def _blank_detail(question: Question) -> dict:
    if question.type in (SINGLE, MULTIPLE):
        return {o.id: {"chosen": False, "correct": _is_right(question, o), "fraction": _option_credit(question, o)}
                for o in question.options}
    if question.type == MATCHING:
        ids = {text: cid for cid, text in matching_choices(question)}
        return {p.id: {"chosen": None, "correct": False, "answer": ids[p.right]} for p in question.pairs}
    if question.type == TRUEFALSE:
        return {"chosen": None, "answer": question.answer}
    if question.type == NUMERIC:
        return {"value": None, "matched": None}
    return {"matched": None}


# ---------------------------------------------------------- short answers

_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _trim_punctuation(text: str, *, left: bool = True, right: bool = True) -> str:
    start, end = 0, len(text)
    while left and start < end and (_is_punct(text[start]) or text[start].isspace()):
        start += 1
    while right and end > start and (_is_punct(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    return text[start:end]


def _is_punct(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def normalise_text(text: str) -> str:
    """How a typed short answer is compared: NFKC, case-folded, spaces collapsed, punctuation trimmed."""
    return _trim_punctuation(_fold(text))


@functools.lru_cache(maxsize=1024)
def _pattern(answer: str) -> re.Pattern:
    """A regex for an accepted answer: `*` any run of characters, `\\*` a literal star."""
    pieces = re.split(r"(?<!\\)\*", answer)
    pieces = [p.replace("\\*", "*") for p in pieces]
    folded = [_fold(p) for p in pieces]
    if len(folded) == 1:
        return re.compile(re.escape(normalise_text(pieces[0])) + r"\Z")
    folded[0] = _trim_punctuation(folded[0], right=False)
    folded[-1] = _trim_punctuation(folded[-1], left=False)
    return re.compile(".*".join(re.escape(p) for p in folded) + r"\Z", re.DOTALL)


# ---------------------------------------------------------------- numbers

_NUMBER = re.compile(r"^([+-]?)([0-9.,]*[0-9][0-9.,]*)$")
_GROUPED = re.compile(r"^[1-9][0-9]{0,2}(?:X[0-9]{3})+$")


def parse_number(text: str) -> tuple[float, ...]:
    """The values a typed number may mean (empty when it is not a number).

    "2,5" and "2.5" → (2.5,); "1.234,5" and "1,234.5" → (1234.5,);
    "1.000.000" → (1000000.0,); "1.000" → (1.0, 1000.0) (ambiguous).
    Spaces inside the number ("1 000") and the minus sign "−" are accepted.
    """
    raw = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    raw = re.sub(r"(?<=[0-9])[\s']+(?=[0-9])", "", raw)
    match = _NUMBER.match(raw)
    if not match:
        return ()
    sign, body = match.groups()
    negative = sign == "-"
    dots, commas = body.count("."), body.count(",")
    values: list[float] = []
    if not dots and not commas:
        values.append(float(body))
    elif dots and commas:
        decimal = "." if body.rindex(".") > body.rindex(",") else ","
        thousands = "," if decimal == "." else "."
        whole, _sep, fraction = body.rpartition(decimal)
        if body.count(decimal) == 1 and _GROUPED.match(whole.replace(thousands, "X")) and fraction.isdigit():
            values.append(float(whole.replace(thousands, "") + "." + fraction))
    else:
        sep = "." if dots else ","
        if body.count(sep) > 1:
            if _GROUPED.match(body.replace(sep, "X")):
                values.append(float(body.replace(sep, "")))
        else:
            whole, _sep, fraction = body.partition(sep)
            if (whole or fraction) and (whole + fraction).isdigit():
                values.append(float((whole or "0") + "." + (fraction or "0")))
                if len(fraction) == 3 and _GROUPED.match(whole + "X" + fraction):
                    values.append(float(whole + fraction))
    return tuple(-v if negative else v for v in values if math.isfinite(v))


def numeric_matches(answer: NumericAnswer, value: float) -> bool:
    """Whether `value` is accepted by `answer` (bounds inclusive, with a hair of float slack)."""
    if answer.is_wildcard:
        return True
    if answer.is_range:
        slack = 1e-9 * max(1.0, abs(answer.min), abs(answer.max))
        return answer.min - slack <= value <= answer.max + slack
    slack = 1e-9 * max(1.0, abs(answer.value), abs(answer.tolerance))
    return abs(value - answer.value) <= answer.tolerance + slack
