"""`public_view` gives a quiz page texts and ids, and nothing that gives an answer away."""
from __future__ import annotations

import json

import pytest

from lms.quizzes import choice_ids, parse_gift, public_view
from lms.quizzes.questions import NumericAnswer, Option, Pair, Question, ShortAnswer, matching_choices

from .conftest import read_fixture

SECRET_KEYS = ("correct", "weight", "feedback", "explanation", "answer", "answers", "numeric_answers", "pairs",
               "left", "right", "scoring", "fraction", "matched", "min", "max", "tolerance", "value")

QUESTIONS = [
    Question(id="pilar", type="single", text="Pilar mana yang terendah?", explanation="RAHASIA-penjelasan-1",
             options=(Option("o1", "Aman", correct=True, feedback="RAHASIA-umpan-1"),
                      Option("o2", "Budaya", feedback="RAHASIA-umpan-2"),
                      Option("o3", "Cakap", weight=50, feedback="RAHASIA-umpan-3"))),
    Question(id="ciri", type="multiple", scoring="weighted", text="Ciri hoaks?", explanation="RAHASIA-penjelasan-2",
             options=(Option("o1", "Mendesak", correct=True, weight=50, feedback="RAHASIA-umpan-4"),
                      Option("o2", "Emosional", correct=True, weight=50),
                      Option("o3", "Bersumber", weight=-100, feedback="RAHASIA-umpan-5"))),
    Question(id="ciri-aon", type="multiple", scoring="all_or_nothing", text="Ciri hoaks?",
             options=(Option("o1", "Mendesak", correct=True), Option("o2", "Bersumber"))),
    Question(id="foto", type="truefalse", text="Foto lama bisa menyesatkan.", answer=True,
             feedback_true="RAHASIA-umpan-6", feedback_false="RAHASIA-umpan-7", explanation="RAHASIA-penjelasan-3"),
    Question(id="situs", type="short", text="Situs cek fakta?", explanation="RAHASIA-penjelasan-4",
             answers=(ShortAnswer("RAHASIA-jawaban-1"), ShortAnswer("RAHASIA-jawaban-2", 50, "RAHASIA-umpan-8"))),
    Question(id="tahun", type="numeric", text="Tahun Sumpah Pemuda?", explanation="RAHASIA-penjelasan-5",
             numeric_answers=(NumericAnswer(value=1928, tolerance=0, feedback="RAHASIA-umpan-9"),
                              NumericAnswer(min=1926, max=1931, weight=50), NumericAnswer(weight=0))),
    Question(id="istilah", type="matching", text="Pasangkan istilah.", explanation="RAHASIA-penjelasan-6",
             pairs=(Pair("p1", "takarir", "caption"), Pair("p2", "unggah", "upload"), Pair("p3", "tagar", "hashtag"))),
]


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def values_in(value) -> list:
    if isinstance(value, dict):
        return [x for v in value.values() for x in values_in(v)]
    if isinstance(value, list):
        return [x for v in value for x in values_in(v)]
    return [value]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_no_answer_key_leaks(question):
    view = public_view(question, None)
    dumped = json.dumps(view, ensure_ascii=False)
    assert "RAHASIA" not in dumped
    assert not keys_in(view) & set(SECRET_KEYS)
    assert not any(isinstance(v, (bool, int, float)) for v in values_in(view))  # no flag, weight or number
    assert "1928" not in dumped and "1926" not in dumped and "1931" not in dumped
    assert "all_or_nothing" not in dumped and "weighted" not in dumped
    assert keys_in(view) <= {"id", "type", "text", "text_format", "options", "items", "choices"}


def test_choice_view_lists_ids_and_texts_in_authored_order_by_default():
    view = public_view(QUESTIONS[0], None)
    assert view == {"id": "pilar", "type": "single", "text": "Pilar mana yang terendah?", "text_format": "markdown",
                    "options": [{"id": "o1", "text": "Aman"}, {"id": "o2", "text": "Budaya"},
                                {"id": "o3", "text": "Cakap"}]}


def test_option_order_of_the_attempt_is_followed():
    view = public_view(QUESTIONS[0], ["o3", "o1", "o2"])
    assert [o["id"] for o in view["options"]] == ["o3", "o1", "o2"]


def test_option_order_ignores_unknown_ids_and_appends_missing_ones():
    view = public_view(QUESTIONS[0], ["o9", "o2", "o2"])
    assert [o["id"] for o in view["options"]] == ["o2", "o1", "o3"]


def test_matching_view_does_not_pair_items_with_choices():
    question = QUESTIONS[-1]
    view = public_view(question, None)
    assert view["items"] == [{"id": "p1", "text": "takarir"}, {"id": "p2", "text": "unggah"},
                             {"id": "p3", "text": "tagar"}]
    # alphabetical, not authored (authored order would line up with the items)
    assert [c["text"] for c in view["choices"]] == ["caption", "hashtag", "upload"]
    ids = [c["id"] for c in view["choices"]]
    assert all(cid.startswith("m") and len(cid) >= 9 for cid in ids)
    assert not set(ids) & {"p1", "p2", "p3", "r1", "r2", "r3", "o1", "o2", "o3"}


def test_matching_choices_follow_the_attempt_order():
    question = QUESTIONS[-1]
    order = list(reversed(choice_ids(question)))
    assert [c["id"] for c in public_view(question, order)["choices"]] == order


def test_choice_ids_do_not_depend_on_the_pairing():
    swapped = Question(id="istilah", type="matching", text="?", pairs=(
        Pair("p1", "takarir", "upload"), Pair("p2", "unggah", "caption"), Pair("p3", "tagar", "hashtag")))
    assert dict(matching_choices(swapped)) .keys() == dict(matching_choices(QUESTIONS[-1])).keys()


def test_text_only_types_show_just_the_question():
    for question in QUESTIONS[3:6]:
        assert set(public_view(question)) == {"id", "type", "text", "text_format"}


def test_gift_fixture_views_leak_nothing():
    for question in parse_gift(read_fixture("every-construct.gift")).questions:
        dumped = json.dumps(public_view(question), ensure_ascii=False)
        for option in question.options:
            if option.feedback:
                assert option.feedback not in dumped
        if question.explanation:
            assert question.explanation not in dumped
        for answer in question.answers:
            assert answer.text not in values_in({k: v for k, v in public_view(question).items() if k != "text"})
        assert not keys_in(public_view(question)) & set(SECRET_KEYS)
