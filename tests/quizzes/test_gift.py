"""GIFT import, construct by construct (examples after Moodle's "GIFT format" documentation)."""
from __future__ import annotations

import pytest

from lms.quizzes import parse_gift
from lms.quizzes.questions import NumericAnswer, Option, Pair, ShortAnswer

from .conftest import read_fixture


def parse_ok(text: str):
    result = parse_gift(text)
    assert [(line, str(m)) for line, m in result.errors] == []
    return result


def one(text: str):
    result = parse_ok(text)
    assert len(result.questions) == 1, result.questions
    return result.questions[0]


def errors(text: str) -> list[tuple[int, str]]:
    result = parse_gift(text)
    return [(line, str(message)) for line, message in result.errors]


# ---------------------------------------------------------- the fixture


@pytest.fixture(scope="module")
def every():
    return parse_gift(read_fixture("every-construct.gift"))


def test_fixture_reads_without_errors_or_warnings(every):
    assert every.errors == [] and every.warnings == []
    assert [q.id for q in every.questions] == [
        "pilar-terendah", "sumber-kabar", "foto-lama", "tautan-resmi", "kata-sandi-sama", "verifikasi-dua-langkah",
        "situs-cek-fakta", "nilai-pilar-aman", "kecamatan", "sumpah-pemuda", "istilah", "ciri-hoaks", "data-pribadi",
        "format-markdown", "format-html", "format-plain", "format-moodle", "tanda-khusus", "baris-ganda", "q20",
        "keamanan-akun-kata-sandi-kuat-nandu", "keamanan-akun-kata-sandi-kuat-nandu-2", "tanya-nomor"]


def test_fixture_skipped_items_are_reported_with_lines(every):
    assert [(line, str(reason)) for line, reason in every.skipped] == [
        (104, "pertanyaan 'Refleksi': soal esai ({}) belum didukung, dilewati"),
        (107, "pertanyaan 'Pengantar': deskripsi tanpa jawaban belum didukung, dilewati"),
    ]


def test_fixture_lines_and_categories(every):
    assert every.line_of["pilar-terendah"] == 8
    assert every.line_of["q20"] == 94
    assert every.line_of["tanya-nomor"] == 110
    assert every.categories == ["$course$/Literasi Digital/Cek Fakta", "$course$/Literasi Digital/Keamanan"]
    assert every.category_of["pilar-terendah"] == "$course$/Literasi Digital/Cek Fakta"
    assert every.category_of["tanya-nomor"] == "$course$/Literasi Digital/Keamanan"


def q(every, qid):
    return next(question for question in every.questions if question.id == qid)


def test_fixture_single_choice_with_feedback_partial_credit_and_general_feedback(every):
    question = q(every, "pilar-terendah")
    assert question.type == "single" and question.text_format == "moodle"
    assert question.text == "Pilar mana yang nilainya paling rendah pada Indeks Literasi Digital 2022?"
    assert question.options == (
        Option("o1", "Aman (Digital Safety)", correct=True, feedback="Benar, nilainya 3,12."),
        Option("o2", "Budaya (Digital Culture)", feedback="Budaya justru paling tinggi."),
        Option("o3", "Cakap (Digital Skills)", weight=50.0, feedback="Hampir: Cakap di urutan ketiga."),
        Option("o4", "Etis (Digital Ethics)"),
    )
    assert question.explanation == "Pilar Aman bernilai 3,12 dari 5."


def test_fixture_missing_word(every):
    question = q(every, "sumber-kabar")
    assert question.text == "Kabar yang belum jelas sumbernya sebaiknya _____ sebelum dibagikan."
    assert [o.text for o in question.options if o.correct] == ["dicek dulu"]


def test_fixture_truefalse_forms(every):
    assert [(q(every, i).answer, q(every, i).feedback_true, q(every, i).feedback_false) for i in (
        "foto-lama", "tautan-resmi", "kata-sandi-sama", "verifikasi-dua-langkah")] == [
        (True, "", ""),
        (False, "Keliru: tautan pun bisa dipalsukan.", "Tepat, tautan juga harus dicek."),
        (False, "", ""),
        (True, "", "Sebaliknya, justru lebih aman."),
    ]
    assert q(every, "tautan-resmi").explanation == "Periksa alamat situsnya huruf demi huruf."


