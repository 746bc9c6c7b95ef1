"""export_gift → parse_gift gives the same questions back, for every type and awkward text."""
from __future__ import annotations

import copy

import pytest

from lms.quizzes import GiftExportError, export_gift, parse_gift, parse_quiz_block
from lms.quizzes.questions import NumericAnswer, Option, Pair, Question, ShortAnswer

from .conftest import FakeLines, load_yaml, read_fixture

NASTY = "a~b=c#d{e}f:g\\h\\nI\nbaris baru %20% [html] -- // ✓ «kutip» 'ini' \"itu\""

QUESTIONS = [
    Question(id="single", type="single", text="Pilar terendah?", explanation="Aman bernilai 3,12.", options=(
        Option("o1", "Aman", correct=True, feedback="Benar."), Option("o2", "Budaya", feedback="Tertinggi."),
        Option("o3", "Cakap", weight=50, feedback="Hampir."), Option("o4", "Etis", weight=-33.5), Option("o5", "Lain"))),
    Question(id="single-two-correct", type="single", text="Dua benar?", options=(
        Option("o1", "satu", correct=True), Option("o2", "dua", correct=True))),
    Question(id="multiple-aon", type="multiple", scoring="all_or_nothing", text="Ciri hoaks?", explanation="…",
             options=(Option("o1", "Mendesak", correct=True, feedback="Ya."), Option("o2", "Bersumber"),
                      Option("o3", "Emosional", correct=True), Option("o4", "Resmi", feedback="Bukan."))),
    Question(id="multiple-aon-three", type="multiple", scoring="all_or_nothing", text="Tiga benar?", options=(
        Option("o1", "a", correct=True), Option("o2", "b", correct=True), Option("o3", "c", correct=True))),
    Question(id="multiple-weighted", type="multiple", scoring="weighted", text="Data pribadi?", options=(
        Option("o1", "NIK", correct=True, weight=33.33333), Option("o2", "HP", correct=True, weight=33.33333),
        Option("o3", "Alamat", correct=True, weight=33.33334, feedback="Ya."),
        Option("o4", "Kota", weight=-100.0), Option("o5", "Cuaca", weight=0.0))),
    Question(id="tf-true", type="truefalse", text="Benar?", answer=True),
    Question(id="tf-false-feedback", type="truefalse", text="Salah?", answer=False, feedback_true="Keliru.",
             feedback_false="Tepat.", explanation="Karena."),
    Question(id="tf-right-only", type="truefalse", text="Benar?", answer=True, feedback_true="Tepat."),
    Question(id="tf-wrong-only", type="truefalse", text="Benar?", answer=True, feedback_false="Keliru."),
    Question(id="tf-false-right-only", type="truefalse", text="Salah?", answer=False, feedback_false="Tepat."),
    Question(id="short", type="short", text="Situs?", explanation="cekfakta.com", answers=(
        ShortAnswer("cekfakta.com"), ShortAnswer("cek fakta", 50, "Hampir."), ShortAnswer("turnback*", 0, "Bukan."),
        ShortAnswer("bintang \\* lima", 25))),
    Question(id="short-looks-like-true", type="short", text="Huruf?", answers=(ShortAnswer("T"),)),
    Question(id="short-true-with-feedback", type="short", text="Kata?", answers=(ShortAnswer("TRUE", 100, "ya"),)),
    Question(id="numeric", type="numeric", text="Nilai?", explanation="3,12", numeric_answers=(
        NumericAnswer(value=3.12, tolerance=0.05, feedback="Tepat."), NumericAnswer(min=3.0, max=3.3, weight=50),
        NumericAnswer(value=-2.5, weight=10), NumericAnswer(value=1e-7), NumericAnswer(value=12345678901234.5),
        NumericAnswer(weight=0, feedback="Coba lagi."))),
    Question(id="numeric-plain", type="numeric", text="Jumlah kecamatan?", numeric_answers=(NumericAnswer(value=5),)),
    Question(id="numeric-range", type="numeric", text="Kira-kira?", numeric_answers=(NumericAnswer(min=-1, max=1),)),
    Question(id="numeric-empty-catch-all", type="numeric", text="?", numeric_answers=(
        NumericAnswer(value=1), NumericAnswer(weight=0))),
    Question(id="matching", type="matching", text="Pasangkan.", explanation="Badan Bahasa.", pairs=(
        Pair("p1", "takarir", "caption"), Pair("p2", "unggah", "upload"), Pair("p3", "tagar", "hashtag -> #"))),
    Question(id="missing-word", type="single", text="Kabar sebaiknya _____ sebelum dibagikan.", options=(
        Option("o1", "dicek", correct=True), Option("o2", "disebar"))),
    Question(id="blank-at-end", type="short", text="Ibu kota Jawa Timur adalah _____", answers=(ShortAnswer("Surabaya"),)),
    Question(id="blank-at-start", type="numeric", text="_____ adalah jumlah kecamatan di Malang.",
             numeric_answers=(NumericAnswer(value=5),)),
    Question(id="two-blanks", type="short", text="_____ dan _____ itu.", answers=(ShortAnswer("a"),)),
    Question(id="text-starts-with-marker", type="single", text="[html] bukan format", text_format="moodle",
             options=(Option("o1", "[plain] juga bukan", correct=True, feedback="[markdown] pun"),
                      Option("o2", "%50% diskon"), Option("o3", "%"))),
    Question(id="percent-first-correct", type="single", text="?", options=(
        Option("o1", "%50% benar", correct=True), Option("o2", "salah"))),
    Question(id="nasty-single", type="single", text=NASTY, explanation=NASTY, text_format="html", options=(
        Option("o1", NASTY, correct=True, feedback=NASTY), Option("o2", "biasa", feedback=NASTY))),
    Question(id="nasty-weighted", type="multiple", scoring="weighted", text=NASTY, options=(
        Option("o1", NASTY, correct=True, weight=100, feedback=NASTY), Option("o2", "x~y", weight=-50))),
    Question(id="nasty-tf", type="truefalse", text=NASTY, answer=False, feedback_true=NASTY, feedback_false=NASTY,
             explanation=NASTY),
    Question(id="nasty-short", type="short", text=NASTY, answers=(ShortAnswer("a~b=c#d{e}f:g\\h"),
                                                                  ShortAnswer("x", 50, "y=z#w"))),
    Question(id="nasty-numeric", type="numeric", text=NASTY, numeric_answers=(NumericAnswer(value=1, feedback=NASTY),)),
    Question(id="nasty-matching", type="matching", text=NASTY, pairs=(
        Pair("p1", "a~b=c#d{e}f:g\\h", NASTY), Pair("p2", "[html] x", "y"), Pair("p3", "z", "-> w"))),
    Question(id="markdown-text", type="truefalse", text="**tebal** dan _miring_", text_format="markdown", answer=True),
    Question(id="plain-text", type="truefalse", text="<b>", text_format="plain", answer=True),
]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_round_trip_one_question(question):
    result = parse_gift(export_gift([question]))
    assert [(line, str(m)) for line, m in result.errors] == []
    assert result.skipped == []
    assert result.questions == [question]


