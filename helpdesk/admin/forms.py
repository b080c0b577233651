"""Admin forms: categories and their custom fields."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.forms import clean_text, one_line, select_choices
from ..tickets.models import FieldType


def field_type_choices():
    return [
        (FieldType.TEXT.value, _l("Short text")),
        (FieldType.TEXTAREA.value, _l("Long text")),
        (FieldType.NUMBER.value, _l("Number")),
        (FieldType.DATE.value, _l("Date")),
        (FieldType.SELECT.value, _l("Choice (one)")),
        (FieldType.MULTISELECT.value, _l("Choice (several)")),
        (FieldType.CHECKBOX.value, _l("Checkbox")),
        (FieldType.EMAIL.value, _l("Email address")),
        (FieldType.URL.value, _l("Web address")),
    ]


def _name(label):
    return StringField(label, [DataRequired(_l("This field is required.")), Length(max=120)], filters=[one_line])


class CategoryForm(FlaskForm):
    name_en = _name(_l("Name in English"))
    name_es = _name(_l("Name in Spanish"))
    active = BooleanField(_l("Customers can choose it"), default=True)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "option"


def parse_options(text: str) -> list[dict]:
    """Lines of 'English | Español', optionally prefixed 'value: '; the value is what answers store."""
    options, seen = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        value, sep, labels = line.partition(":")
        if not sep or "|" in value or " " in value.strip():
            value, labels = "", line
        english, _, spanish = labels.partition("|")
        english, spanish = english.strip(), spanish.strip()
        value = slug(value.strip() or english)
        if not english:
            raise ValidationError(_l("Line %(n)d has no English label.", n=number))
        if value in seen:
            raise ValidationError(_l("Line %(n)d repeats an option.", n=number))
        seen.add(value)
        options.append({"value": value, "en": english[:100], "es": (spanish or english)[:100]})
    return options


def format_options(options: list[dict]) -> str:
    return "\n".join(f"{o['value']}: {o['en']} | {o['es']}" for o in options or [])


class FieldForm(FlaskForm):
    type = SelectField(_l("Type"), choices=lambda: select_choices(field_type_choices()))
    label_en = StringField(_l("Label in English"), [DataRequired(_l("This field is required.")), Length(max=200)], filters=[one_line])
    label_es = StringField(_l("Label in Spanish"), [DataRequired(_l("This field is required.")), Length(max=200)], filters=[one_line])
    help_en = StringField(_l("Help text in English"), [Length(max=500)], filters=[one_line])
    help_es = StringField(_l("Help text in Spanish"), [Length(max=500)], filters=[one_line])
    options = TextAreaField(
        _l("Options"),
        [Length(max=10_000)],
        filters=[clean_text],
        description=_l("For choices: one per line, as “English | Español”."),
    )
    min_value = StringField(_l("Smallest number"), [Optional(), Length(max=20)], filters=[one_line])
    max_value = StringField(_l("Largest number"), [Optional(), Length(max=20)], filters=[one_line])
    is_required = BooleanField(_l("Required"))
    is_agent_only = BooleanField(_l("Agents only (customers never see it)"))

    # Filled in by validation (a number field's limits may be empty, so their validators may not run).
    parsed_options: list = []  # noqa: RUF012
    min_number: float | None = None
    max_number: float | None = None

    def validate_options(self, field) -> None:
        self.parsed_options = parse_options(field.data)
        if self.type.data in ("select", "multiselect") and not self.parsed_options:
            raise ValidationError(_l("A choice needs at least one option."))

    def _number(self, field):
        if not field.data:
            return None
        try:
            value = float(field.data.replace(",", "."))
        except ValueError:
            raise ValidationError(_l("Please enter a number, like 12 or 12.5.")) from None
        if value != value or abs(value) > 1e15:
            raise ValidationError(_l("Please enter a number, like 12 or 12.5."))
        return value

    def validate_min_value(self, field) -> None:
        self.min_number = self._number(field)

    def validate_max_value(self, field) -> None:
        self.max_number = self._number(field)
        minimum = getattr(self, "min_number", None)
        if minimum is not None and self.max_number is not None and self.max_number < minimum:
            raise ValidationError(_l("The largest number must not be below the smallest."))


class SurveySettingsForm(FlaskForm):
    is_enabled = BooleanField(_l("Send satisfaction surveys after a ticket is resolved"))
    delay_minutes = IntegerField(
        _l("Minutes to wait after the resolution"),
        [InputRequired(_l("This field is required.")), NumberRange(0, 60 * 24 * 30, _l("Between 0 and 43,200 minutes (30 days)."))],
    )
    expiry_days = IntegerField(
        _l("Days the customer can answer"),
        [InputRequired(_l("This field is required.")), NumberRange(1, 365, _l("Between 1 and 365 days."))],
    )
    question_en = StringField(_l("Question in English"), [DataRequired(_l("This field is required.")), Length(max=300)], filters=[one_line])
    question_es = StringField(_l("Question in Spanish"), [DataRequired(_l("This field is required.")), Length(max=300)], filters=[one_line])


class TeamForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(_l("This field is required.")), Length(max=120)], filters=[one_line])
    lead_id = SelectField(_l("Team lead"), coerce=int)
    member_ids = SelectMultipleField(_l("Members"), coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
