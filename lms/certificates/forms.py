"""Certificate forms: revoking, the design an admin edits, the serial lookup."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

MAX_IMAGE_BYTES = 2 * 1024 * 1024


def _max(n: int):
    return Length(max=n, message=_l("Maksimal %(n)d karakter.", n=n))


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Alasan pencabutan"),
        description=_l("Tampil di halaman verifikasi dan tercatat di log audit. Contoh: nama salah tulis."),
        validators=[DataRequired(_l("Tulis alasan pencabutan.")), _max(300)],
    )
    reissue = BooleanField(
        _l("Terbitkan sertifikat pengganti (nomor dan kode baru, dengan nama peserta saat ini)"),
    )
    confirm = BooleanField(_l("Saya yakin ingin mencabut sertifikat ini."))

    def validate_confirm(self, field):
        if not field.data:
            raise ValidationError(_l("Centang untuk mengonfirmasi pencabutan."))


class _ImageField(FileField):
    """A PNG/JPEG upload; the service checks the content and re-encodes it."""

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("render_kw", {"accept": "image/png,image/jpeg"})
        super().__init__(label, **kwargs)

    def upload(self) -> bytes | None:
        data = self.data
        if not data or not getattr(data, "filename", ""):
            return None
        return data.read(MAX_IMAGE_BYTES + 1)

    def pre_validate(self, form):
        data = self.data
        if data and getattr(data, "filename", ""):
            data.seek(0, 2)
            size = data.tell()
            data.seek(0)
            if size > MAX_IMAGE_BYTES:
                raise ValidationError(_l("Gambar maksimal 2 MB."))


class DesignForm(FlaskForm):
    heading = StringField(_l("Judul"), validators=[DataRequired(_l("Isi judul sertifikat.")), _max(80)])
    heading_en = StringField(_l("Judul (bahasa Inggris)"), validators=[DataRequired(_l("Isi judul dalam bahasa Inggris.")), _max(80)])
    awarded = StringField(_l("Kalimat sebelum nama"), validators=[DataRequired(_l("Isi kalimat sebelum nama.")), _max(80)])
    awarded_en = StringField(
        _l("Kalimat sebelum nama (bahasa Inggris)"), validators=[DataRequired(_l("Isi kalimat dalam bahasa Inggris.")), _max(80)]
    )
    body = TextAreaField(
        _l("Isi"),
        description=_l("Penanda yang bisa dipakai: {programme}, {wave}, {stage}, {dates}, {hours}."),
        validators=[DataRequired(_l("Isi teks sertifikat.")), _max(600)],
    )
    body_en = TextAreaField(
        _l("Isi (bahasa Inggris)"),
        description=_l("Penanda yang sama; tanggal ditulis dalam bahasa Inggris."),
        validators=[DataRequired(_l("Isi teks dalam bahasa Inggris.")), _max(600)],
    )
    issuer_name = StringField(_l("Nama penanda tangan"), validators=[DataRequired(_l("Isi nama penanda tangan.")), _max(120)])
    issuer_title = StringField(_l("Jabatan penanda tangan"), validators=[DataRequired(_l("Isi jabatan penanda tangan.")), _max(120)])
    place = StringField(_l("Tempat penerbitan"), validators=[DataRequired(_l("Isi tempat, misalnya Malang.")), _max(80)])
    signature = _ImageField(_l("Tanda tangan (PNG atau JPEG, maks. 2 MB)"), description=_l("Sebaiknya PNG berlatar transparan."))
    remove_signature = BooleanField(_l("Hapus tanda tangan"))
    logo = _ImageField(_l("Logo (PNG atau JPEG, maks. 2 MB)"))
    remove_logo = BooleanField(_l("Hapus logo"))
