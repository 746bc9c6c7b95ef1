from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired

from lms.core.forms import ChoiceField

ROLE_LABELS = {"admin": _l("Admin"), "trainer": _l("Pelatih"), "trainee": _l("Peserta")}


class RoleForm(FlaskForm):
    role = ChoiceField(_l("Peran"), validators=[DataRequired(_l("Pilih peran."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = list(ROLE_LABELS.items())
