"""Admin forms: categories and their custom fields."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.forms import email_field, one_line, select_choices
from ..core.models import id_from
from ..tickets.models import FieldType


def field_type_choices() -> list[tuple[str, LazyString]]:
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


def _name(label: LazyString) -> StringField:
    return StringField(label, [DataRequired(_l("This field is required.")), Length(max=120)], filters=[one_line])


class CategoryForm(FlaskForm):
    name_en = _name(_l("Name in English"))
    name_es = _name(_l("Name in Spanish"))
    active = BooleanField(_l("Customers can choose it"), default=True)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "option"


MAX_OPTIONS = 200
OPTION_LABEL_MAX = 100
CHOICE_TYPE_VALUES = (FieldType.SELECT.value, FieldType.MULTISELECT.value)


class OptionForm(Form):
    """One row of a choice question's options. `value` is what answers store: kept when the row is relabelled
    or moved, made from the English label for a new row."""

    value = HiddenField(filters=[one_line])
    en = StringField(_l("English"), filters=[one_line], render_kw={"maxlength": OPTION_LABEL_MAX})
    es = StringField(_l("Spanish"), filters=[one_line], render_kw={"maxlength": OPTION_LABEL_MAX})


def clean_options(rows: list[dict], existing_values: set[str]) -> list[dict]:
    """The options to store, from the editor's rows in their order. Blank rows are skipped. A row keeps its
    value only if the question already had it (answers refer to it); any other row gets a new value from its
    English label, never one in use."""
    options, labels, kept = [], set(), set()
    for number, row in enumerate(rows, start=1):
        english, spanish = (row.get("en") or "").strip(), (row.get("es") or "").strip()
        if not english and not spanish:
            continue
        if not english:
            raise ValidationError(_l("Option %(n)d has no English label.", n=number))
        if max(len(english), len(spanish)) > OPTION_LABEL_MAX:
            raise ValidationError(_l("Option %(n)d: a label is at most %(max)d characters.", n=number, max=OPTION_LABEL_MAX))
        if english.casefold() in labels:
            raise ValidationError(_l("Option %(n)d repeats the English label of another option.", n=number))
        labels.add(english.casefold())
        value = row.get("value") or ""
        value = value if value in existing_values and value not in kept else ""
        kept.add(value)
        options.append({"value": value, "en": english, "es": spanish or english})
    taken = {o["value"] for o in options}
    for option in options:
        if not option["value"]:
            base = value = slug(option["en"])
            suffix = 2
            while value in taken or value in existing_values:  # a removed option's answers keep their value
                value, suffix = f"{base}-{suffix}", suffix + 1
            option["value"] = value
            taken.add(value)
    return options


def option_rows(formdata: MultiDict) -> list[dict]:
    """The editor's rows as posted (options-N-value/en/es), in the order of N."""
    rows: dict[int, dict] = {}
    for key in formdata:
        prefix, _sep, rest = key.partition("-")
        index, _sep, part = rest.partition("-")
        if prefix == "options" and (number := id_from(index)) is not None and part in ("value", "en", "es"):
            rows.setdefault(number, {})[part] = formdata.get(key, "")
    return [rows[i] for i in sorted(rows)][:MAX_OPTIONS]


def apply_option_action(formdata: MultiDict, action: str) -> tuple[MultiDict, str | None]:
    """Add, remove or move a row of the options editor (a button, with or without JavaScript). Returns the
    form data with the rows renumbered, and the id of the input to focus next."""
    rows = option_rows(formdata)
    verb, _sep, raw_index = action.partition("-")
    index = id_from(raw_index)
    index = -1 if index is None else index
    focus = None
    if verb == "add" and len(rows) < MAX_OPTIONS:
        rows.append({"value": "", "en": "", "es": ""})
        focus = f"options-{len(rows) - 1}-en"
    elif verb == "remove" and 0 <= index < len(rows):
        del rows[index]
        focus = "options-add"
    elif verb in ("up", "down") and 0 <= index < len(rows):
        target = index - 1 if verb == "up" else index + 1
        if 0 <= target < len(rows):
            rows[index], rows[target] = rows[target], rows[index]
            first_or_last = target == 0 if verb == "up" else target == len(rows) - 1
            focus = f"options-{target}-{('down' if verb == 'up' else 'up') if first_or_last else verb}"
    data = MultiDict([(k, v) for k, v in formdata.items(multi=True) if not k.startswith("options-") and k != "options_action"])
    for number, row in enumerate(rows):
        for part in ("value", "en", "es"):
            data.add(f"options-{number}-{part}", row.get(part, ""))
    return data, focus


