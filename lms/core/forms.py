"""Form fields whose built-in messages are ours (WTForms ships no Indonesian)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import ValidationError


class ChoiceField(SelectField):
    """A select whose "not a valid choice" message speaks the user's language."""

    def pre_validate(self, form):
        if self.validate_choice and self.choices is not None:
            values = {str(value) for value, *_ in self.iter_choices()}
            if str(self.data) not in values and self.raw_data and self.raw_data[0] not in values:
                raise ValidationError(_l("Pilih salah satu dari daftar."))


class NumberField(StringField):
    """A whole number typed on a phone keypad; `data` is an int or None."""

    def __init__(self, label=None, validators=None, minimum=None, maximum=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw_text:
            if not self.raw_text.isdigit():
                raise ValueError(_l("Tulis angka saja, misalnya 1975."))
            self.data = int(self.raw_text)

    def _value(self):
        return getattr(self, "raw_text", None) or ("" if self.data is None else str(self.data))

    def pre_validate(self, form):
        if self.data is None:
            return
        if self.minimum is not None and self.data < self.minimum or self.maximum is not None and self.data > self.maximum:
            raise ValidationError(_l("Isi angka antara %(lo)d dan %(hi)d.", lo=self.minimum, hi=self.maximum))


class EmptyForm(FlaskForm):
    """Just the CSRF token, for POST buttons."""
