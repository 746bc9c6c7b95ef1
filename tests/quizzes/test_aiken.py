"""Aiken import (Moodle's "Aiken format"): single-choice questions, errors with their line."""
from __future__ import annotations

from lms.quizzes import parse_aiken
from lms.quizzes.questions import Option

from .conftest import read_fixture


def errors(text: str) -> list[tuple[int, str]]:
    return [(line, str(message)) for line, message in parse_aiken(text).errors]


def test_moodle_examples_and_one_more_without_a_blank_line():
    result = parse_aiken(read_fixture("example.aiken"))
    assert result.errors == []
    assert [q.id for q in result.questions] == ["q1", "q2", "q3"]
    first, second, third = result.questions
    assert (first.type, first.text, first.text_format) == ("single", "What is the correct answer to this question?",
                                                           "plain")
    assert first.options == (Option("o1", "Is it this one?"), Option("o2", "Maybe this answer?"),
                             Option("o3", "Possibly this one?"), Option("o4", "Must be this one!", correct=True))
    assert [o.text for o in second.options] == ["Moodle", "ATutor", "Claroline", "Blackboard", "WebCT", "Ilias"]
    assert [o.correct for o in second.options] == [True, False, False, False, False, False]
    assert [o.text for o in third.options if o.correct] == ["Aman Digital"]
    assert result.line_of == {"q1": 1, "q2": 8, "q3": 16}


def test_lowercase_answer_line_and_letter_are_accepted():
    result = parse_aiken("Ibu kota Jawa Timur?\nA. Malang\nB. Surabaya\nanswer: b\n")
    assert result.errors == []
    assert result.questions[0].options[1].correct


def test_question_text_may_span_lines_and_windows_endings():
    result = parse_aiken("Baris satu\r\nbaris dua?\r\nA) ya\r\nB) tidak\r\nANSWER: A\r\n")
    assert result.errors == []
    assert result.questions[0].text == "Baris satu\nbaris dua?"


def test_option_before_the_question():
    assert errors("A. ya\nB. tidak\nANSWER: A\n\nPertanyaan?\nA. ya\nB. tidak\nANSWER: B") == [
        (1, "pertanyaan ke-1: opsi muncul sebelum teks pertanyaan")]
    assert len(parse_aiken("A. ya\nB. tidak\nANSWER: A\n\nPertanyaan?\nA. ya\nB. tidak\nANSWER: B").questions) == 1


def test_letters_must_run_in_order():
    assert errors("Pertanyaan?\nA. satu\nC. dua\nANSWER: A") == [
        (3, "pertanyaan ke-1: huruf opsi harus berurutan, seharusnya B")]


def test_answer_must_name_an_option():
    assert errors("Pertanyaan?\nA. satu\nB. dua\nANSWER: C") == [
        (4, "pertanyaan ke-1: ANSWER harus berisi satu huruf opsi (A sampai B)")]
    assert errors("Pertanyaan?\nA. satu\nB. dua\nANSWER: AB")[0][0] == 4
    assert errors("Pertanyaan?\nA. satu\nB. dua\nANSWER:")[0][0] == 4


def test_two_options_at_least():
    assert errors("Pertanyaan?\nA. satu\nANSWER: A") == [(3, "pertanyaan ke-1: butuh minimal 2 opsi")]


def test_missing_answer_line_before_the_next_question():
    result = parse_aiken("Satu?\nA. a\nB. b\nDua?\nA. a\nB. b\nANSWER: B")
    assert [(line, str(m)) for line, m in result.errors] == [
        (1, "pertanyaan ke-1: baris 'ANSWER: huruf' tidak ditemukan setelah opsi")]
    assert [q.text for q in result.questions] == ["Dua?"]
    assert result.questions[0].id == "q2"


def test_missing_answer_line_at_the_end():
    assert errors("Satu?\nA. a\nB. b\n") == [(1, "pertanyaan ke-1: baris 'ANSWER: huruf' tidak ditemukan setelah opsi")]


def test_answer_line_without_a_question():
    assert errors("ANSWER: A") == [(1, "pertanyaan ke-1: baris ANSWER tanpa pertanyaan")]


def test_option_needs_a_space_after_the_letter():
    # "A.B" is no option: it is read as question text, so the question has no options.
    assert errors("Pertanyaan?\nA.B\nANSWER: A") == [(3, "pertanyaan ke-1: butuh minimal 2 opsi")]