def test_fixture_short_answer(every):
    assert q(every, "situs-cek-fakta").answers == (
        ShortAnswer("cekfakta.com"), ShortAnswer("cek fakta", 50.0, "Hampir: tulis alamat situsnya."),
        ShortAnswer("turnbackhoax*", 0.0, "Itu situs Mafindo sendiri."))


def test_fixture_numeric_forms(every):
    assert q(every, "nilai-pilar-aman").numeric_answers == (NumericAnswer(value=3.12, tolerance=0.05),)
    assert q(every, "kecamatan").numeric_answers == (NumericAnswer(min=4.0, max=6.0),)
    assert q(every, "sumpah-pemuda").numeric_answers == (
        NumericAnswer(value=1928.0, feedback="Tepat sekali."),
        NumericAnswer(value=1928.0, tolerance=2.0, weight=50.0, feedback="Hampir, selisih sedikit."),
        NumericAnswer(weight=0.0, feedback="Coba buka lagi buku sejarah."),
    )


def test_fixture_matching(every):
    assert q(every, "istilah").pairs == (Pair("p1", "takarir", "caption"), Pair("p2", "unggah", "upload"),
                                         Pair("p3", "tagar", "hashtag"))


def test_fixture_weighted_multiple(every):
    question = q(every, "ciri-hoaks")
    assert (question.type, question.scoring) == ("multiple", "weighted")
    assert [(o.weight, o.correct) for o in question.options] == [(50.0, True), (50.0, True), (-100.0, False)]
    assert [o.weight for o in q(every, "data-pribadi").options] == [33.33333, 33.33333, 33.33333, -100.0]


def test_fixture_formats(every):
    assert [(q(every, i).text_format, q(every, i).text) for i in (
        "format-markdown", "format-html", "format-plain", "format-moodle")] == [
        ("markdown", "Apa arti **saring** sebelum sharing?"),
        ("html", "<p>Mana kata sandi yang <b>kuat</b>?</p>"),
        ("plain", "Tulis <b> tidak menjadi tebal di sini."),
        ("moodle", "Format bawaan Moodle."),
    ]


def test_fixture_escapes(every):
    question = q(every, "tanda-khusus")
    assert question.text == ('Di JSON {"a": 1} tanda = bukan ~ atau #.\n'
                             "Baris kedua memakai \\ garis miring terbalik.")
    assert question.options == (Option("o1", "{benar}", correct=True, feedback="umpan # balik"), Option("o2", "a=b"))


def test_fixture_multiline_untitled_and_unicode_titles(every):
    assert q(every, "baris-ganda").text == "Kalimat pertama pertanyaan.\nKalimat kedua pertanyaan."
    assert q(every, "q20").text == "Siapa yang boleh diberi tahu kata sandi akun Anda?"
    assert q(every, "keamanan-akun-kata-sandi-kuat-nandu-2").answer is False


# ------------------------------------------------------------ focused


def test_comments_anywhere_and_slashes_inside_text():
    question = one("// pembuka\n::A:: Buka https://cekfakta.com dulu?\n// di tengah\n{T}\n// penutup\n")
    assert question.text == "Buka https://cekfakta.com dulu?"


def test_comment_only_blocks_and_blank_lines_with_spaces():
    result = parse_ok("// hanya komentar\n\n   \n\t\n::A:: Satu? {T}\n  \n::B:: Dua? {F}")
    assert [q.id for q in result.questions] == ["a", "b"]


def test_windows_line_endings_and_bom():
    result = parse_ok("\ufeff::A:: Satu? {\r\n=ya\r\n~tidak}\r\n\r\n::B:: Dua? {F}\r\n")
    assert [q.id for q in result.questions] == ["a", "b"]
    assert result.questions[0].options[1].text == "tidak"