class FieldForm(FlaskForm):
    type = SelectField(_l("Type"), choices=lambda: select_choices(field_type_choices()))
    label_en = StringField(_l("Label in English"), [DataRequired(_l("This field is required.")), Length(max=200)], filters=[one_line])
    label_es = StringField(_l("Label in Spanish"), [DataRequired(_l("This field is required.")), Length(max=200)], filters=[one_line])
    help_en = StringField(_l("Help text in English"), [Length(max=500)], filters=[one_line])
    help_es = StringField(_l("Help text in Spanish"), [Length(max=500)], filters=[one_line])
    options = FieldList(FormField(OptionForm), label=_l("Options"), max_entries=MAX_OPTIONS)
    min_value = StringField(_l("Smallest number"), [Optional(), Length(max=20)], filters=[one_line])
    max_value = StringField(_l("Largest number"), [Optional(), Length(max=20)], filters=[one_line])
    is_required = BooleanField(_l("Required"))
    is_agent_only = BooleanField(_l("Agents only (customers never see it)"))

    # The option values the question already has (set by the view when editing): only these may be kept.
    existing_values: frozenset = frozenset()
    # Filled in by validation (a number field's limits may be empty, so their validators may not run).
    parsed_options: list = []  # noqa: RUF012
    min_number: float | None = None
    max_number: float | None = None

    @property
    def option_errors(self) -> list[str]:
        return [str(error) for error in self.options.errors if not isinstance(error, dict)]  # not the rows' own

    def validate_options(self, field: FieldList) -> None:
        if self.type.data not in CHOICE_TYPE_VALUES:
            self.parsed_options = []
            return
        self.parsed_options = clean_options([entry.data for entry in field], set(self.existing_values))
        if not self.parsed_options:
            raise ValidationError(_l("A choice needs at least one option."))

    def _number(self, field: StringField) -> float | None:
        if not field.data or self.type.data != FieldType.NUMBER.value:
            return None
        try:
            value = float(field.data.replace(",", "."))
        except ValueError:
            raise ValidationError(_l("Please enter a number, like 12 or 12.5.")) from None
        if value != value or abs(value) > 1e15:
            raise ValidationError(_l("Please enter a number, like 12 or 12.5."))
        return value

    def validate_min_value(self, field: StringField) -> None:
        self.min_number = self._number(field)

    def validate_max_value(self, field: StringField) -> None:
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


def role_labels() -> dict[str, LazyString]:
    return {"owner": _l("Owner"), "admin": _l("Admin"), "agent": _l("Agent")}


class InviteForm(FlaskForm):
    """Invite someone onto the staff; the view fills the role choices the policy allows and the teams."""

    name = StringField(_l("Name"), [DataRequired(_l("This field is required.")), Length(max=120)], filters=[one_line])
    email = email_field()
    role = SelectField(_l("Role"))
    team_ids = SelectMultipleField(_l("Teams"), coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class StaffMemberForm(FlaskForm):
    """A staff member's role and teams."""

    role = SelectField(_l("Role"))
    team_ids = SelectMultipleField(_l("Teams"), coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class ReassignForm(FlaskForm):
    """Give a ticket of a staff member to someone else (0: nobody)."""

    assignee_id = SelectField(_l("Reassign to"), coerce=int)
