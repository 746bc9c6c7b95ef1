"""Quizzes and their questions as frozen, JSON-friendly data.

No database and no Flask here: the YAML block (`block.py`), GIFT (`gift.py`)
and Aiken (`aiken.py`) parsers build these objects, `grading.py` scores
responses against them, and the storage layer keeps `to_dict()` as JSON and
rebuilds with `from_dict()` (`Quiz.from_dict(quiz.to_dict()) == quiz`).

Every question is worth one point. Weights are percents of that point
(Moodle's "grade" of an answer: 100 = full marks, negative = penalty).

Ids are stable within their question so an attempt can record what was
chosen even when the page shuffled the options:

- options of `single`/`multiple`: "o1", "o2", … in authored order;
- left-hand items of `matching`: "p1", "p2", … in authored order;
- right-hand choices of `matching`: "m" + a hash of the choice text, so the
  id says nothing about which item a choice belongs to.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

SINGLE = "single"
MULTIPLE = "multiple"
TRUEFALSE = "truefalse"
SHORT = "short"
NUMERIC = "numeric"
MATCHING = "matching"
QUESTION_TYPES = (SINGLE, MULTIPLE, TRUEFALSE, SHORT, NUMERIC, MATCHING)

ALL_OR_NOTHING = "all_or_nothing"
WEIGHTED = "weighted"
SCORINGS = (ALL_OR_NOTHING, WEIGHTED)

SHOW_ANSWERS = ("immediately", "after_pass", "after_last_attempt", "never")
TEXT_FORMATS = ("markdown", "html", "plain", "moodle")
BLANK = "_____"  # the gap of a GIFT "missing word" question

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 80


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class Option:
    """One choice of a `single` or `multiple` question.

    `correct` marks a full-credit option (single, multiple all_or_nothing);
    `weight` is the percent credit of a weighted multiple option, or the
    partial credit of a wrong single option (GIFT `~%50%`); None means 0.
    """

    id: str
    text: str
    correct: bool = False
    weight: float | None = None
    feedback: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "correct": self.correct,
                "weight": self.weight, "feedback": self.feedback}

    @classmethod
    def from_dict(cls, data: dict) -> Option:
        return cls(id=data["id"], text=data["text"], correct=bool(data.get("correct", False)),
                   weight=_float_or_none(data.get("weight")), feedback=data.get("feedback", ""))


@dataclass(frozen=True)
class ShortAnswer:
    """An accepted answer of a `short` question; `*` is Moodle's wildcard (`\\*` a literal star)."""

    text: str
    weight: float = 100.0
    feedback: str = ""

    def to_dict(self) -> dict:
        return {"text": self.text, "weight": self.weight, "feedback": self.feedback}

    @classmethod
    def from_dict(cls, data: dict) -> ShortAnswer:
        return cls(text=data["text"], weight=float(data.get("weight", 100.0)), feedback=data.get("feedback", ""))


@dataclass(frozen=True)
class NumericAnswer:
    """An accepted number: `value` ± `tolerance`, or the range `min`..`max` (inclusive).

    With neither a value nor a range it matches any number: GIFT's
    `~#feedback` for "every other answer".
    """

    value: float | None = None
    tolerance: float = 0.0
    min: float | None = None
    max: float | None = None
    weight: float = 100.0
    feedback: str = ""

    @property
    def is_range(self) -> bool:
        return self.min is not None and self.max is not None

    @property
    def is_wildcard(self) -> bool:
        return self.value is None and not self.is_range

    def to_dict(self) -> dict:
        return {"value": self.value, "tolerance": self.tolerance, "min": self.min, "max": self.max,
                "weight": self.weight, "feedback": self.feedback}

    @classmethod
    def from_dict(cls, data: dict) -> NumericAnswer:
        return cls(value=_float_or_none(data.get("value")), tolerance=float(data.get("tolerance") or 0.0),
                   min=_float_or_none(data.get("min")), max=_float_or_none(data.get("max")),
                   weight=float(data.get("weight", 100.0)), feedback=data.get("feedback", ""))


@dataclass(frozen=True)
class Pair:
    """One item of a `matching` question: `left` is matched with `right`."""

    id: str
    left: str
    right: str

    def to_dict(self) -> dict:
        return {"id": self.id, "left": self.left, "right": self.right}

    @classmethod
    def from_dict(cls, data: dict) -> Pair:
        return cls(id=data["id"], left=data["left"], right=data["right"])


# --------------------------------------------------------------- question