def test_untitled_questions_are_numbered_by_position():
    result = parse_ok("Satu? {T}\n\n::Dua:: Dua? {T}\n\nTiga? {F}")
    assert [q.id for q in result.questions] == ["q1", "dua", "q3"]


def test_title_without_ascii_falls_back_to_a_number():
    assert one("::日本語:: Pertanyaan? {T}").id == "q1"


def test_escaped_colons_in_titles():
    assert one("::Jam 10\\:00:: Pukul berapa? {=sepuluh}").id == "jam-10-00"


def test_unclosed_title():
    assert errors("::Judul Pertanyaan? {T}") == [(1, "pertanyaan ke-1: judul ::…:: tidak ditutup")]


def test_unknown_format_marker_stays_in_the_text():
    question = one("::A::[rtf] Teks? {T}")
    assert (question.text_format, question.text) == ("moodle", "[rtf] Teks?")


def test_answers_and_feedback_may_carry_a_format_marker():
    question = one("::A::[html] <b>Teks</b>? {=[html]<i>ya</i>#[html]<b>bagus</b> ~tidak}")
    assert question.options[0] == Option("o1", "<i>ya</i>", correct=True, feedback="<b>bagus</b>")


@pytest.mark.parametrize("escaped, plain", [
    ("\\~", "~"), ("\\=", "="), ("\\#", "#"), ("\\{", "{"), ("\\}", "}"), ("\\:", ":"), ("\\\\", "\\"),
    ("\\n", "\n"), ("\\\\n", "\\n"), ("\\*", "\\*"), ("\\x", "\\x"),
])
def test_each_escape(escaped, plain):
    question = one(f"::A:: a{escaped}b {{=a{escaped}b#c{escaped}d ~lain}}")
    assert question.text == f"a{plain}b"
    assert (question.options[0].text, question.options[0].feedback) == (f"a{plain}b", f"c{plain}d")


def test_missing_word_puts_a_blank_where_the_answers_were():
    question = one("Moodle costs {~lots of money =nothing ~a small amount} to download.")
    assert question.text == "Moodle costs _____ to download."


def test_answers_before_closing_punctuation_make_a_blank():
    assert one("Grant is buried in {=Grant's tomb ~Kansas}.").text == "Grant is buried in _____."


def test_answers_at_the_end_make_no_blank():
    assert one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}").text == "Who's buried in Grant's tomb?"


def test_missing_word_works_for_other_types():
    assert one("Sumpah Pemuda diikrarkan tahun {#1928} di Jakarta.").text == (
        "Sumpah Pemuda diikrarkan tahun _____ di Jakarta.")
    assert one("Ibu kota Jawa Timur adalah {=Surabaya}.").type == "short"


def test_multichoice_weights_negative_and_decimal():
    question = one("::A:: Pilih? {~%50%satu ~%50%dua ~%-50%tiga ~%-100%empat ~%0%lima}")
    assert [o.weight for o in question.options] == [50.0, 50.0, -50.0, -100.0, 0.0]
    assert question.scoring == "weighted"


def test_decimal_weights_with_leading_point():
    question = one("::A:: Pilih? {~%99.5%satu ~%.5%dua ~%-.5%tiga}")
    assert [o.weight for o in question.options] == [99.5, 0.5, -0.5]


def test_single_choice_with_partial_and_full_tilde_weights():
    question = one("::A:: Pilih? {=satu ~%100%dua ~%25%tiga ~%-25%empat ~lima}")
    assert question.type == "single"
    assert [(o.correct, o.weight) for o in question.options] == [
        (True, None), (True, None), (False, 25.0), (False, -25.0), (False, None)]


def test_weight_out_of_range():
    assert errors("::A:: Pilih? {~%150%satu ~%50%dua}") == [
        (1, "pertanyaan 'A', opsi ke-1: bobot 150 di luar rentang -100 sampai 100")]


def test_weighted_multiple_must_add_up_to_100():
    assert errors("::A:: Pilih? {~%50%satu ~%40%dua ~%-100%tiga}") == [
        (1, "pertanyaan 'A': jumlah bobot positif harus 100 (sekarang 90)")]


