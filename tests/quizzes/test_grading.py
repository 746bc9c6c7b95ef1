"""Grading of every question type, and of a whole attempt."""
from __future__ import annotations

import json

import pytest

from lms.quizzes import grade, grade_attempt, parse_gift, parse_number
from lms.quizzes.grading import normalise_text
from lms.quizzes.questions import (
    NumericAnswer,
    Option,
    Pair,
    Question,
    ShortAnswer,
    matching_choices,
)

from .conftest import read_fixture

GIFT = {q.id: q for q in parse_gift(read_fixture("every-construct.gift")).questions}

SINGLE = Question(id="pilar", type="single", text="Pilar terendah?", options=(
    Option("o1", "Aman", correct=True, feedback="Benar."),
    Option("o2", "Budaya", feedback="Budaya tertinggi."),
    Option("o3", "Cakap", weight=50, feedback="Hampir."),
    Option("o4", "Etis", weight=-50),
))
ALL_OR_NOTHING = Question(id="ciri", type="multiple", scoring="all_or_nothing", text="Ciri hoaks?", options=(
    Option("o1", "Mendesak disebarkan", correct=True, feedback="Ya, mendesak."),
    Option("o2", "Tautan resmi", feedback="Bukan ciri."),
    Option("o3", "Memancing emosi", correct=True),
))
WEIGHTED = GIFT["ciri-hoaks"]  # 50, 50, -100
THIRDS = GIFT["data-pribadi"]  # 33.33333 × 3, -100
TRUEFALSE = Question(id="foto", type="truefalse", text="Foto lama bisa menyesatkan.", answer=True,
                     feedback_true="Tepat.", feedback_false="Konteks yang salah juga hoaks.")
SHORT = GIFT["situs-cek-fakta"]  # cekfakta.com, %50% cek fakta, %0% turnbackhoax*
TOLERANCE = GIFT["nilai-pilar-aman"]  # 3.12 ± 0.05
RANGE = GIFT["kecamatan"]  # 4..6
YEARS = GIFT["sumpah-pemuda"]  # 1928, %50% 1928 ± 2, any other
MATCHING = GIFT["istilah"]


def choice_id(question: Question, text: str) -> str:
    return next(cid for cid, right in matching_choices(question) if right == text)


# ------------------------------------------------------------------ single


def test_single_correct_option():
    result = grade(SINGLE, "o1")
    assert (result.fraction, result.correct, result.feedback) == (1.0, True, ("Benar.",))
    assert result.detail["o1"] == {"chosen": True, "correct": True, "fraction": 1.0}


def test_single_wrong_option():
    result = grade(SINGLE, "o2")
    assert (result.fraction, result.correct, result.feedback) == (0.0, False, ("Budaya tertinggi.",))


def test_single_partial_credit_and_negative_weight_floors_at_zero():
    assert grade(SINGLE, "o3").fraction == 0.5
    assert not grade(SINGLE, "o3").correct
    assert grade(SINGLE, "o4").fraction == 0.0


def test_single_unknown_option_is_invalid_and_blank_is_unanswered():
    result = grade(SINGLE, "o9")
    assert (result.fraction, result.valid, result.answered) == (0.0, False, True)
    blank = grade(SINGLE, None)
    assert (blank.fraction, blank.answered, blank.correct) == (0.0, False, False)
    assert grade(SINGLE, "  ").answered is False


# ---------------------------------------------------------------- multiple


def test_all_or_nothing_needs_exactly_the_correct_set():
    full = grade(ALL_OR_NOTHING, ["o3", "o1"])
    assert (full.fraction, full.correct, full.feedback) == (1.0, True, ("Ya, mendesak.",))
    assert grade(ALL_OR_NOTHING, ["o1"]).fraction == 0.0
    assert grade(ALL_OR_NOTHING, ["o1", "o2", "o3"]).fraction == 0.0
    assert grade(ALL_OR_NOTHING, ["o1", "o3", "o3"]).fraction == 1.0


def test_all_or_nothing_reports_unknown_ids():
    result = grade(ALL_OR_NOTHING, ["o1", "o3", "o7"])
    assert result.fraction == 1.0 and result.valid is False


def test_multiple_accepts_a_single_id_string():
    assert grade(ALL_OR_NOTHING, "o1").fraction == 0.0
    assert grade(WEIGHTED, "o1").fraction == 0.5


