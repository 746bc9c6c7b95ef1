"""Answers to a quiz, right or wrong on purpose, in the two shapes Sinau reads.

`responses(...)` is what `lms.quizzes.services.submit_attempt` grades;
`form_fields(...)` is what the quiz page posts (field names from
`lms.quizzes.forms`). Both are built from the stored question, the way a
trainee who knows (or guesses) the answer would fill the page in.
"""
from __future__ import annotations

import random
from typing import Any

from lms.quizzes.forms import field_name
from lms.quizzes.questions import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUEFALSE,
    Question,
    matching_choices,
)


def answer(question: Question, right: bool, rng: random.Random) -> Any:
    """One question's response in grading shape; None leaves it blank."""
    if question.type == SINGLE:
        good = [o.id for o in question.options if o.correct] or [question.options[0].id]
        bad = [o.id for o in question.options if o.id not in good] or good
        return rng.choice(good if right else bad)
    if question.type == MULTIPLE:
        good = [o.id for o in question.options if o.correct or (o.weight or 0) > 0]
        if right:
            return good
        return [o.id for o in question.options if o.id not in good][:1] or good[:1]
    if question.type == TRUEFALSE:
        value = bool(question.answer) if right else not question.answer
        return "true" if value else "false"
    if question.type == SHORT:
        best = max(question.answers, key=lambda a: a.weight, default=None)
        if right and best is not None:
            return best.text.replace("\\*", "").replace("*", "") or "jawaban"
        return "tidak tahu"
    if question.type == NUMERIC:
        for item in question.numeric_answers:
            if item.is_range:
                value = (item.min + item.max) / 2
                break
            if item.value is not None:
                value = item.value
                break
        else:
            value = 0.0
        value = value if right else value + 987654
        return f"{value:g}"
    if question.type == MATCHING:
        ids = {text: cid for cid, text in matching_choices(question)}
        pairs = {p.id: ids[p.right] for p in question.pairs}
        if not right and len(pairs) > 1:
            keys = list(pairs)
            values = [pairs[k] for k in keys]
            values = values[1:] + values[:1]
            pairs = dict(zip(keys, values))
        return pairs
    return None


def responses(questions: list[Question], p_right: float, rng: random.Random) -> dict[str, Any]:
    """{question id: response} with each question right with probability `p_right`."""
    result = {}
    for question in questions:
        value = answer(question, rng.random() < p_right, rng)
        if value is not None:
            result[question.id] = value
    return result


def form_fields(questions: list[Question], given: dict[str, Any]) -> list[tuple[str, str]]:
    """The quiz page's POST fields for these responses (a list: multiple answers repeat a name)."""
    fields: list[tuple[str, str]] = []
    for question in questions:
        value = given.get(question.id)
        if value is None:
            continue
        if question.type == MULTIPLE:
            fields += [(field_name(question.id), v) for v in value]
        elif question.type == MATCHING:
            fields += [(field_name(question.id, item), choice) for item, choice in value.items()]
        else:
            fields.append((field_name(question.id), str(value)))
    return fields