def test_multiple_choice_without_any_credit():
    assert errors("::A:: Pilih? {~satu ~dua}") == [(1, "pertanyaan 'A': jumlah bobot positif harus 100 (sekarang 0)")]


def test_weight_after_equals_is_ignored_with_a_warning():
    result = parse_ok("::A:: Pilih? {=%50%satu ~dua}")
    assert result.questions[0].options[0] == Option("o1", "%50%satu", correct=True)
    assert [(line, str(m)) for line, m in result.warnings] == [
        (1, "pertanyaan 'A', opsi ke-1: bobot setelah '=' diabaikan; '=' selalu berarti jawaban benar penuh")]


def test_feedback_per_answer_with_spaces_as_in_moodle_docs():
    question = one("What's between orange and green in the spectrum?\n"
                   "{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }")
    assert [(o.text, o.feedback) for o in question.options] == [
        ("yellow", "right; good!"), ("red", "wrong, it's yellow"), ("blue", "wrong, it's yellow")]


def test_general_feedback_for_every_type():
    texts = ["A? {=a ~b ####Umum.}", "A? {T####Umum.}", "A? {=a =b####Umum.}", "A? {#5####Umum.}",
             "A? {=a -> 1 =b -> 2 =c -> 3 ####Umum.}", "A? {~%50%a ~%50%b####Umum.}"]
    for text in texts:
        assert one(text).explanation == "Umum.", text


def test_text_before_the_first_choice_marker_is_an_error():
    assert errors("::A:: Pilih? {satu ~dua =tiga}") == [
        (1, "pertanyaan 'A', opsi ke-1: setiap jawaban pilihan harus diawali ~ atau =")]


def test_truefalse_feedback_order_follows_moodle():
    question = one("::A:: Bumi datar. {FALSE#Salah, bumi bulat.#Betul!}")
    assert (question.answer, question.feedback_true, question.feedback_false) == (False, "Salah, bumi bulat.", "Betul!")
    question = one("::A:: Bumi bulat. {T#Salah.#Betul!}")
    assert (question.answer, question.feedback_true, question.feedback_false) == (True, "Betul!", "Salah.")


def test_lowercase_true_is_a_short_answer_with_a_warning():
    result = parse_ok("::A:: Bumi bulat. {true}")
    question = result.questions[0]
    assert (question.type, question.answers) == ("short", (ShortAnswer("true"),))
    assert [line for line, _m in result.warnings] == [1]
    assert "huruf besar" in str(result.warnings[0][1])


def test_short_answers_with_weights_and_feedback():
    question = one("::A:: Who's buried in Grant's tomb? {=no one =nobody =%50%Grant#Half right.}")
    assert question.answers == (ShortAnswer("no one"), ShortAnswer("nobody"), ShortAnswer("Grant", 50.0, "Half right."))


def test_short_answer_needs_full_marks_somewhere():
    assert errors("::A:: Siapa? {=%50%setengah}") == [(1, "pertanyaan 'A': minimal satu jawaban harus berbobot 100")]


def test_short_answer_weights_cannot_be_negative():
    assert errors("::A:: Siapa? {=benar =%-50%salah}") == [
        (1, "pertanyaan 'A', jawaban ke-2: bobot -50 di luar rentang 0 sampai 100")]


def test_braces_without_markers_are_a_short_answer_as_in_moodle():
    assert one("::A:: Ibu kota? {Jakarta}").answers == (ShortAnswer("Jakarta"),)


def test_empty_answer_is_an_error():
    assert errors("::A:: Siapa? {=a = =b}") == [(1, "pertanyaan 'A', jawaban ke-2: jawaban kosong")]


def test_numeric_tolerance_range_and_plain_value():
    assert one("::A:: Q? {#3:0.5}").numeric_answers == (NumericAnswer(value=3.0, tolerance=0.5),)
    assert one("::A:: Q? {#1..5}").numeric_answers == (NumericAnswer(min=1.0, max=5.0),)
    assert one("::A:: Q? {#2.5}").numeric_answers == (NumericAnswer(value=2.5),)
    assert one("::A:: Q? {#=1822}").numeric_answers == (NumericAnswer(value=1822.0),)