def test_weighted_adds_the_chosen_weights():
    assert grade(WEIGHTED, ["o1"]).fraction == 0.5
    full = grade(WEIGHTED, ["o1", "o2"])
    assert (full.fraction, full.correct) == (1.0, True)


def test_weighted_negative_weights_clamp_at_zero():
    assert grade(WEIGHTED, ["o1", "o3"]).fraction == 0.0
    assert grade(WEIGHTED, ["o1", "o2", "o3"]).fraction == 0.0
    assert grade(WEIGHTED, ["o3"]).fraction == 0.0


def test_weighted_thirds_make_full_marks():
    full = grade(THIRDS, ["o1", "o2", "o3"])
    assert (full.fraction, full.correct) == (1.0, True)
    assert grade(THIRDS, ["o1", "o2"]).fraction == pytest.approx(0.6666666)
    assert grade(THIRDS, ["o1", "o2", "o3", "o4"]).fraction == 0.0


def test_weighted_sum_above_one_is_clamped():
    generous = Question(id="x", type="multiple", scoring="weighted", text="?", options=(
        Option("o1", "a", correct=True, weight=100), Option("o2", "b", correct=True, weight=60)))
    assert grade(generous, ["o1", "o2"]).fraction == 1.0


def test_multiple_detail_marks_right_options():
    detail = grade(WEIGHTED, ["o3"]).detail
    assert detail == {"o1": {"chosen": False, "correct": True, "fraction": 0.5},
                      "o2": {"chosen": False, "correct": True, "fraction": 0.5},
                      "o3": {"chosen": True, "correct": False, "fraction": -1.0}}


def test_multiple_rejects_other_shapes():
    result = grade(ALL_OR_NOTHING, {"o1": True})
    assert (result.fraction, result.valid) == (0.0, False)


# --------------------------------------------------------------- truefalse


def test_truefalse():
    right = grade(TRUEFALSE, True)
    assert (right.fraction, right.correct, right.feedback) == (1.0, True, ("Tepat.",))
    wrong = grade(TRUEFALSE, False)
    assert (wrong.fraction, wrong.correct, wrong.feedback) == (0.0, False, ("Konteks yang salah juga hoaks.",))


def test_truefalse_from_form_strings():
    assert grade(TRUEFALSE, "true").fraction == 1.0
    assert grade(TRUEFALSE, "False").fraction == 0.0
    assert grade(TRUEFALSE, "mungkin").valid is False


def test_truefalse_false_is_an_answer():
    false_statement = Question(id="f", type="truefalse", text="?", answer=False)
    result = grade(false_statement, False)
    assert (result.answered, result.fraction) == (True, 1.0)


def test_truefalse_feedback_from_gift_follows_moodle():
    # {FALSE#Keliru…#Tepat…}: the first feedback is for the wrong answer (true), the second for the right one.
    question = GIFT["tautan-resmi"]
    assert grade(question, True).feedback == ("Keliru: tautan pun bisa dipalsukan.",)
    assert grade(question, False).feedback == ("Tepat, tautan juga harus dicek.",)


# ------------------------------------------------------------------- short


@pytest.mark.parametrize("typed", ["cekfakta.com", "CekFakta.com", "  CEKFAKTA.COM  ", "cekfakta.com.",
                                   "«cekfakta.com»", "ｃｅｋｆａｋｔａ．ｃｏｍ", "cekfakta.com!!"])
def test_short_full_marks_ignoring_case_width_and_surrounding_punctuation(typed):
    result = grade(SHORT, typed)
    assert (result.fraction, result.correct) == (1.0, True), typed


@pytest.mark.parametrize("typed", ["Cek Fakta.", "cek   fakta", "\"cek fakta\"", "CEK\tFAKTA!"])
def test_short_partial_answer_with_its_feedback(typed):
    result = grade(SHORT, typed)
    assert (result.fraction, result.correct, result.feedback) == (0.5, False, ("Hampir: tulis alamat situsnya.",))
    assert result.detail == {"matched": 1}


def test_short_inner_punctuation_and_spacing_still_count():
    assert grade(SHORT, "cekfakta com").fraction == 0.0
    assert grade(SHORT, "cek-fakta").fraction == 0.0
    assert grade(SHORT, "cekfakta").fraction == 0.0