def test_round_trip_all_questions_in_one_file_with_a_category():
    text = export_gift(QUESTIONS, category="$course$/Literasi Digital")
    result = parse_gift(text)
    assert result.errors == []
    assert result.questions == QUESTIONS
    assert result.categories == ["$course$/Literasi Digital"]


def test_round_trip_of_the_fixture():
    original = parse_gift(read_fixture("every-construct.gift")).questions
    assert parse_gift(export_gift(original)).questions == original


def test_round_trip_of_the_authoring_example_with_three_pairs():
    data = copy.deepcopy(load_yaml("authoring-example.yaml"))
    data["questions"][5]["pairs"].append({"left": "tagar", "right": "hashtag"})
    quiz, errors = parse_quiz_block(data, FakeLines())
    assert errors == []
    assert parse_gift(export_gift(quiz.questions)).questions == list(quiz.questions)


def test_export_looks_like_moodle_gift():
    text = export_gift([QUESTIONS[0], QUESTIONS[2], QUESTIONS[6]])
    assert text == (
        "::single:: [markdown]Pilar terendah? {\n"
        "\t=Aman#Benar.\n"
        "\t~Budaya#Tertinggi.\n"
        "\t~%50%Cakap#Hampir.\n"
        "\t~%-33.5%Etis\n"
        "\t~Lain\n"
        "\t####Aman bernilai 3,12.\n"
        "}\n"
        "\n"
        "// sinau: scoring=all_or_nothing\n"
        "::multiple-aon:: [markdown]Ciri hoaks? {\n"
        "\t~%50%Mendesak#Ya.\n"
        "\t~%-100%Bersumber\n"
        "\t~%50%Emosional\n"
        "\t~%-100%Resmi#Bukan.\n"
        "\t####…\n"
        "}\n"
        "\n"
        "::tf-false-feedback:: [markdown]Salah? {FALSE#Keliru.#Tepat.####Karena.}\n"
    )


def test_all_or_nothing_reads_as_weighted_without_the_sinau_comment():
    text = export_gift([QUESTIONS[2]]).replace("// sinau: scoring=all_or_nothing\n", "")
    question = parse_gift(text).questions[0]
    assert question.scoring == "weighted"
    assert [o.weight for o in question.options] == [50.0, -100.0, 50.0, -100.0]


def test_matching_with_two_pairs_cannot_be_exported():
    question = Question(id="istilah", type="matching", text="?", pairs=(Pair("p1", "a", "b"), Pair("p2", "c", "d")))
    with pytest.raises(GiftExportError) as caught:
        export_gift([question])
    assert [str(p) for p in caught.value.problems] == ["pertanyaan 'istilah': butuh minimal 3 pasangan"]


def test_arrows_that_gift_cannot_hold():
    short = Question(id="panah", type="short", text="?", answers=(ShortAnswer("a -> b"),))
    left = Question(id="kiri", type="matching", text="?", pairs=(
        Pair("p1", "a -> b", "c"), Pair("p2", "d", "e"), Pair("p3", "f", "g")))
    with pytest.raises(GiftExportError) as caught:
        export_gift([short, left])
    assert [str(p) for p in caught.value.problems] == [
        "pertanyaan 'panah': teks 'a -> b' memuat '->' yang tidak bisa ditulis dalam GIFT",
        "pertanyaan 'kiri': teks 'a -> b' memuat '->' yang tidak bisa ditulis dalam GIFT",
    ]


def test_catch_all_numeric_answer_must_be_last():
    question = Question(id="angka", type="numeric", text="?", numeric_answers=(
        NumericAnswer(weight=0, feedback="lain"), NumericAnswer(value=1)))
    with pytest.raises(GiftExportError):
        export_gift([question])