def test_numeric_negative_numbers_and_exponents():
    assert one("::A:: Q? {#-5..-1}").numeric_answers == (NumericAnswer(min=-5.0, max=-1.0),)
    assert one("::A:: Q? {#-2.5:0.5}").numeric_answers == (NumericAnswer(value=-2.5, tolerance=0.5),)
    assert one("::A:: Q? {#1.5e3}").numeric_answers == (NumericAnswer(value=1500.0),)


def test_numeric_several_answers_as_in_moodle_docs():
    question = one("When was Ulysses S. Grant born? {#\n"
                   "    =1822:0      # Correct! Full credit.\n"
                   "    =%50%1822:2  # He was born in 1822. Half credit for being close.\n}")
    assert question.numeric_answers == (
        NumericAnswer(value=1822.0, feedback="Correct! Full credit."),
        NumericAnswer(value=1822.0, tolerance=2.0, weight=50.0,
                      feedback="He was born in 1822. Half credit for being close."))


def test_numeric_several_answers_in_one_line():
    assert one("::A:: Kapan? {# =2000:0 =%50%2001:1 }").numeric_answers == (
        NumericAnswer(value=2000.0), NumericAnswer(value=2001.0, tolerance=1.0, weight=50.0))


def test_numeric_feedback_for_every_other_answer():
    assert one("::A:: Berapa? {#=5 ~#Bukan, coba hitung lagi.}").numeric_answers == (
        NumericAnswer(value=5.0), NumericAnswer(weight=0.0, feedback="Bukan, coba hitung lagi."))


def test_numeric_errors_name_the_line():
    assert errors("::A:: Q?\n{#\n=1928\n=%50%dua ribu\n}") == [
        (4, "pertanyaan 'A', jawaban ke-2: 'dua ribu' bukan angka (pakai titik untuk desimal, mis. 2.5)")]


def test_numeric_decimal_comma_is_not_gift():
    assert errors("::A:: Q? {#2,5}") == [
        (1, "pertanyaan 'A', jawaban ke-1: '2,5' bukan angka (pakai titik untuk desimal, mis. 2.5)")]


def test_numeric_reversed_range():
    assert errors("::A:: Q? {#5..1}") == [(1, "pertanyaan 'A', jawaban ke-1: rentang '5..1' terbalik, tulis yang kecil dulu")]


def test_numeric_needs_a_number():
    assert errors("::A:: Q? {#}") == [(1, "pertanyaan 'A': tidak ada jawaban angka")]


def test_numeric_needs_full_marks_somewhere():
    assert errors("::A:: Q? {#=%50%5}") == [(1, "pertanyaan 'A': minimal satu jawaban harus berbobot 100")]


def test_matching_as_in_moodle_docs():
    question = one("Match the following countries with their corresponding capitals. {\n"
                   "    =Canada -> Ottawa\n    =Italy  -> Rome\n    =Japan  -> Tokyo\n    =India  -> New Delhi\n}")
    assert [(p.id, p.left, p.right) for p in question.pairs] == [
        ("p1", "Canada", "Ottawa"), ("p2", "Italy", "Rome"), ("p3", "Japan", "Tokyo"), ("p4", "India", "New Delhi")]


def test_matching_needs_three_pairs_as_moodle_documents():
    assert errors("::A:: Which animal eats which food? { =cat -> cat food =dog -> dog food }") == [
        (1, "pertanyaan 'A': butuh minimal 3 pasangan")]


def test_matching_right_side_may_contain_an_arrow():
    question = one("::A:: Panah? {=a -> b -> c =d -> e =f -> g}")
    assert question.pairs[0] == Pair("p1", "a", "b -> c")