@dataclass(frozen=True)
class Question:
    """A question of any type; fields that do not belong to `type` stay empty.

    `explanation` is shown after answering (Moodle's "general feedback",
    GIFT's `####`). `text_format` says how to render the texts: YAML blocks
    are `markdown`, GIFT defaults to `moodle` unless a `[format]` marker says
    otherwise, Aiken is `plain`.
    """

    id: str
    type: str
    text: str
    explanation: str = ""
    text_format: str = "markdown"
    options: tuple[Option, ...] = ()  # single, multiple
    scoring: str | None = None  # multiple: all_or_nothing | weighted
    answer: bool | None = None  # truefalse
    feedback_true: str = ""  # truefalse: shown to whoever answered "true"
    feedback_false: str = ""  # truefalse: shown to whoever answered "false"
    answers: tuple[ShortAnswer, ...] = ()  # short
    numeric_answers: tuple[NumericAnswer, ...] = ()  # numeric
    pairs: tuple[Pair, ...] = ()  # matching

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "type": self.type, "text": self.text,
                                "text_format": self.text_format, "explanation": self.explanation}
        if self.type in (SINGLE, MULTIPLE):
            data["options"] = [o.to_dict() for o in self.options]
            if self.type == MULTIPLE:
                data["scoring"] = self.scoring
        elif self.type == TRUEFALSE:
            data.update(answer=self.answer, feedback_true=self.feedback_true, feedback_false=self.feedback_false)
        elif self.type == SHORT:
            data["answers"] = [a.to_dict() for a in self.answers]
        elif self.type == NUMERIC:
            data["numeric_answers"] = [a.to_dict() for a in self.numeric_answers]
        elif self.type == MATCHING:
            data["pairs"] = [p.to_dict() for p in self.pairs]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        qtype = data["type"]
        if qtype not in QUESTION_TYPES:
            raise ValueError(f"unknown question type {qtype!r}")
        answer = data.get("answer")
        return cls(
            id=data["id"], type=qtype, text=data["text"], explanation=data.get("explanation", ""),
            text_format=data.get("text_format", "markdown"),
            options=tuple(Option.from_dict(o) for o in data.get("options", ())),
            scoring=data.get("scoring") if qtype == MULTIPLE else None,
            answer=None if answer is None else bool(answer),
            feedback_true=data.get("feedback_true", ""), feedback_false=data.get("feedback_false", ""),
            answers=tuple(ShortAnswer.from_dict(a) for a in data.get("answers", ())),
            numeric_answers=tuple(NumericAnswer.from_dict(a) for a in data.get("numeric_answers", ())),
            pairs=tuple(Pair.from_dict(p) for p in data.get("pairs", ())),
        )


def matching_choices(question: Question) -> tuple[tuple[str, str], ...]:
    """(choice id, text) of a matching question's distinct right-hand texts, in authored order."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for pair in question.pairs:
        if pair.right in ids:
            continue
        digest = hashlib.sha256(unicodedata.normalize("NFC", pair.right).encode()).hexdigest()
        size = 8
        while "m" + digest[:size] in used:
            size += 2
        ids[pair.right] = "m" + digest[:size]
        used.add(ids[pair.right])
    return tuple((cid, text) for text, cid in ids.items())


def choice_ids(question: Question) -> list[str]:
    """The ids a page may shuffle and record as `option_order`: options, or matching choices."""
    if question.type in (SINGLE, MULTIPLE):
        return [o.id for o in question.options]
    if question.type == MATCHING:
        return [cid for cid, _text in matching_choices(question)]
    return []


# ------------------------------------------------------------------- quiz


@dataclass(frozen=True)
class QuizSettings:
    """How a quiz runs. `attempts` 0 = unlimited; `draw` None = every question."""

    pass_mark: float = 70
    attempts: int = 0
    shuffle_questions: bool = False
    shuffle_options: bool = False
    draw: int | None = None
    show_answers: str = "after_pass"
    time_limit_minutes: int | None = None

    def to_dict(self) -> dict:
        return {"pass_mark": self.pass_mark, "attempts": self.attempts,
                "shuffle_questions": self.shuffle_questions, "shuffle_options": self.shuffle_options,
                "draw": self.draw, "show_answers": self.show_answers,
                "time_limit_minutes": self.time_limit_minutes}

    @classmethod
    def from_dict(cls, data: dict) -> QuizSettings:
        defaults = cls()
        return cls(**{key: data.get(key, getattr(defaults, key)) for key in defaults.to_dict()})


@dataclass(frozen=True)
class Quiz:
    settings: QuizSettings
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def to_dict(self) -> dict:
        return {"settings": self.settings.to_dict(), "questions": [q.to_dict() for q in self.questions]}

    @classmethod
    def from_dict(cls, data: dict) -> Quiz:
        return cls(settings=QuizSettings.from_dict(data.get("settings", {})),
                   questions=tuple(Question.from_dict(q) for q in data.get("questions", ())))


# ---------------------------------------------------------------- imports


@dataclass
class ImportResult:
    """What a GIFT or Aiken file held.

    `errors` and `warnings` are (line, message) with messages for people
    (lazy, Indonesian first); `skipped` lists (line, reason) for items that
    were read but are not supported (essay, description): never dropped
    silently. `questions` holds only the questions without errors.
    """

    questions: list[Question] = field(default_factory=list)
    errors: list[tuple[int, Any]] = field(default_factory=list)
    warnings: list[tuple[int, Any]] = field(default_factory=list)
    skipped: list[tuple[int, Any]] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    category_of: dict[str, str] = field(default_factory=dict)  # question id -> "$CATEGORY" path ("" if none)
    line_of: dict[str, int] = field(default_factory=dict)  # question id -> first line

    @property
    def ok(self) -> bool:
        return not self.errors


# ------------------------------------------------------------------- ids

_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
                           "ł": "l", "Ł": "l", "œ": "oe", "Œ": "oe", "þ": "th", "ı": "i"})


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """A slug (`^[a-z0-9]+(-[a-z0-9]+)*$`) from any Unicode text; "" when nothing ASCII is left."""
    if SLUG.match(text) and len(text) <= max_length:
        return text
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
        if "-" in slug[max_length // 2:]:
            slug = slug[: slug.rindex("-")]
    return slug


def unique_id(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not in `used`; the result is added to `used`."""
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate


def _float_or_none(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("numbers must be finite")
    return number
