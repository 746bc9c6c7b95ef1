"""The ```quiz block: the documented example is valid, and every kind of mistake is reported
at the right key path (through a fake `line_of`) with a message naming the question and the field."""
from __future__ import annotations

import copy

import pytest
import yaml

from lms.quizzes import Quiz, parse_quiz_block
from lms.quizzes.questions import NumericAnswer, ShortAnswer

from .conftest import FakeLines, load_yaml

EXAMPLE = load_yaml("authoring-example.yaml")


def example(**changes) -> dict:
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def check(data) -> list[tuple[tuple, str]]:
    lines = FakeLines()
    quiz, errors = parse_quiz_block(data, lines)
    assert quiz is None
    assert errors, "expected errors"
    return [(lines.path(line), str(message)) for line, message in errors]


def only_error(data) -> tuple[tuple, str]:
    errors = check(data)
    assert len(errors) == 1, errors
    return errors[0]


def question(index: int, data: dict | None = None) -> dict:
    return (data or EXAMPLE)["questions"][index]


# ------------------------------------------------------------------ valid


def test_documented_example_is_valid():
    quiz, errors = parse_quiz_block(copy.deepcopy(EXAMPLE), FakeLines())
    assert errors == []
    assert isinstance(quiz, Quiz)
    s = quiz.settings
    assert (s.pass_mark, s.attempts, s.shuffle_questions, s.shuffle_options, s.draw, s.show_answers,
            s.time_limit_minutes) == (70, 0, True, True, 5, "immediately", 15)
    assert [q.id for q in quiz.questions] == ["pilar-terendah", "ciri-hoaks", "foto-lama", "situs-cek-fakta",
                                              "jumlah-kecamatan", "istilah"]
    single = quiz.question("pilar-terendah")
    assert [o.id for o in single.options] == ["o1", "o2", "o3"]
    assert [o.correct for o in single.options] == [True, False, False]
    assert single.options[0].feedback == "Benar, nilainya 3,12."
    assert single.text_format == "markdown"
    assert quiz.question("ciri-hoaks").scoring == "all_or_nothing"
    tf = quiz.question("foto-lama")
    assert (tf.answer, tf.feedback_true, tf.feedback_false) == (True, "Tepat.", "Konteks yang salah juga termasuk hoaks.")
    assert quiz.question("situs-cek-fakta").answers == (ShortAnswer("cekfakta.com"), ShortAnswer("cekfakta"))
    assert quiz.question("jumlah-kecamatan").numeric_answers == (NumericAnswer(value=5.0),)
    assert [(p.id, p.left, p.right) for p in quiz.question("istilah").pairs] == [
        ("p1", "takarir", "caption"), ("p2", "unggah", "upload")]


def test_defaults_when_settings_are_left_out():
    data = {"questions": [question(2)]}
    quiz, errors = parse_quiz_block(data, FakeLines())
    assert errors == []
    s = quiz.settings
    assert (s.pass_mark, s.attempts, s.shuffle_questions, s.shuffle_options, s.draw, s.show_answers,
            s.time_limit_minutes) == (70, 0, False, False, None, "after_pass", None)


def test_weighted_multiple_numeric_forms_and_short_answer_mappings():
    data = {"questions": [
        {"id": "ciri", "type": "multiple", "scoring": "weighted", "text": "Ciri hoaks?", "explanation": "…",
         "options": [{"text": "a", "weight": 50}, {"text": "b", "weight": 50, "feedback": "ya"},
                     {"text": "c", "weight": -100}, {"text": "d"}]},
        {"id": "kira", "type": "numeric", "text": "Berapa?", "explanation": "…", "answer": 2.5, "tolerance": 0.5},
        {"id": "rentang", "type": "numeric", "text": "Berapa?", "explanation": "…", "min": 4, "max": 6},
        {"id": "situs", "type": "short", "text": "Situs?", "explanation": "…",
         "answers": ["cekfakta.com", {"text": "cek fakta", "weight": 50, "feedback": "Hampir."}, 2024]},
    ]}
    quiz, errors = parse_quiz_block(data, FakeLines())
    assert errors == []
    weighted = quiz.question("ciri")
    assert [(o.weight, o.correct) for o in weighted.options] == [(50, True), (50, True), (-100, False), (0, False)]
    assert quiz.question("kira").numeric_answers == (NumericAnswer(value=2.5, tolerance=0.5),)
    assert quiz.question("rentang").numeric_answers == (NumericAnswer(min=4.0, max=6.0),)
    assert quiz.question("situs").answers == (ShortAnswer("cekfakta.com"), ShortAnswer("cek fakta", 50, "Hampir."),
                                              ShortAnswer("2024"))