def test_short_wildcard_answer_with_zero_weight_gives_feedback():
    result = grade(SHORT, "TurnBackHoax.id")
    assert (result.fraction, result.feedback, result.detail) == (0.0, ("Itu situs Mafindo sendiri.",), {"matched": 2})


def test_short_wildcards_and_literal_star():
    question = Question(id="s", type="short", text="?", answers=(
        ShortAnswer("lapor*hoaks"), ShortAnswer("bintang \\* lima", 50), ShortAnswer("*", 0, "Coba lagi.")))
    assert grade(question, "Lapor ke hoaks").fraction == 1.0
    assert grade(question, "laporhoaks").fraction == 1.0
    assert grade(question, "bintang * lima").fraction == 0.5
    assert grade(question, "bintang empat lima").fraction == 0.0
    other = grade(question, "apa saja")
    assert (other.fraction, other.feedback) == (0.0, ("Coba lagi.",))


def test_short_first_matching_answer_wins_as_in_moodle():
    question = Question(id="s", type="short", text="?", answers=(
        ShortAnswer("malang*", 50, "Lebih spesifik."), ShortAnswer("malang kota", 100)))
    assert grade(question, "Malang Kota").fraction == 0.5


def test_short_answer_normalisation():
    assert normalise_text("  Cek\u00a0 Fakta.  ") == "cek fakta"
    assert normalise_text("¿Qué?") == "qué"
    assert normalise_text("ＫＯＴＡ") == "kota"


def test_short_non_text_response_is_invalid():
    assert grade(SHORT, ["cekfakta.com"]).valid is False


# ----------------------------------------------------------------- numeric


@pytest.mark.parametrize("typed, fraction", [
    ("3.12", 1.0), ("3,12", 1.0), ("3.07", 1.0), ("3,17", 1.0), ("3.1701", 0.0), ("3.06", 0.0), (" 3,1 ", 1.0),
])
def test_numeric_tolerance_is_inclusive(typed, fraction):
    assert grade(TOLERANCE, typed).fraction == fraction


@pytest.mark.parametrize("typed, fraction", [("4", 1.0), ("6", 1.0), ("5,5", 1.0), ("3.999", 0.0), ("6,001", 0.0)])
def test_numeric_range_is_inclusive(typed, fraction):
    assert grade(RANGE, typed).fraction == fraction


def test_numeric_partial_credit_and_catch_all_feedback():
    exact = grade(YEARS, "1928")
    assert (exact.fraction, exact.feedback) == (1.0, ("Tepat sekali.",))
    near = grade(YEARS, "1930")
    assert (near.fraction, near.correct, near.feedback) == (0.5, False, ("Hampir, selisih sedikit.",))
    far = grade(YEARS, "1945")
    assert (far.fraction, far.feedback, far.detail) == (0.0, ("Coba buka lagi buku sejarah.",),
                                                        {"value": 1945.0, "matched": 2})


def test_numeric_accepts_numbers_and_rejects_text():
    assert grade(TOLERANCE, 3.12).fraction == 1.0
    assert grade(RANGE, 5).fraction == 1.0
    for typed in ("tiga", "3,1,2", "5 kecamatan", True):
        result = grade(RANGE, typed)
        assert (result.fraction, result.valid) == (0.0, False), typed


def test_numeric_ambiguous_thousands_take_the_better_reading():
    thousand = Question(id="n", type="numeric", text="?", numeric_answers=(NumericAnswer(value=1000),))
    one = Question(id="n", type="numeric", text="?", numeric_answers=(NumericAnswer(value=1),))
    assert grade(thousand, "1.000").fraction == 1.0
    assert grade(one, "1.000").fraction == 1.0
    assert grade(thousand, "1.000,0").fraction == 1.0
    assert grade(one, "1.000,0").fraction == 0.0
    assert grade(thousand, "1000").fraction == 1.0


def test_numeric_negative_numbers():
    question = Question(id="n", type="numeric", text="?", numeric_answers=(NumericAnswer(value=-2.5, tolerance=0.1),))
    assert grade(question, "-2,5").fraction == 1.0
    assert grade(question, "\u22122.45").fraction == 1.0
    assert grade(question, "2,5").fraction == 0.0


