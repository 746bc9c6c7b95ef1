"""Exercise forms: the trainee's submission, the trainer's review with the
rubric (one radio group per criterion), and the gallery consent."""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from lms.exercises.block import Criterion
from lms.exercises.models import APPROVED, REVISE
from lms.exercises.services import FEEDBACK_MAX, GALLERY_NAME_MAX, NOTE_MAX, TEXT_MAX

DECISION_LABELS = {
    APPROVED: _l("Lulus"),
    REVISE: _l("Perlu revisi"),
}


class ChoiceRadioField(RadioField):
    """Radio buttons whose "not a valid choice" message is ours."""

    def pre_validate(self, form):
        if self.data is None:
            return  # InputRequired says what is missing
        if str(self.data) not in {str(value) for value, *_ in self.iter_choices()}:
            raise ValidationError(_l("Pilih salah satu dari daftar."))


class SubmissionForm(FlaskForm):
    link = StringField(
        _l("Tautan video YouTube atau TikTok"),
        description=_l("Buka video Anda, tekan Bagikan, lalu Salin tautan. Contoh: https://youtu.be/… atau https://vm.tiktok.com/…"),
        validators=[Optional()],
        render_kw={"inputmode": "url", "autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    text = TextAreaField(
        _l("Jawaban tertulis"),
        validators=[Optional(), Length(max=TEXT_MAX, message=_l("Jawaban maksimal %(max)d karakter.", max=TEXT_MAX))],
    )
    image = FileField(
        _l("Tangkapan layar"),
        description=_l("Gambar PNG, JPEG atau WebP, maksimal 3 MB. Data lokasi dan info kamera dihapus otomatis."),
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )
    note = TextAreaField(
        _l("Catatan untuk pelatih (boleh kosong)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Catatan maksimal %(max)d karakter.", max=NOTE_MAX))],
        render_kw={"rows": 3},
    )

    def __init__(self, kinds: Sequence[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in ("link", "text", "image"):
            if kind not in kinds:
                delattr(self, kind)


class ReviewForm(FlaskForm):
    feedback = TextAreaField(
        _l("Umpan balik untuk peserta"),
        description=_l("Wajib bila perlu revisi: tulis apa yang sudah baik dan apa yang perlu diperbaiki."),
        validators=[Optional(), Length(max=FEEDBACK_MAX, message=_l("Umpan balik maksimal %(max)d karakter.", max=FEEDBACK_MAX))],
    )
    decision = ChoiceRadioField(
        _l("Keputusan"),
        validators=[InputRequired(_l("Pilih keputusan: lulus atau perlu revisi."))],
    )

    criteria: tuple = ()

    def criterion_fields(self) -> list:
        return [self[f"c{index}"] for index in range(len(self.criteria))]

    def choices(self) -> list[int | None]:
        result = []
        for f in self.criterion_fields():
            try:
                result.append(int(f.data))
            except (TypeError, ValueError):
                result.append(None)
        return result


def review_form(criteria: Sequence[Criterion], *args, **kwargs) -> ReviewForm:
    """A review form with one required radio group per rubric criterion
    (fields c0, c1, …; values are level positions)."""

    class Form(ReviewForm):
        pass

    for index, criterion in enumerate(criteria):
        setattr(Form, f"c{index}", ChoiceRadioField(
            criterion.name, validators=[InputRequired(_l("Pilih satu tingkat untuk kriteria ini."))],
        ))
    Form.criteria = tuple(criteria)
    # Criteria first, then feedback and decision: the order of the page.
    names = [f"c{index}" for index in range(len(criteria))]
    form = Form(*args, **kwargs)
    # Choices are set on the bound fields (values are level positions).
    for index, criterion in enumerate(criteria):
        form[f"c{index}"].choices = [(str(position), level.label) for position, level in enumerate(criterion.levels)]
    form.decision.choices = list(DECISION_LABELS.items())
    form._fields = {name: form._fields[name] for name in [*names, "csrf_token", "feedback", "decision"] if name in form._fields}
    return form


class GalleryForm(FlaskForm):
    name = StringField(
        _l("Nama yang ditampilkan"),
        description=_l("Boleh nama depan atau nama panggilan saja."),
        validators=[DataRequired(_l("Tulis nama yang boleh ditampilkan.")),
                    Length(max=GALLERY_NAME_MAX, message=_l("Nama maksimal %(max)d karakter.", max=GALLERY_NAME_MAX))],
        render_kw={"autocomplete": "nickname"},
    )
    consent = BooleanField(
        _l("Saya setuju video ini ditampilkan di galeri publik Sinau. Saya bisa membatalkannya kapan saja."),
        validators=[DataRequired(_l("Centang persetujuan bila video boleh ditampilkan."))],
    )