def test_weights_of_thirds_count_as_one_hundred():
    data = {"questions": [{"id": "tiga", "type": "multiple", "scoring": "weighted", "text": "?", "explanation": "…",
                           "options": [{"text": t, "weight": 33.33} for t in "abc"]}]}
    assert parse_quiz_block(data, FakeLines())[1] == []


def test_texts_are_trimmed_and_integers_read_as_text():
    data = {"questions": [{"id": "tahun", "type": "single", "text": "Tahun?\n", "explanation": " … ",
                           "options": [{"text": 1928, "correct": True}, {"text": "1945"}]}]}
    quiz, errors = parse_quiz_block(data, FakeLines())
    assert errors == []
    q = quiz.question("tahun")
    assert (q.text, q.explanation, q.options[0].text) == ("Tahun?", "…", "1928")


# ------------------------------------------------------ quiz-level errors


def test_block_that_is_not_a_mapping():
    assert only_error(["questions"]) == ((), "kuis: harus berupa pasangan kunci: nilai")


def test_unknown_top_level_key():
    data = example(pas_mark=80)
    assert only_error(data) == (("pas_mark",), "kuis: kunci 'pas_mark' tidak dikenal")


@pytest.mark.parametrize("value", [120, -1, "70", True])
def test_pass_mark_must_be_a_percent(value):
    assert only_error(example(pass_mark=value)) == (("pass_mark",), "kuis: 'pass_mark' harus angka dari 0 sampai 100")


def test_pass_mark_may_have_decimals():
    quiz, errors = parse_quiz_block(example(pass_mark=62.5), FakeLines())
    assert errors == [] and quiz.settings.pass_mark == 62.5


@pytest.mark.parametrize("value", [-1, 1.5, "dua"])
def test_attempts_must_be_a_whole_number(value):
    assert only_error(example(attempts=value)) == (("attempts",), "kuis: 'attempts' harus bilangan bulat minimal 0")


@pytest.mark.parametrize("key", ["shuffle_questions", "shuffle_options"])
def test_shuffles_are_booleans(key):
    assert only_error(example(**{key: "ya"})) == ((key,), f"kuis: '{key}' harus true atau false")


def test_draw_must_be_positive():
    assert only_error(example(draw=0)) == (("draw",), "kuis: 'draw' harus bilangan bulat minimal 1")


def test_draw_cannot_exceed_the_pool():
    assert only_error(example(draw=7)) == (("draw",), "kuis: 'draw' (7) melebihi jumlah pertanyaan (6)")


def test_show_answers_choices():
    assert only_error(example(show_answers="selalu")) == (
        ("show_answers",),
        "kuis: 'show_answers' harus salah satu dari: immediately, after_pass, after_last_attempt, never")


def test_time_limit_must_be_positive():
    assert only_error(example(time_limit_minutes=0)) == (
        ("time_limit_minutes",), "kuis: 'time_limit_minutes' harus bilangan bulat minimal 1")


def test_questions_are_required():
    data = example()
    del data["questions"]
    assert only_error(data) == ((), "kuis: 'questions' wajib diisi")


def test_questions_must_be_a_list():
    assert only_error(example(questions={"id": "a"})) == (("questions",), "kuis: 'questions' harus berupa daftar")


def test_questions_may_not_be_empty():
    data = example(questions=[])
    del data["draw"]
    assert only_error(data) == (("questions",), "kuis: butuh minimal satu pertanyaan")


# -------------------------------------------------- question-level errors


def test_question_that_is_not_a_mapping():
    data = example()
    data["questions"][1] = "ciri-hoaks"
    assert only_error(data) == (("questions", 1), "pertanyaan ke-2: harus berupa pasangan kunci: nilai")


@pytest.mark.parametrize("key", ["id", "type", "text", "explanation"])
def test_required_question_keys(key):
    data = example()
    del question(2, data)[key]
    where = "pertanyaan ke-3" if key == "id" else "pertanyaan 'foto-lama'"
    assert only_error(data) == (("questions", 2), f"{where}: '{key}' wajib diisi")


def test_empty_text_is_reported_at_the_text():
    data = example()
    question(2, data)["text"] = "  "
    assert only_error(data) == (("questions", 2, "text"), "pertanyaan 'foto-lama': 'text' wajib diisi")


