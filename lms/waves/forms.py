"""Wave forms. Dates and times are typed in Kota Malang time (WIB); the views
convert them to UTC with `services.local_to_utc`."""
from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, DateInput, DateTimeLocalInput, ListWidget, TimeInput

from lms.core.forms import ChoiceField, NumberField

TRACK_LABELS = {
    "umum": _l("Umum"),
    "opd": _l("ASN / OPD"),
    "lansia": _l("Lansia"),
}

STATUS_LABELS = {
    "enrolled": _l("Terdaftar"),
    "waitlisted": _l("Daftar tunggu"),
    "withdrawn": _l("Mengundurkan diri"),
    "removed": _l("Dikeluarkan"),
}

SOURCE_LABELS = {"self": _l("daftar sendiri"), "admin": _l("oleh admin"), "csv": _l("impor CSV")}


class _ParsedField(StringField):
    """A text field parsed with strptime; the error message is ours."""

    formats: tuple[str, ...] = ()
    message = _l("Format tidak dikenali.")

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw_text:
            for fmt in self.formats:
                try:
                    self.data = self._convert(datetime.strptime(self.raw_text, fmt))
                    return
                except ValueError:
                    continue
            raise ValueError(self.message)

    def _convert(self, value: datetime):
        return value

    def _value(self):
        if getattr(self, "raw_text", None):
            return self.raw_text
        return "" if self.data is None else self.data.strftime(self.formats[0])


class LocalDateField(_ParsedField):
    widget = DateInput()
    formats = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
    message = _l("Tulis tanggal seperti 17/08/2026.")

    def _convert(self, value: datetime) -> date:
        return value.date()


class LocalDateTimeField(_ParsedField):
    widget = DateTimeLocalInput()
    formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")
    message = _l("Tulis tanggal dan jam seperti 17/08/2026 08:00.")


class LocalTimeField(_ParsedField):
    widget = TimeInput()
    formats = ("%H:%M", "%H.%M", "%H:%M:%S")
    message = _l("Tulis jam seperti 08:30.")

    def _convert(self, value: datetime) -> time:
        return value.time()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        if self.data and self.choices is not None:
            values = {value for value, *_ in self.iter_choices()}
            if any(self.coerce(v) not in {self.coerce(x) for x in values} for v in self.data):
                raise ValidationError(_l("Pilih salah satu dari daftar."))

    def process_formdata(self, valuelist):
        try:
            self.data = [self.coerce(x) for x in valuelist]
        except ValueError:
            raise ValueError(_l("Pilih salah satu dari daftar.")) from None


