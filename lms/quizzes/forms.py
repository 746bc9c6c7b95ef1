"""The quiz page's form: a CSRF-protected POST whose fields follow the questions.

Field names (the page and `read_answers` agree on them):

- single, truefalse, short, numeric: `q-<question id>`
- multiple: `q-<question id>`, one value per ticked box
- matching: `q-<question id>-<item id>` per left-hand item

Question ids are slugs and item ids "p1", "p2"…, so the names are unambiguous.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from lms.quizzes.grading import parse_number
from lms.quizzes.questions import MATCHING, MULTIPLE, NUMERIC, SHORT, SINGLE, TRUEFALSE

MAX_TEXT = 500


class AttemptForm(FlaskForm):
    """Only the CSRF token; the answers are read by `read_answers`."""


class StartForm(FlaskForm):
    """The "Mulai kuis" / "Coba lagi" button."""


def field_name(question_id: str, item_id: str | None = None) -> str:
    return f"q-{question_id}" + (f"-{item_id}" if item_id else "")


def first_input_id(view: Mapping[str, Any]) -> str:
    """The id of a question's first control (the error summary links to it)."""
    qid = view["id"]
    if view["type"] in (SINGLE, MULTIPLE) and view.get("options"):
        return f"{field_name(qid)}-{view['options'][0]['id']}"
    if view["type"] == TRUEFALSE:
        return f"{field_name(qid)}-true"
    if view["type"] == MATCHING and view.get("items"):
        return field_name(qid, view["items"][0]["id"])
    return field_name(qid)


def read_answers(views: Sequence[Mapping[str, Any]], formdata) -> tuple[dict[str, Any], dict[str, Any]]:
    """(responses, errors) from a posted quiz page.

    `responses` maps question ids to what `grading.grade` reads; ids the
    page never offered are dropped. `errors` maps a question id to a message
    for the person (only a number that cannot be read is refused: everything
    else may be left blank)."""
    responses: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for number, view in enumerate(views, start=1):
        qid, qtype = view["id"], view["type"]
        name = field_name(qid)
        if qtype == SINGLE:
            allowed = {o["id"] for o in view.get("options", ())}
            value = formdata.get(name, "")
            if value in allowed:
                responses[qid] = value
        elif qtype == MULTIPLE:
            allowed = {o["id"] for o in view.get("options", ())}
            chosen = [v for v in formdata.getlist(name) if v in allowed]
            if chosen:
                responses[qid] = chosen
        elif qtype == TRUEFALSE:
            value = formdata.get(name, "")
            if value in ("true", "false"):
                responses[qid] = value
        elif qtype == SHORT:
            value = formdata.get(name, "").strip()[:MAX_TEXT]
            if value:
                responses[qid] = value
        elif qtype == NUMERIC:
            value = formdata.get(name, "").strip()[:MAX_TEXT]
            if value:
                responses[qid] = value
                if not parse_number(value):
                    errors[qid] = _l("Soal %(n)d: tulis jawaban berupa angka, misalnya 12 atau 2,5.", n=number)
        elif qtype == MATCHING:
            allowed = {c["id"] for c in view.get("choices", ())}
            pairs = {}
            for item in view.get("items", ()):
                value = formdata.get(field_name(qid, item["id"]), "")
                if value in allowed:
                    pairs[item["id"]] = value
            if pairs:
                responses[qid] = pairs
    return responses, errors