def test_text_must_be_text():
    data = example()
    question(2, data)["explanation"] = ["satu", "dua"]
    assert only_error(data) == (("questions", 2, "explanation"),
                                "pertanyaan 'foto-lama': 'explanation' harus berupa teks (beri tanda kutip bila perlu)")


def test_id_must_be_a_slug():
    data = example()
    question(2, data)["id"] = "Foto Lama"
    assert only_error(data) == (("questions", 2, "id"), "pertanyaan 'Foto Lama': id 'Foto Lama' harus berupa slug "
                                                        "(huruf kecil, angka dan tanda hubung)")


def test_ids_are_unique():
    data = example()
    question(3, data)["id"] = "foto-lama"
    assert only_error(data) == (("questions", 3, "id"), "pertanyaan 'foto-lama': id 'foto-lama' sudah dipakai "
                                                        "pertanyaan lain")


def test_unknown_question_key():
    data = example()
    question(2, data)["feedback"] = "Tepat."
    assert only_error(data) == (("questions", 2, "feedback"), "pertanyaan 'foto-lama': kunci 'feedback' tidak dikenal")


def test_keys_of_another_type_are_unknown():
    data = example()
    question(0, data)["answers"] = ["Aman"]
    assert only_error(data) == (("questions", 0, "answers"), "pertanyaan 'pilar-terendah': kunci 'answers' tidak dikenal")


def test_unknown_type():
    data = example()
    question(2, data)["type"] = "essay"
    assert only_error(data) == (("questions", 2, "type"), "pertanyaan 'foto-lama': 'type' harus salah satu dari: "
                                                          "single, multiple, truefalse, short, numeric, matching")


def test_every_problem_is_reported_not_only_the_first():
    data = example(pass_mark=150)
    question(0, data)["options"][1]["correct"] = True
    del question(2, data)["answer"]
    question(4, data)["answer"] = "lima"
    paths = [path for path, _message in check(data)]
    assert set(paths) == {("pass_mark",), ("questions", 0, "options"), ("questions", 2),
                          ("questions", 4, "answer")}


# ----------------------------------------------------------------- options


def test_single_needs_exactly_one_correct_option():
    data = example()
    question(0, data)["options"][1]["correct"] = True
    assert only_error(data) == (("questions", 0, "options"),
                                "pertanyaan 'pilar-terendah': opsi benar harus tepat satu (sekarang 2)")


def test_single_without_a_correct_option():
    data = example()
    del question(0, data)["options"][0]["correct"]
    assert only_error(data) == (("questions", 0, "options"),
                                "pertanyaan 'pilar-terendah': opsi benar harus tepat satu (sekarang 0)")


def test_multiple_needs_a_correct_option():
    data = example()
    for option in question(1, data)["options"]:
        option.pop("correct", None)
    assert only_error(data) == (("questions", 1, "options"), "pertanyaan 'ciri-hoaks': minimal satu opsi harus benar")


def test_at_least_two_options():
    data = example()
    question(0, data)["options"] = question(0, data)["options"][:1]
    assert only_error(data) == (("questions", 0, "options"), "pertanyaan 'pilar-terendah': butuh minimal 2 opsi")


def test_options_are_required_and_a_list():
    data = example()
    del question(0, data)["options"]
    assert only_error(data) == (("questions", 0), "pertanyaan 'pilar-terendah': 'options' wajib diisi")
    question(0, data)["options"] = "Aman, Budaya"
    assert only_error(data) == (("questions", 0, "options"), "pertanyaan 'pilar-terendah': 'options' harus berupa daftar")


def test_option_that_is_not_a_mapping():
    data = example()
    question(0, data)["options"][2] = "Etis"
    assert only_error(data) == (("questions", 0, "options", 2),
                                "pertanyaan 'pilar-terendah', opsi ke-3: harus berupa pasangan kunci: nilai")


def test_option_needs_text():
    data = example()
    del question(0, data)["options"][2]["text"]
    question(0, data)["options"][2]["feedback"] = "…"
    assert only_error(data) == (("questions", 0, "options", 2),
                                "pertanyaan 'pilar-terendah', opsi ke-3: 'text' wajib diisi")


def test_option_text_that_yaml_made_a_number():
    data = example()
    question(0, data)["options"][2]["text"] = 3.12
    assert only_error(data) == (("questions", 0, "options", 2, "text"), "pertanyaan 'pilar-terendah', opsi ke-3: "
                                "'text' harus berupa teks (beri tanda kutip bila perlu)")


