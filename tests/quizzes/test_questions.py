"""The question model: JSON round trips, ids and slugs."""
from __future__ import annotations

import copy
import dataclasses
import json

import pytest

from lms.quizzes import Question, Quiz, QuizSettings, parse_gift, parse_quiz_block, slugify
from lms.quizzes.questions import Option, choice_ids, matching_choices, unique_id

from .conftest import FakeLines, load_yaml, read_fixture


def all_questions() -> list[Question]:
    quiz, errors = parse_quiz_block(copy.deepcopy(load_yaml("authoring-example.yaml")), FakeLines())
    assert errors == []
    return list(quiz.questions) + parse_gift(read_fixture("every-construct.gift")).questions


def test_every_type_is_covered_by_the_fixtures():
    types = {q.type for q in all_questions()}
    assert types == {"single", "multiple", "truefalse", "short", "numeric", "matching"}
    assert {q.scoring for q in all_questions() if q.type == "multiple"} == {"all_or_nothing", "weighted"}


@pytest.mark.parametrize("question", all_questions(), ids=lambda q: q.id)
def test_question_json_round_trip(question):
    data = json.loads(json.dumps(question.to_dict()))
    assert Question.from_dict(data) == question


def test_to_dict_holds_only_the_fields_of_the_type():
    tf = next(q for q in all_questions() if q.type == "truefalse")
    assert set(tf.to_dict()) == {"id", "type", "text", "text_format", "explanation", "answer", "feedback_true",
                                 "feedback_false"}
    single = next(q for q in all_questions() if q.type == "single")
    assert set(single.to_dict()) == {"id", "type", "text", "text_format", "explanation", "options"}


def test_quiz_json_round_trip():
    quiz, _errors = parse_quiz_block(copy.deepcopy(load_yaml("authoring-example.yaml")), FakeLines())
    data = json.loads(json.dumps(quiz.to_dict()))
    assert Quiz.from_dict(data) == quiz
    assert data["settings"]["draw"] == 5


def test_settings_from_partial_dict_use_defaults():
    assert QuizSettings.from_dict({"pass_mark": 80}) == QuizSettings(pass_mark=80)


def test_from_dict_refuses_unknown_types():
    with pytest.raises(ValueError):
        Question.from_dict({"id": "x", "type": "essay", "text": "?"})


def test_questions_are_frozen():
    question = all_questions()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.text = "lain"  # type: ignore[misc]
    assert isinstance(question.options, tuple)


def test_option_lookup_and_choice_ids():
    question = all_questions()[0]
    assert question.option("o2").text == "Budaya (Digital Culture)"
    assert question.option("o9") is None
    assert choice_ids(question) == ["o1", "o2", "o3"]
    tf = next(q for q in all_questions() if q.type == "truefalse")
    assert choice_ids(tf) == []


def test_matching_choice_ids_are_stable_and_distinct():
    question = next(q for q in all_questions() if q.type == "matching")
    first, again = matching_choices(question), matching_choices(copy.deepcopy(question))
    assert first == again
    assert len({cid for cid, _ in first}) == len(first)


@pytest.mark.parametrize("title, slug", [
    ("Pilar terendah", "pilar-terendah"),
    ("Keamanan Akun — Kata Sandi Kuat", "keamanan-akun-kata-sandi-kuat"),
    ("Café à Malang!", "cafe-a-malang"),
    ("Straße & Ærø", "strasse-aero"),
    ("  --Q1--  ", "q1"),
    ("日本語", ""),
    ("foto-lama", "foto-lama"),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugify_cuts_long_titles_at_a_word():
    slug = slugify("kata " * 40)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.endswith("kata")


def test_unique_id():
    used: set[str] = set()
    assert [unique_id("q", used) for _ in range(3)] == ["q", "q-2", "q-3"]


def test_option_defaults():
    assert Option("o1", "Aman") == Option(id="o1", text="Aman", correct=False, weight=None, feedback="")