@pytest.mark.parametrize("typed, values", [
    ("2,5", (2.5,)), ("2.5", (2.5,)), ("-2,5", (-2.5,)), ("+7", (7.0,)), (",5", (0.5,)), ("5.", (5.0,)),
    ("1.000", (1.0, 1000.0)), ("1,000", (1.0, 1000.0)), ("12.500", (12.5, 12500.0)), ("0.125", (0.125,)),
    ("1234.567", (1234.567,)), ("1.000.000", (1000000.0,)), ("1,000,000", (1000000.0,)),
    ("1.234,5", (1234.5,)), ("1,234.5", (1234.5,)), ("1.234.567,89", (1234567.89,)), ("1 000", (1000.0,)),
    ("1.2.3", ()), ("1,2.3", ()), ("1.23,4.5", ()), ("abc", ()), ("", ()), ("1e3", ()), ("--1", ()), (".", ()),
])
def test_parse_number(typed, values):
    assert parse_number(typed) == values


# ---------------------------------------------------------------- matching


def test_matching_fraction_is_correct_pairs_over_pairs():
    caption, upload, hashtag = (choice_id(MATCHING, t) for t in ("caption", "upload", "hashtag"))
    full = grade(MATCHING, {"p1": caption, "p2": upload, "p3": hashtag})
    assert (full.fraction, full.correct) == (1.0, True)
    two = grade(MATCHING, {"p1": caption, "p2": hashtag, "p3": upload})
    assert two.fraction == pytest.approx(1 / 3)
    one_missing = grade(MATCHING, {"p1": caption, "p2": upload})
    assert one_missing.fraction == pytest.approx(2 / 3)
    assert one_missing.detail["p3"] == {"chosen": None, "correct": False, "answer": hashtag}


def test_matching_same_right_text_for_two_items():
    question = Question(id="m", type="matching", text="?", pairs=(
        Pair("p1", "Facebook", "media sosial"), Pair("p2", "Instagram", "media sosial"), Pair("p3", "Gmail", "surel")))
    social, mail = choice_id(question, "media sosial"), choice_id(question, "surel")
    assert len(matching_choices(question)) == 2
    assert grade(question, {"p1": social, "p2": social, "p3": mail}).fraction == 1.0


def test_matching_invalid_responses():
    assert grade(MATCHING, ["p1"]).valid is False
    result = grade(MATCHING, {"p1": "m-bogus"})
    assert (result.fraction, result.valid) == (0.0, False)
    assert grade(MATCHING, {"p1": None, "p2": ""}).answered is False


# ----------------------------------------------------------------- attempt


def test_grade_attempt_sums_one_point_per_question():
    questions = [SINGLE, WEIGHTED, TRUEFALSE, SHORT, RANGE]
    score, max_score, percent, results = grade_attempt(questions, {
        "pilar": "o1", "ciri-hoaks": ["o1"], "foto": True, "situs-cek-fakta": "cek fakta", "kecamatan": "9"})
    assert (score, max_score, percent) == (3.0, 5.0, 60.0)
    assert results["ciri-hoaks"].fraction == 0.5
    assert list(results) == ["pilar", "ciri-hoaks", "foto", "situs-cek-fakta", "kecamatan"]


def test_grade_attempt_missing_answers_score_zero():
    result = grade_attempt([SINGLE, TRUEFALSE], {"pilar": "o1"})
    assert (result.score, result.percent) == (1.0, 50.0)
    assert result.results["foto"].answered is False
    assert result.passed(50) and not result.passed(70)


def test_grade_attempt_of_nothing():
    assert grade_attempt([], {}) == (0.0, 0.0, 0.0, {})


def test_thirds_add_up_to_a_pass():
    result = grade_attempt([THIRDS] * 1, {"data-pribadi": ["o1", "o2", "o3"]})
    assert result.percent == 100.0 and result.passed(100)


def test_grade_results_serialise_to_json():
    result = grade_attempt([SINGLE, MATCHING, YEARS], {"pilar": "o3", "sumpah-pemuda": "1.930"})
    data = json.loads(json.dumps({qid: r.to_dict() for qid, r in result.results.items()}))
    assert data["pilar"]["fraction"] == 0.5
    assert data["sumpah-pemuda"]["detail"] == {"value": 1930.0, "matched": 1}