def test_matching_pair_errors_point_at_their_line():
    assert errors("::A:: Pasangkan. {\n=a -> 1\n=b 2\n=c -> 3\n}") == [
        (3, "pertanyaan 'A', pasangan ke-2: pasangan harus ditulis =kiri -> kanan")]
    assert errors("::A:: Pasangkan. {\n=a -> 1\n= -> 2\n=c -> 3\n=d -> 4\n}") == [
        (3, "pertanyaan 'A', pasangan ke-2: kedua sisi pasangan harus diisi (pengecoh tanpa pasangan belum didukung)")]


def test_matching_duplicate_left():
    assert errors("::A:: P. {=a -> 1 =A -> 2 =c -> 3}") == [
        (1, "pertanyaan 'A', pasangan ke-2: teks 'A' muncul lebih dari sekali")]


def test_too_few_choices():
    assert errors("::A:: Pilih? {~%100%satu}") == [(1, "pertanyaan 'A': butuh minimal 2 opsi")]


def test_unbalanced_braces_are_reported_at_their_line():
    assert errors("::A:: Pertanyaan\nbaris dua {=a ~b\nbaris tiga") == [
        (2, "pertanyaan 'A': kurung kurawal { dan } tidak berpasangan (tulis \\{ atau \\} untuk kurung biasa)")]
    assert errors("::A:: Pertanyaan }\n{=a ~b}") == [
        (1, "pertanyaan 'A': kurung kurawal { dan } tidak berpasangan (tulis \\{ atau \\} untuk kurung biasa)")]
    assert errors("::A:: Pertanyaan\n{=a {~b}}")[0][0] == 2


def test_two_answer_blocks():
    assert errors("::A:: Satu {=a ~b} dua\n{=c ~d}") == [
        (2, "pertanyaan 'A': hanya boleh satu blok jawaban { } per pertanyaan")]


def test_empty_question_text():
    assert errors("::A:: {=a ~b}") == [(1, "pertanyaan 'A': teks pertanyaan kosong")]


def test_errors_do_not_stop_the_other_questions():
    result = parse_gift("::A:: Rusak {=a\n\n::B:: Baik? {T}\n\n::C:: Rusak {#x}\n\n::D:: Baik? {F}")
    assert [q.id for q in result.questions] == ["b", "d"]
    assert [line for line, _m in result.errors] == [1, 5]
    assert not result.ok


def test_essay_and_description_are_skipped_not_dropped():
    result = parse_gift("// esai\n::Esai:: Tulis pendapat Anda. {}\n\n::Esai dua:: Tulis lagi. {####Umum}\n\n"
                        "Teks pengantar saja.\n\n::Baik:: Benar? {T}")
    assert [q.id for q in result.questions] == ["baik"]
    assert [line for line, _reason in result.skipped] == [2, 4, 6]
    assert result.errors == []


def test_category_lines():
    result = parse_ok("$CATEGORY: tom/dick/harry\n\n::A:: Satu? {T}\n\n$CATEGORY: lain\n::B:: Dua? {F}")
    assert result.categories == ["tom/dick/harry", "lain"]
    assert result.category_of == {"a": "tom/dick/harry", "b": "lain"}


def test_questions_before_any_category_have_none():
    result = parse_ok("::A:: Satu? {T}")
    assert result.category_of == {"a": ""} and result.categories == []


def test_multiline_answers_and_indentation_as_in_moodle_docs():
    question = one("The American holiday of Thanksgiving is celebrated on the {\n"
                   "    ~second\n    ~third\n    =fourth\n} Thursday of November.")
    assert question.text == "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
    assert [o.text for o in question.options] == ["second", "third", "fourth"]


def test_all_or_nothing_directive():
    text = "// sinau: scoring=all_or_nothing\n::A:: Pilih? {~%50%satu ~%50%dua ~%-100%tiga}"
    question = one(text)
    assert (question.type, question.scoring) == ("multiple", "all_or_nothing")
    assert [(o.correct, o.weight) for o in question.options] == [(True, None), (True, None), (False, None)]


def test_directive_belongs_to_its_own_block():
    result = parse_ok("// sinau: scoring=all_or_nothing\n\n::A:: Pilih? {~%50%satu ~%50%dua ~%-100%tiga}")
    assert result.questions[0].scoring == "weighted"
