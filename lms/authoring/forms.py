"""Editor forms: module metadata and body, quiz, exercise, course, image.

The metadata form checks what the module file's front matter must hold, with
messages in Indonesian. The quiz and exercise forms only collect what was
typed: `quiz_data()` / `exercise_data()` turn them into the block data a
```quiz / ```exercise block would hold, and the importer's own validators
judge it (lms.authoring.pipeline.validate_block); each problem comes back to
its field through the path → field-id map these functions return.
`quiz_formdata()` / `exercise_formdata()` go the other way, so a stored
block fills the same forms.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from lms.core.forms import ChoiceField, NumberField
from lms.courses.format import DEFAULT_REVIEW_EVERY, MAX_TITLE, RESERVED_SLUGS, SLUG_RE

TRACK_CHOICES = [("umum", _l("Umum")), ("opd", _l("ASN / OPD")), ("lansia", _l("Lansia"))]
QUESTION_TYPES = [
    ("single", _l("Pilihan ganda (satu jawaban benar)")),
    ("multiple", _l("Pilihan ganda (beberapa jawaban benar)")),
    ("truefalse", _l("Benar atau salah")),
    ("short", _l("Isian singkat")),
    ("numeric", _l("Jawaban angka")),
    ("matching", _l("Menjodohkan")),
]
SCORINGS = [("all_or_nothing", _l("Semua benar atau nol")), ("weighted", _l("Berbobot (nilai sebagian)"))]
SHOW_ANSWERS = [
    ("after_pass", _l("Setelah peserta lulus")),
    ("immediately", _l("Langsung setelah setiap percobaan")),
    ("after_last_attempt", _l("Setelah kesempatan terakhir habis")),
    ("never", _l("Tidak pernah")),
]
TRUEFALSE = [("", _l("— pilih —")), ("true", _l("Benar")), ("false", _l("Salah"))]
SUBMIT_KINDS = [("link", _l("Tautan video (YouTube/TikTok)")), ("text", _l("Jawaban tertulis")),
                ("image", _l("Tangkapan layar"))]



def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s]*$", re.IGNORECASE)

# Spare rows shown under each list so a trainer can add one without a round trip.
SPARE_OPTIONS, SPARE_ANSWERS, SPARE_PAIRS, SPARE_LEVELS, SPARE_SOURCES = 1, 1, 1, 1, 1
NEW_OPTIONS, NEW_ANSWERS, NEW_PAIRS, NEW_LEVELS = 4, 2, 3, 3


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        if self.data and self.choices is not None:
            values = {value for value, *_ in self.iter_choices()}
            if any(v not in values for v in self.data):
                raise ValidationError(_l("Pilih salah satu dari daftar."))


def _real_date(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y-%m-%d" if _DAY.match(text) else "%Y-%m")
    except ValueError:
        return False
    return True


# --- module: metadata and body --------------------------------------------------


class SourceForm(Form):
    title = StringField(_l("Judul sumber"))
    url = StringField(_l("Alamat web (URL)"), render_kw={"inputmode": "url", "autocomplete": "off"})
    date = StringField(_l("Tanggal terbit sumber"), description=_l("TTTT-BB-HH, atau TTTT-BB bila hanya bulannya diketahui."),
                       render_kw={"placeholder": "2026-11-28", "autocomplete": "off"})

    def is_blank(self) -> bool:
        return not any((field.data or "").strip() for field in (self.title, self.url, self.date))


class ModuleForm(FlaskForm):
    title = StringField(_l("Judul modul"), [InputRequired(_l("Tulis judul modul.")),
                                             Length(max=MAX_TITLE, message=_l("Judul maksimal %(max)d karakter."))])
    order = NumberField(_l("Urutan dalam kursus"), [InputRequired(_l("Tulis urutan modul, misalnya 1."))],
                        minimum=0, maximum=9999)
    duration_minutes = NumberField(_l("Perkiraan waktu belajar (menit)"),
                                   [InputRequired(_l("Tulis perkiraan waktu belajar dalam menit."))], minimum=1, maximum=600)
    objectives = TextAreaField(_l("Tujuan belajar"), description=_l("Satu tujuan per baris."),
                               render_kw={"rows": 4})
    tracks = MultiCheckboxField(_l("Untuk jalur"), choices=choices(TRACK_CHOICES))
    time_sensitive = BooleanField(_l("Informasi di modul ini bisa berubah (tampilkan \"cek di aplikasi\")"))
    verified_on = StringField(_l("Fakta terakhir diperiksa pada"), description=_l("TTTT-BB-HH"),
                              render_kw={"type": "date"})
    review_every = NumberField(_l("Periksa ulang setiap (hari)"),
                               [InputRequired(_l("Tulis setiap berapa hari fakta diperiksa ulang."))],
                               minimum=1, maximum=3650, default=DEFAULT_REVIEW_EVERY)
    sources = FieldList(FormField(SourceForm), min_entries=0)
    body = TextAreaField(_l("Isi materi (Markdown)"), render_kw={"rows": 18, "spellcheck": "true", "data-editor-body": ""})
    image = FileField(_l("Unggah gambar"), description=_l("PNG, JPEG atau WebP, maksimal 2 MB."),
                      render_kw={"accept": "image/png,image/jpeg,image/webp"})
    image_alt = StringField(_l("Keterangan gambar"), description=_l("Apa isi gambarnya, untuk pembaca layar."))
    draft_version = HiddenField()
    base_revision = HiddenField()

    def validate_objectives(self, field):
        if not objective_lines(field.data):
            raise ValidationError(_l("Tulis minimal satu tujuan belajar."))

    def validate_tracks(self, field):
        if not field.data:
            raise ValidationError(_l("Pilih minimal satu jalur."))

    def validate_verified_on(self, field):
        text = (field.data or "").strip()
        if not text:
            raise ValidationError(_l("Tulis tanggal fakta terakhir diperiksa."))
        if not _DAY.match(text) or not _real_date(text):
            raise ValidationError(_l("Tulis tanggal seperti 2026-11-28."))

    def validate_sources(self, field):
        for entry in field.entries:
            source = entry.form
            if source.is_blank():
                continue
            title, url, date = ((source.title.data or "").strip(), (source.url.data or "").strip(),
                                (source.date.data or "").strip())
            if not title:
                source.title.errors = [_l("Tulis judul sumber.")]
            if not _URL.match(url):
                source.url.errors = [_l("Tulis alamat web yang diawali http:// atau https://.")]
            if not (_DAY.match(date) or _MONTH.match(date)) or not _real_date(date):
                source.date.errors = [_l("Tulis tanggal seperti 2023-02-01, atau 2023-02.")]
        if any(entry.form.title.errors or entry.form.url.errors or entry.form.date.errors for entry in field.entries):
            raise ValidationError(_l("Periksa sumber yang ditandai."))


def objective_lines(text: str | None) -> list[str]:
    return [line.strip().lstrip("-•*").strip() for line in (text or "").splitlines() if line.strip().lstrip("-•*").strip()]


def module_meta(form: ModuleForm) -> dict:
    """The front matter fields as typed (numbers as numbers when they are numbers)."""
    sources = []
    for entry in form.sources.entries:
        source = entry.form
        if source.is_blank():
            continue
        sources.append({"title": (source.title.data or "").strip(), "url": (source.url.data or "").strip(),
                        "date": (source.date.data or "").strip()})
    return {
        "duration_minutes": _typed(form.duration_minutes),
        "objectives": objective_lines(form.objectives.data),
        "tracks": [t for t, _label in TRACK_CHOICES if t in (form.tracks.data or [])],
        "time_sensitive": bool(form.time_sensitive.data),
        "verified_on": (form.verified_on.data or "").strip(),
        "review_every": _typed(form.review_every),
        "sources": sources,
    }


def _typed(field) -> Any:
    if field.data is not None:
        return field.data
    return getattr(field, "raw_text", "") or ""


def module_formdata(title: str, order: Any, meta: dict, body: str) -> MultiDict:
    data = MultiDict()
    data.add("title", title or "")
    data.add("order", "" if order is None else str(order))
    data.add("duration_minutes", "" if meta.get("duration_minutes") is None else str(meta.get("duration_minutes")))
    data.add("objectives", "\n".join(meta.get("objectives") or []))
    for track in meta.get("tracks") or []:
        data.add("tracks", track)
    if meta.get("time_sensitive"):
        data.add("time_sensitive", "y")
    data.add("verified_on", str(meta.get("verified_on") or ""))
    data.add("review_every", str(meta.get("review_every", DEFAULT_REVIEW_EVERY)))
    for index, source in enumerate(meta.get("sources") or []):
        for key in ("title", "url", "date"):
            data.add(f"sources-{index}-{key}", str(source.get(key) or ""))
    data.add("body", body or "")
    return data


def pad_sources(form: ModuleForm) -> None:
    blanks = sum(1 for entry in form.sources.entries if entry.form.is_blank())
    for _ in range(max(0, SPARE_SOURCES - blanks) + (0 if form.sources.entries else 1)):
        form.sources.append_entry()


# --- quiz -----------------------------------------------------------------------


class OptionForm(Form):
    text = StringField(_l("Teks opsi"))
    correct = BooleanField(_l("Benar"))
    weight = StringField(_l("Bobot (%)"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    feedback = StringField(_l("Umpan balik opsi ini"))


class ShortAnswerForm(Form):
    text = StringField(_l("Jawaban yang diterima"))
    weight = StringField(_l("Nilai (%)"), render_kw={"inputmode": "decimal", "autocomplete": "off", "placeholder": "100"})
    feedback = StringField(_l("Umpan balik"))


class PairForm(Form):
    left = StringField(_l("Kiri"))
    right = StringField(_l("Pasangannya"))


class QuestionForm(Form):
    qid = StringField(_l("Kode pertanyaan"), description=_l("Huruf kecil, angka dan tanda hubung; jangan diubah setelah dipakai."),
                      render_kw={"autocomplete": "off", "autocapitalize": "none"})
    kind = ChoiceField(_l("Jenis pertanyaan"), choices=choices(QUESTION_TYPES), validate_choice=False,
                       render_kw={"data-question-kind": ""})
    text = TextAreaField(_l("Pertanyaan"), render_kw={"rows": 3})
    explanation = TextAreaField(_l("Penjelasan (ditampilkan setelah menjawab)"), render_kw={"rows": 2})
    scoring = ChoiceField(_l("Cara penilaian"), choices=choices(SCORINGS), validate_choice=False)
    tf_answer = ChoiceField(_l("Jawaban yang benar"), choices=choices(TRUEFALSE), validate_choice=False)
    feedback_true = StringField(_l("Umpan balik untuk yang menjawab \"Benar\""))
    feedback_false = StringField(_l("Umpan balik untuk yang menjawab \"Salah\""))
    answer = StringField(_l("Jawaban tepat"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    tolerance = StringField(_l("Toleransi (±)"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    min = StringField(_l("atau dari"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    max = StringField(_l("sampai"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    options = FieldList(FormField(OptionForm))
    answers = FieldList(FormField(ShortAnswerForm))
    pairs = FieldList(FormField(PairForm))
    remove = BooleanField(_l("Hapus pertanyaan ini"))


class QuizForm(Form):
    enabled = BooleanField(_l("Modul ini punya kuis"))
    pass_mark = StringField(_l("Nilai lulus (%)"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    attempts = StringField(_l("Kesempatan per peserta"), description=_l("0 = tidak terbatas."),
                           render_kw={"inputmode": "numeric", "autocomplete": "off"})
    shuffle_questions = BooleanField(_l("Acak urutan pertanyaan"))
    shuffle_options = BooleanField(_l("Acak urutan opsi"))
    draw = StringField(_l("Ambil sekian pertanyaan acak per percobaan"), description=_l("Kosongkan untuk semua pertanyaan."),
                       render_kw={"inputmode": "numeric", "autocomplete": "off"})
    show_answers = ChoiceField(_l("Tampilkan jawaban benar"), choices=choices(SHOW_ANSWERS), validate_choice=False)
    time_limit_minutes = StringField(_l("Batas waktu (menit)"), description=_l("Kosongkan bila tanpa batas waktu."),
                                     render_kw={"inputmode": "numeric", "autocomplete": "off"})
    questions = FieldList(FormField(QuestionForm))


def _text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))


def _multiline(value: Any) -> str:
    return "\n".join(line.rstrip() for line in _text(value).replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def number(text: str) -> Any:
    """"70" → 70, "70,5" → 70.5; anything else stays text (the validator names the field)."""
    text = _text(text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    candidate = text.replace(",", ".")
    if re.fullmatch(r"-?\d+\.\d+", candidate):
        value = float(candidate)
        return int(value) if value == int(value) else value
    return text


def _row_blank(form: Form, names: tuple[str, ...]) -> bool:
    return not any(_text(form[name].data) for name in names)


def quiz_data(form: QuizForm) -> tuple[dict | None, dict[tuple, str]]:
    """The ```quiz block data the form holds (None when the module has no quiz),
    and where each part of it sits in the form (path → field id)."""
    ids: dict[tuple, str] = {(): form.enabled.id}
    if not form.enabled.data:
        return None, ids
    data: dict[str, Any] = {}
    for key in ("pass_mark", "attempts", "draw", "time_limit_minutes"):
        value = _text(form[key].data)
        if value:
            data[key] = number(value)
        ids[(key,)] = form[key].id
    for key in ("shuffle_questions", "shuffle_options"):
        if form[key].data:
            data[key] = True
        ids[(key,)] = form[key].id
    data["show_answers"] = form.show_answers.data or "after_pass"
    ids[("show_answers",)] = form.show_answers.id
    questions: list[dict] = []
    ids[("questions",)] = form.questions.id
    for entry in form.questions.entries:
        question = entry.form
        blank = _row_blank(question, ("qid", "text", "explanation")) and not any(
            _text(o.form.text.data) for o in question.options.entries)
        if question.remove.data or blank:
            continue
        path = ("questions", len(questions))
        ids[path] = entry.id
        qtype = question.kind.data or "single"
        item: dict[str, Any] = {}
        for key, name in (("id", "qid"), ("type", "kind"), ("text", "text")):
            value = _multiline(question[name].data) if name == "text" else _text(question[name].data)
            if key == "type":
                value = qtype
            if value:
                item[key] = value
            ids[path + (key,)] = question[name].id
        if qtype in ("single", "multiple"):
            weighted = qtype == "multiple" and question.scoring.data == "weighted"
            if qtype == "multiple":
                if question.scoring.data and question.scoring.data != "all_or_nothing":
                    item["scoring"] = question.scoring.data
                ids[path + ("scoring",)] = question.scoring.id
            options = []
            ids[path + ("options",)] = question.options.id
            for row in question.options.entries:
                option = row.form
                if _row_blank(option, ("text", "weight", "feedback")) and not option.correct.data:
                    continue
                opath = path + ("options", len(options))
                ids[opath] = row.id
                entry_data: dict[str, Any] = {}
                if _text(option.text.data):
                    entry_data["text"] = _text(option.text.data)
                ids[opath + ("text",)] = option.text.id
                if weighted:
                    if _text(option.weight.data):
                        entry_data["weight"] = number(option.weight.data)
                    ids[opath + ("weight",)] = option.weight.id
                    ids[opath + ("correct",)] = option.weight.id
                else:
                    if option.correct.data:
                        entry_data["correct"] = True
                    ids[opath + ("correct",)] = option.correct.id
                    ids[opath + ("weight",)] = option.correct.id
                if _text(option.feedback.data):
                    entry_data["feedback"] = _text(option.feedback.data)
                ids[opath + ("feedback",)] = option.feedback.id
                options.append(entry_data)
            item["options"] = options
        elif qtype == "truefalse":
            if question.tf_answer.data in ("true", "false"):
                item["answer"] = question.tf_answer.data == "true"
            ids[path + ("answer",)] = question.tf_answer.id
            for key in ("feedback_true", "feedback_false"):
                if _text(question[key].data):
                    item[key] = _text(question[key].data)
                ids[path + (key,)] = question[key].id
        elif qtype == "short":
            answers: list[Any] = []
            ids[path + ("answers",)] = question.answers.id
            for row in question.answers.entries:
                answer = row.form
                if _row_blank(answer, ("text", "weight", "feedback")):
                    continue
                apath = path + ("answers", len(answers))
                ids[apath] = answer.text.id
                weight, feedback = _text(answer.weight.data), _text(answer.feedback.data)
                if (not weight or number(weight) == 100) and not feedback:
                    answers.append(_text(answer.text.data))
                else:
                    value: dict[str, Any] = {"text": _text(answer.text.data)}
                    if weight:
                        value["weight"] = number(weight)
                    if feedback:
                        value["feedback"] = feedback
                    answers.append(value)
                    ids[apath + ("text",)] = answer.text.id
                    ids[apath + ("weight",)] = answer.weight.id
                    ids[apath + ("feedback",)] = answer.feedback.id
            item["answers"] = answers
        elif qtype == "numeric":
            for key in ("answer", "tolerance", "min", "max"):
                if _text(question[key].data):
                    item[key] = number(question[key].data)
                ids[path + (key,)] = question[key].id
        elif qtype == "matching":
            pairs = []
            ids[path + ("pairs",)] = question.pairs.id
            for row in question.pairs.entries:
                pair = row.form
                if _row_blank(pair, ("left", "right")):
                    continue
                ppath = path + ("pairs", len(pairs))
                ids[ppath] = row.id
                value = {}
                for key in ("left", "right"):
                    if _text(pair[key].data):
                        value[key] = _text(pair[key].data)
                    ids[ppath + (key,)] = pair[key].id
                pairs.append(value)
            item["pairs"] = pairs
        explanation = _multiline(question.explanation.data)
        if explanation:
            item["explanation"] = explanation
        ids[path + ("explanation",)] = question.explanation.id
        questions.append(item)
    data["questions"] = questions
    return data, ids


def quiz_formdata(data: dict | None) -> MultiDict:
    """Form values (prefix "quiz") that show a stored ```quiz block."""
    form = MultiDict()
    if not data:
        form.add("quiz-pass_mark", "70")
        form.add("quiz-attempts", "0")
        form.add("quiz-show_answers", "after_pass")
        return form
    form.add("quiz-enabled", "y")
    for key in ("pass_mark", "attempts", "draw", "time_limit_minutes"):
        if data.get(key) is not None:
            form.add(f"quiz-{key}", _shown(data[key]))
    for key in ("shuffle_questions", "shuffle_options"):
        if data.get(key) is True:
            form.add(f"quiz-{key}", "y")
    form.add("quiz-show_answers", str(data.get("show_answers") or "after_pass"))
    for index, question in enumerate(data.get("questions") or []):
        if not isinstance(question, dict):
            continue
        prefix = f"quiz-questions-{index}-"
        form.add(prefix + "qid", _shown(question.get("id")))
        form.add(prefix + "kind", _shown(question.get("type")))
        form.add(prefix + "text", _shown(question.get("text")))
        form.add(prefix + "explanation", _shown(question.get("explanation")))
        form.add(prefix + "scoring", _shown(question.get("scoring") or "all_or_nothing"))
        qtype = question.get("type")
        if qtype == "truefalse" and isinstance(question.get("answer"), bool):
            form.add(prefix + "tf_answer", "true" if question["answer"] else "false")
        for key in ("feedback_true", "feedback_false"):
            if question.get(key) is not None:
                form.add(prefix + key, _shown(question[key]))
        if qtype == "numeric":
            for key in ("answer", "tolerance", "min", "max"):
                if question.get(key) is not None:
                    form.add(prefix + key, _shown(question[key]))
        for number_, option in enumerate(question.get("options") or []):
            if not isinstance(option, dict):
                continue
            oprefix = f"{prefix}options-{number_}-"
            form.add(oprefix + "text", _shown(option.get("text")))
            if option.get("correct") is True:
                form.add(oprefix + "correct", "y")
            if option.get("weight") is not None:
                form.add(oprefix + "weight", _shown(option["weight"]))
            if option.get("feedback") is not None:
                form.add(oprefix + "feedback", _shown(option["feedback"]))
        for number_, answer in enumerate(question.get("answers") or []):
            aprefix = f"{prefix}answers-{number_}-"
            if isinstance(answer, dict):
                form.add(aprefix + "text", _shown(answer.get("text")))
                if answer.get("weight") is not None:
                    form.add(aprefix + "weight", _shown(answer["weight"]))
                if answer.get("feedback") is not None:
                    form.add(aprefix + "feedback", _shown(answer["feedback"]))
            else:
                form.add(aprefix + "text", _shown(answer))
        for number_, pair in enumerate(question.get("pairs") or []):
            if isinstance(pair, dict):
                form.add(f"{prefix}pairs-{number_}-left", _shown(pair.get("left")))
                form.add(f"{prefix}pairs-{number_}-right", _shown(pair.get("right")))
    return form


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def _pad(field_list: FieldList, spare: int, minimum: int = 0) -> None:
    names = None
    blanks = 0
    for entry in field_list.entries:
        names = names or tuple(f.short_name for f in entry.form if f.type in ("StringField", "TextAreaField"))
        if _row_blank(entry.form, names):
            blanks += 1
    wanted = max(spare - blanks, minimum - len(field_list.entries), 0)
    for _ in range(wanted):
        field_list.append_entry()


def pad_quiz(form: QuizForm) -> None:
    """Spare rows under every list, so a trainer can add an option without a round trip."""
    for entry in form.questions.entries:
        question = entry.form
        _pad(question.options, SPARE_OPTIONS, NEW_OPTIONS)
        _pad(question.answers, SPARE_ANSWERS, NEW_ANSWERS)
        _pad(question.pairs, SPARE_PAIRS, NEW_PAIRS)


def add_question(form: QuizForm) -> None:
    form.enabled.data = True
    form.questions.append_entry()
    pad_quiz(form)


# --- exercise -------------------------------------------------------------------


class LevelForm(Form):
    label = StringField(_l("Tingkat"))
    points = StringField(_l("Poin"), render_kw={"inputmode": "numeric", "autocomplete": "off"})


class CriterionForm(Form):
    criterion = StringField(_l("Kriteria"))
    levels = FieldList(FormField(LevelForm))


class ExerciseForm(Form):
    enabled = BooleanField(_l("Modul ini punya tugas praktik"))
    slug = StringField(_l("Kode tugas"), description=_l("Huruf kecil, angka dan tanda hubung."),
                       render_kw={"autocomplete": "off", "autocapitalize": "none"})
    title = StringField(_l("Judul tugas"))
    instructions = TextAreaField(_l("Petunjuk (Markdown)"), render_kw={"rows": 6})
    submit = MultiCheckboxField(_l("Peserta mengirim"), choices=choices(SUBMIT_KINDS))
    tracks = MultiCheckboxField(_l("Wajib untuk jalur"), choices=choices(TRACK_CHOICES),
                                description=_l("Tidak dicentang semua = semua jalur."))
    pass_score = StringField(_l("Skor minimal untuk lulus"), render_kw={"inputmode": "numeric", "autocomplete": "off"})
    rubric = FieldList(FormField(CriterionForm))


def exercise_data(form: ExerciseForm) -> tuple[dict | None, dict[tuple, str]]:
    ids: dict[tuple, str] = {(): form.enabled.id}
    if not form.enabled.data:
        return None, ids
    data: dict[str, Any] = {}
    for key in ("slug", "title"):
        if _text(form[key].data):
            data[key] = _text(form[key].data)
        ids[(key,)] = form[key].id
    instructions = _multiline(form.instructions.data).strip("\n")
    if instructions:
        data["instructions"] = instructions + "\n" if "\n" in instructions else instructions
    ids[("instructions",)] = form.instructions.id
    data["submit"] = [kind for kind, _label in SUBMIT_KINDS if kind in (form.submit.data or [])]
    ids[("submit",)] = form.submit.id
    tracks = [t for t, _label in TRACK_CHOICES if t in (form.tracks.data or [])]
    if tracks:
        data["tracks"] = tracks
    ids[("tracks",)] = form.tracks.id
    rubric = []
    ids[("rubric",)] = form.rubric.id
    for entry in form.rubric.entries:
        criterion = entry.form
        levels_rows = [row for row in criterion.levels.entries if not _row_blank(row.form, ("label", "points"))]
        if not _text(criterion.criterion.data) and not levels_rows:
            continue
        path = ("rubric", len(rubric))
        ids[path] = entry.id
        item: dict[str, Any] = {}
        if _text(criterion.criterion.data):
            item["criterion"] = _text(criterion.criterion.data)
        ids[path + ("criterion",)] = criterion.criterion.id
        levels = []
        ids[path + ("levels",)] = criterion.levels.id
        for row in levels_rows:
            lpath = path + ("levels", len(levels))
            ids[lpath] = row.id
            level: dict[str, Any] = {}
            if _text(row.form.label.data):
                level["label"] = _text(row.form.label.data)
            if _text(row.form.points.data):
                level["points"] = number(row.form.points.data)
            ids[lpath + ("label",)] = row.form.label.id
            ids[lpath + ("points",)] = row.form.points.id
            levels.append(level)
        item["levels"] = levels
        rubric.append(item)
    data["rubric"] = rubric
    if _text(form.pass_score.data):
        data["pass_score"] = number(form.pass_score.data)
    ids[("pass_score",)] = form.pass_score.id
    return data, ids


def exercise_formdata(data: dict | None, default_slug: str = "") -> MultiDict:
    form = MultiDict()
    if not data:
        form.add("exercise-slug", default_slug)
        for kind in ("link",):
            form.add("exercise-submit", kind)
        return form
    form.add("exercise-enabled", "y")
    for key in ("slug", "title", "instructions", "pass_score"):
        if data.get(key) is not None:
            form.add(f"exercise-{key}", _shown(data[key]).rstrip("\n") if key == "instructions" else _shown(data[key]))
    for kind in data.get("submit") or []:
        form.add("exercise-submit", _shown(kind))
    for track in data.get("tracks") or []:
        form.add("exercise-tracks", _shown(track))
    for index, criterion in enumerate(data.get("rubric") or []):
        if not isinstance(criterion, dict):
            continue
        prefix = f"exercise-rubric-{index}-"
        form.add(prefix + "criterion", _shown(criterion.get("criterion")))
        for number_, level in enumerate(criterion.get("levels") or []):
            if isinstance(level, dict):
                form.add(f"{prefix}levels-{number_}-label", _shown(_level_label(level)))
                form.add(f"{prefix}levels-{number_}-points", _shown(level.get("points")))
    return form


def _level_label(level: dict) -> Any:
    """The label, with the pieces YAML split off an unquoted "Ada, sebagian salah" joined back."""
    label = level.get("label")
    if not isinstance(label, str):
        return label
    pieces, collecting = [label.strip()], False
    for key, value in level.items():
        if key == "label":
            collecting = True
        elif key == "points":
            collecting = False
        elif collecting and value is None:
            pieces.append(str(key).strip())
    return ", ".join(p for p in pieces if p)


def pad_exercise(form: ExerciseForm) -> None:
    if not form.rubric.entries:
        form.rubric.append_entry()
    for entry in form.rubric.entries:
        _pad(entry.form.levels, SPARE_LEVELS, NEW_LEVELS)


def add_criterion(form: ExerciseForm) -> None:
    form.enabled.data = True
    form.rubric.append_entry()
    pad_exercise(form)


# --- creating modules and courses -------------------------------------------------


class NewModuleForm(FlaskForm):
    title = StringField(_l("Judul modul"), [InputRequired(_l("Tulis judul modul.")),
                                             Length(max=MAX_TITLE, message=_l("Judul maksimal %(max)d karakter."))])
    slug = StringField(_l("Alamat modul (slug)"),
                       [InputRequired(_l("Tulis alamat modul, misalnya saring-sebelum-sharing."))],
                       description=_l("Huruf kecil, angka dan tanda hubung. Tidak bisa diubah setelah peserta belajar."),
                       render_kw={"autocomplete": "off", "autocapitalize": "none"})
    order = NumberField(_l("Urutan dalam kursus"), [InputRequired(_l("Tulis urutan modul, misalnya 1."))],
                        minimum=0, maximum=9999)

    def validate_slug(self, field):
        check_slug(field)


def check_slug(field) -> None:
    value = (field.data or "").strip()
    field.data = value
    if not SLUG_RE.match(value) or len(value) > 80:
        raise ValidationError(_l("Pakai huruf kecil, angka dan tanda hubung saja, misalnya cek-fakta-dasar."))
    if value in RESERVED_SLUGS:
        raise ValidationError(_l("Alamat ini dipakai sistem; pilih yang lain."))


class CourseForm(FlaskForm):
    title = StringField(_l("Judul kursus"), [InputRequired(_l("Tulis judul kursus.")),
                                              Length(max=MAX_TITLE, message=_l("Judul maksimal %(max)d karakter."))])
    summary = TextAreaField(_l("Ringkasan"), [InputRequired(_l("Tulis ringkasan kursus."))], render_kw={"rows": 2})
    order = NumberField(_l("Urutan di katalog"), [InputRequired(_l("Tulis urutan kursus, misalnya 1."))],
                        minimum=0, maximum=9999)
    tracks = MultiCheckboxField(_l("Untuk jalur"), choices=choices(TRACK_CHOICES))
    estimated_hours = StringField(_l("Perkiraan jam belajar"), [InputRequired(_l("Tulis perkiraan jam belajar."))],
                                  render_kw={"inputmode": "decimal", "autocomplete": "off"})
    cover = StringField(_l("Gambar sampul (nama berkas, boleh kosong)"), [Optional()],
                        render_kw={"autocomplete": "off", "autocapitalize": "none"})
    required_umum = MultiCheckboxField(_l("Modul wajib jalur Umum"), choices=[])
    required_opd = MultiCheckboxField(_l("Modul wajib jalur ASN / OPD"), choices=[])
    required_lansia = MultiCheckboxField(_l("Modul wajib jalur Lansia"), choices=[])
    intro = TextAreaField(_l("Pengantar kursus (Markdown)"), render_kw={"rows": 10, "data-editor-body": ""})
    fingerprint = HiddenField()

    def validate_tracks(self, field):
        if not field.data:
            raise ValidationError(_l("Pilih minimal satu jalur."))

    def validate_estimated_hours(self, field):
        value = number(field.data)
        if isinstance(value, str) or value < 0 or value > 1000:
            raise ValidationError(_l("Tulis angka jam, misalnya 5 atau 1,5."))


class NewCourseForm(CourseForm):
    slug = StringField(_l("Alamat kursus (slug)"),
                       [InputRequired(_l("Tulis alamat kursus, misalnya literasi-digital-dasar."))],
                       description=_l("Huruf kecil, angka dan tanda hubung. Tidak bisa diubah nanti."),
                       render_kw={"autocomplete": "off", "autocapitalize": "none"})

    def validate_slug(self, field):
        check_slug(field)


class RestoreForm(FlaskForm):
    current = HiddenField()
