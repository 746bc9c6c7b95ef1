from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lms.auth.models import KECAMATAN
from lms.core.forms import ChoiceField, NumberField

KECAMATAN_LABELS = {
    "blimbing": "Blimbing",
    "klojen": "Klojen",
    "kedungkandang": "Kedungkandang",
    "lowokwaru": "Lowokwaru",
    "sukun": "Sukun",
    "luar-kota": _l("Di luar Kota Malang"),
}


def kecamatan_choices():
    return [("", _l("— Pilih kecamatan —"))] + [(k, KECAMATAN_LABELS[k]) for k in KECAMATAN]


class LoginForm(FlaskForm):
    login = StringField(
        _l("Nomor HP atau email"),
        validators=[DataRequired(_l("Isi nomor HP atau email Anda."))],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[DataRequired(_l("Isi kata sandi Anda."))],
        render_kw={"autocomplete": "current-password"},
    )


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Nama lengkap"),
        description=_l("Tulis seperti yang ingin tercetak di sertifikat."),
        validators=[DataRequired(_l("Nama lengkap wajib diisi.")), Length(max=120, message=_l("Nama maksimal 120 karakter."))],
        render_kw={"autocomplete": "name"},
    )
    phone = TelField(
        _l("Nomor HP (WhatsApp)"),
        description=_l("Dipakai untuk masuk. Contoh: 0812 3456 7890."),
        validators=[Optional()],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    email = EmailField(
        _l("Email (boleh dikosongkan)"),
        validators=[Optional(), Length(max=254, message=_l("Email terlalu panjang."))],
        render_kw={"autocomplete": "email", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Kata sandi"),
        description=_l("Minimal 8 karakter. Boleh berupa kalimat dengan spasi."),
        validators=[InputRequired(_l("Buat kata sandi."))],
        render_kw={"autocomplete": "new-password"},
    )
    kecamatan = ChoiceField(
        _l("Kecamatan tempat tinggal"),
        validators=[DataRequired(_l("Pilih kecamatan Anda."))],
    )
    birth_year = NumberField(
        _l("Tahun lahir"),
        description=_l("Contoh: 1968. Membantu pelatih menyesuaikan materi."),
        validators=[InputRequired(_l("Isi tahun lahir Anda."))],
        minimum=1920,
        maximum=date.today().year - 10,
    )
    agency_id = ChoiceField(_l("Perangkat daerah (OPD), bila Anda ASN"), coerce=int, validators=[Optional()])
    consent = BooleanField(
        _l("Saya sudah membaca dan menyetujui pemberitahuan privasi Sinau."),
        validators=[DataRequired(_l("Anda perlu menyetujui pemberitahuan privasi untuk mendaftar."))],
    )

    def __init__(self, agencies, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan.choices = kecamatan_choices()
        self.agency_id.choices = [(0, _l("— Bukan ASN / tidak ada —"))] + [(a.id, a.label) for a in agencies]


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Kata sandi saat ini"),
        validators=[InputRequired(_l("Isi kata sandi saat ini."))],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("Kata sandi baru"),
        description=_l("Minimal 8 karakter. Boleh berupa kalimat dengan spasi."),
        validators=[InputRequired(_l("Buat kata sandi baru."))],
        render_kw={"autocomplete": "new-password"},
    )


class CodeForm(FlaskForm):
    """The 6-digit code of an authenticator app (or, at login, a recovery code)."""

    code = StringField(
        _l("Kode dari aplikasi autentikator"),
        description=_l("6 angka yang tampil di aplikasi, misalnya 123 456."),
        validators=[DataRequired(_l("Ketik kode dari aplikasi autentikator.")), Length(max=32, message=_l("Kode terlalu panjang."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none", "spellcheck": "false"},
    )


class LoginCodeForm(FlaskForm):
    """The second step of a login: an app code or a recovery code (letters too, so no numeric keyboard)."""

    code = StringField(
        _l("Kode verifikasi"),
        description=_l("6 angka dari aplikasi autentikator, atau salah satu kode cadangan Anda (misalnya abcde-fghjk)."),
        validators=[DataRequired(_l("Ketik kode dari aplikasi autentikator.")), Length(max=32, message=_l("Kode terlalu panjang."))],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"},
    )


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(
        _l("Kata sandi saat ini"),
        description=_l("Untuk memastikan ini benar Anda."),
        validators=[InputRequired(_l("Isi kata sandi saat ini."))],
        render_kw={"autocomplete": "current-password"},
    )