def test_unknown_option_key():
    data = example()
    question(0, data)["options"][1]["benar"] = True
    assert only_error(data) == (("questions", 0, "options", 1, "benar"),
                                "pertanyaan 'pilar-terendah', opsi ke-2: kunci 'benar' tidak dikenal")


def test_correct_must_be_boolean():
    data = example()
    question(0, data)["options"][0]["correct"] = "ya"
    assert only_error(data) == (("questions", 0, "options", 0, "correct"),
                                "pertanyaan 'pilar-terendah', opsi ke-1: 'correct' harus true atau false")


def test_duplicate_option_text():
    data = example()
    question(0, data)["options"][2]["text"] = "aman  (digital safety)"
    assert only_error(data) == (("questions", 0, "options", 2, "text"), "pertanyaan 'pilar-terendah', opsi ke-3: "
                                "teks 'aman  (digital safety)' muncul lebih dari sekali")


def test_unknown_scoring():
    data = example()
    question(1, data)["scoring"] = "partial"
    assert only_error(data) == (("questions", 1, "scoring"),
                                "pertanyaan 'ciri-hoaks': 'scoring' harus salah satu dari: all_or_nothing, weighted")


def weighted_question(*weights) -> dict:
    return {"id": "ciri", "type": "multiple", "scoring": "weighted", "text": "?", "explanation": "…",
            "options": [{"text": f"opsi {i}", "weight": w} for i, w in enumerate(weights)]}


def test_weighted_positive_weights_add_up_to_100():
    assert only_error({"questions": [weighted_question(50, 40, -100)]}) == (
        ("questions", 0, "options"), "pertanyaan 'ciri': jumlah bobot positif harus 100 (sekarang 90)")


def test_weight_range():
    assert only_error({"questions": [weighted_question(100, -150)]}) == (
        ("questions", 0, "options", 1, "weight"),
        "pertanyaan 'ciri', opsi ke-2: 'weight' harus angka dari -100 sampai 100")


def test_weighted_options_use_weight_not_correct():
    data = weighted_question(50, 50, 0)
    data["options"][2]["correct"] = False
    assert only_error({"questions": [data]}) == (
        ("questions", 0, "options", 2, "correct"),
        "pertanyaan 'ciri', opsi ke-3: dengan scoring weighted, tandai opsi dengan 'weight', bukan 'correct'")


def test_weight_only_with_weighted_scoring():
    data = example()
    question(0, data)["options"][1]["weight"] = 50
    assert only_error(data) == (("questions", 0, "options", 1, "weight"), "pertanyaan 'pilar-terendah', opsi ke-2: "
                                "'weight' hanya untuk type multiple dengan scoring weighted")


# --------------------------------------------------------- other types


def test_truefalse_needs_a_boolean_answer():
    data = example()
    question(2, data)["answer"] = "benar"
    assert only_error(data) == (("questions", 2, "answer"), "pertanyaan 'foto-lama': 'answer' harus true atau false")
    del question(2, data)["answer"]
    assert only_error(data) == (("questions", 2), "pertanyaan 'foto-lama': 'answer' wajib diisi")


def test_short_needs_answers():
    data = example()
    del question(3, data)["answers"]
    assert only_error(data) == (("questions", 3), "pertanyaan 'situs-cek-fakta': 'answers' wajib diisi")
    question(3, data)["answers"] = []
    assert only_error(data) == (("questions", 3, "answers"), "pertanyaan 'situs-cek-fakta': butuh minimal 1 jawaban")


def test_short_answer_items_are_text():
    data = example()
    question(3, data)["answers"] = ["cekfakta.com", 1.5, "  "]
    assert check(data) == [
        (("questions", 3, "answers", 1),
         "pertanyaan 'situs-cek-fakta', jawaban ke-2: harus berupa teks (beri tanda kutip bila perlu)"),
        (("questions", 3, "answers", 2), "pertanyaan 'situs-cek-fakta', jawaban ke-3: jawaban kosong"),
    ]


def test_short_answer_mapping_is_checked():
    data = example()
    question(3, data)["answers"] = [{"text": "cekfakta.com", "weight": 150, "umpan": "x"}]
    assert check(data) == [
        (("questions", 3, "answers", 0, "umpan"), "pertanyaan 'situs-cek-fakta', jawaban ke-1: kunci 'umpan' tidak dikenal"),
        (("questions", 3, "answers", 0, "weight"),
         "pertanyaan 'situs-cek-fakta', jawaban ke-1: 'weight' harus angka dari 0 sampai 100"),
    ]


