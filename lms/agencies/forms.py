from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from lms.core.forms import ChoiceField

KIND_LABELS = {
    "sekretariat": _l("Sekretariat"),
    "inspektorat": _l("Inspektorat"),
    "dinas": _l("Dinas"),
    "badan": _l("Badan"),
    "satpol-pp": _l("Satpol PP"),
    "rsud": _l("RSUD"),
    "kecamatan": _l("Kecamatan"),
    "kelurahan": _l("Kelurahan"),
    "lainnya": _l("Lainnya"),
}


class AgencyForm(FlaskForm):
    abbreviation = StringField(
        _l("Singkatan"),
        validators=[DataRequired(_l("Isi singkatan, misalnya Diskominfo.")), Length(max=40, message=_l("Maksimal 40 karakter."))],
    )
    name = StringField(
        _l("Nama lengkap"),
        validators=[DataRequired(_l("Isi nama lengkap perangkat daerah.")), Length(max=200, message=_l("Maksimal 200 karakter."))],
    )
    kind = ChoiceField(_l("Jenis"), validators=[DataRequired(_l("Pilih jenis."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = list(KIND_LABELS.items())