class WaveForm(FlaskForm):
    name = StringField(
        _l("Nama gelombang"),
        description=_l("Contoh: Gelombang 3 — Tahap 1."),
        validators=[DataRequired(_l("Isi nama gelombang.")), Length(max=120, message=_l("Maksimal 120 karakter."))],
    )
    programme = StringField(
        _l("Program"),
        description=_l("Contoh: Pelatihan Influencer Kota Malang 2026."),
        validators=[DataRequired(_l("Isi nama program.")), Length(max=200, message=_l("Maksimal 200 karakter."))],
    )
    stage = NumberField(_l("Tahap"), validators=[InputRequired(_l("Isi tahap, misalnya 1."))], minimum=1, maximum=20, default=1)
    code = StringField(
        _l("Kode gelombang"),
        description=_l("Singkat dan unik, dipakai di nomor sertifikat. Contoh: G03."),
        validators=[DataRequired(_l("Isi kode gelombang.")), Length(max=12, message=_l("Maksimal 12 karakter."))],
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )
    track = ChoiceField(_l("Jalur peserta"), validators=[DataRequired(_l("Pilih jalur."))])
    starts_on = LocalDateField(_l("Tanggal mulai"), validators=[InputRequired(_l("Isi tanggal mulai."))])
    ends_on = LocalDateField(_l("Tanggal selesai"), validators=[InputRequired(_l("Isi tanggal selesai."))])
    venue = StringField(
        _l("Tempat"),
        description=_l("Contoh: Ruang Sidang Balai Kota Malang."),
        validators=[Optional(), Length(max=200, message=_l("Maksimal 200 karakter."))],
    )
    capacity = NumberField(
        _l("Kapasitas (kursi)"), validators=[InputRequired(_l("Isi kapasitas."))], minimum=1, maximum=1000, default=50
    )
    registration_opens_at = LocalDateTimeField(
        _l("Pendaftaran dibuka (WIB)"), description=_l("Kosongkan bila pendaftaran mandiri tidak dibuka."), validators=[Optional()]
    )
    registration_closes_at = LocalDateTimeField(_l("Pendaftaran ditutup (WIB)"), validators=[Optional()])
    hours = NumberField(
        _l("Jumlah jam pelatihan"), description=_l("Dicetak di sertifikat."), validators=[InputRequired(_l("Isi jumlah jam."))],
        minimum=0, maximum=1000, default=0,
    )
    attendance_min_percent = NumberField(
        _l("Kehadiran minimal (%)"), validators=[InputRequired(_l("Isi persentase kehadiran minimal."))],
        minimum=0, maximum=100, default=75,
    )
    quizzes_required = BooleanField(_l("Kuis wajib lulus"), default=True)
    exercises_required = BooleanField(_l("Tugas praktik wajib"), default=True)
    trainer_ids = MultiCheckboxField(_l("Pelatih yang ditugaskan"), coerce=int, validators=[Optional()])
    path_modules = MultiCheckboxField(_l("Jalur belajar"), coerce=str, validators=[Optional()])
    path_text = TextAreaField(
        _l("Jalur belajar"),
        description=_l("Satu modul per baris: kursus/modul, misalnya literasi-digital-dasar/kenali-hoaks."),
        validators=[Optional()],
    )

    def __init__(self, trainers, modules, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.track.choices = list(TRACK_LABELS.items())
        self.trainer_ids.choices = [(t.id, t.name) for t in trainers]
        self.path_modules.choices = [(m.key, m.label) for m in modules]


class SessionForm(FlaskForm):
    title = StringField(
        _l("Judul sesi"),
        description=_l("Contoh: Pertemuan 2 — Membuat video pendek."),
        validators=[DataRequired(_l("Isi judul sesi.")), Length(max=200, message=_l("Maksimal 200 karakter."))],
    )
    day = LocalDateField(_l("Tanggal"), validators=[InputRequired(_l("Isi tanggal sesi."))])
    start_time = LocalTimeField(_l("Jam mulai (WIB)"), validators=[InputRequired(_l("Isi jam mulai."))])
    end_time = LocalTimeField(_l("Jam selesai (WIB)"), validators=[InputRequired(_l("Isi jam selesai."))])


class AnnouncementForm(FlaskForm):
    title = StringField(
        _l("Judul"), validators=[DataRequired(_l("Isi judul pengumuman.")), Length(max=200, message=_l("Maksimal 200 karakter."))]
    )
    body = TextAreaField(
        _l("Isi pengumuman"),
        validators=[DataRequired(_l("Isi pengumuman.")), Length(max=5000, message=_l("Maksimal 5000 karakter."))],
    )


class RemoveForm(FlaskForm):
    reason = TextAreaField(
        _l("Alasan"),
        description=_l("Tercatat di log audit. Contoh: tidak hadir tiga kali berturut-turut."),
        validators=[DataRequired(_l("Tulis alasannya.")), Length(max=300, message=_l("Maksimal 300 karakter."))],
    )


class MoveForm(FlaskForm):
    target = ChoiceField(_l("Pindah ke gelombang"), coerce=int, validators=[DataRequired(_l("Pilih gelombang tujuan."))])

    def __init__(self, waves, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = [(w.id, f"{w.code} — {w.name}") for w in waves]


class ImportForm(FlaskForm):
    file = FileField(
        _l("Berkas CSV"),
        description=_l("Kolom: nama, hp, email, kecamatan, opd, kepala_opd. Pemisah titik koma atau koma, UTF-8."),
        render_kw={"accept": ".csv,text/csv"},
    )

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Pilih berkas CSV."))


class CheckInForm(FlaskForm):
    code = StringField(
        _l("Kode presensi"),
        description=_l("Enam angka yang tampil di layar kelas."),
        validators=[DataRequired(_l("Isi kode dari layar."))],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "maxlength": "9"},
    )