def test_short_needs_a_full_mark_answer():
    data = example()
    question(3, data)["answers"] = [{"text": "cek fakta", "weight": 50}]
    assert only_error(data) == (("questions", 3, "answers"),
                                "pertanyaan 'situs-cek-fakta': minimal satu jawaban harus berbobot 100")


def numeric(**keys) -> dict:
    return {"questions": [{"id": "angka", "type": "numeric", "text": "Berapa?", "explanation": "…", **keys}]}


def test_numeric_needs_an_answer_or_a_range():
    assert only_error(numeric()) == (("questions", 0),
                                     "pertanyaan 'angka': isi 'answer' (boleh dengan 'tolerance') atau 'min' dan 'max'")


def test_numeric_answer_and_range_do_not_mix():
    assert only_error(numeric(answer=5, min=4, max=6)) == (
        ("questions", 0), "pertanyaan 'angka': pilih salah satu: 'answer' (dengan 'tolerance') atau 'min' dan 'max'")
    assert only_error(numeric(min=4, max=6, tolerance=1))[0] == ("questions", 0, "tolerance")


def test_numeric_answer_must_be_a_number():
    assert only_error(numeric(answer="2,5")) == (("questions", 0, "answer"),
                                                 "pertanyaan 'angka': 'answer' harus berupa angka")


def test_numeric_tolerance_not_negative():
    assert only_error(numeric(answer=5, tolerance=-1)) == (("questions", 0, "tolerance"),
                                                           "pertanyaan 'angka': 'tolerance' tidak boleh negatif")


def test_numeric_range_needs_both_ends_in_order():
    assert only_error(numeric(min=4)) == (("questions", 0), "pertanyaan 'angka': 'max' wajib diisi")
    assert only_error(numeric(min=6, max=4)) == (("questions", 0, "min"),
                                                 "pertanyaan 'angka': 'min' tidak boleh lebih besar dari 'max'")


def test_matching_needs_two_pairs():
    data = example()
    question(5, data)["pairs"] = question(5, data)["pairs"][:1]
    assert only_error(data) == (("questions", 5, "pairs"), "pertanyaan 'istilah': butuh minimal 2 pasangan")


def test_matching_pairs_need_both_sides():
    data = example()
    del question(5, data)["pairs"][1]["right"]
    assert only_error(data) == (("questions", 5, "pairs", 1),
                                "pertanyaan 'istilah', pasangan ke-2: 'right' wajib diisi")


def test_matching_left_sides_are_unique():
    data = example()
    question(5, data)["pairs"][1]["left"] = "Takarir"
    assert only_error(data) == (("questions", 5, "pairs", 1, "left"),
                                "pertanyaan 'istilah', pasangan ke-2: teks 'Takarir' muncul lebih dari sekali")


def test_unknown_pair_key():
    data = example()
    question(5, data)["pairs"][0]["feedback"] = "…"
    assert only_error(data) == (("questions", 5, "pairs", 0, "feedback"),
                                "pertanyaan 'istilah', pasangan ke-1: kunci 'feedback' tidak dikenal")


# ---------------------------------------------------- with real line numbers


def yaml_line_of(text: str):
    """How a caller maps key paths to lines: walk the composed YAML nodes (1-based lines)."""
    root = yaml.compose(text)

    def line_of(path: tuple) -> int:
        node, line = root, root.start_mark.line + 1
        for key in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == key), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line

    return line_of


def test_errors_point_at_lines_of_the_yaml_text():
    text = """\
pass_mark: 70
questions:
  - id: foto-lama
    type: truefalse
    text: Foto lama bisa menyesatkan.
    answer: benar
    explanation: …
  - id: pilar
    type: single
    text: Pilar terendah?
    explanation: …
    options:
      - text: Aman
        correct: true
      - text: Cakap
        correct: true
"""
    quiz, errors = parse_quiz_block(yaml.safe_load(text), yaml_line_of(text))
    assert quiz is None
    assert [(line, str(message)) for line, message in errors] == [
        (6, "pertanyaan 'foto-lama': 'answer' harus true atau false"),
        (12, "pertanyaan 'pilar': opsi benar harus tepat satu (sekarang 2)"),
    ]


def test_validator_for_the_course_importer_returns_plain_strings():
    from lms.quizzes import validate_quiz_block

    assert validate_quiz_block(copy.deepcopy(EXAMPLE), FakeLines()) == []
    problems = validate_quiz_block(example(draw=0), FakeLines())
    assert problems == [(1000, "kuis: 'draw' harus bilangan bulat minimal 1")]
    assert all(type(message) is str for _line, message in problems)
