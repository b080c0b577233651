"""Custom fields: the WTForms fields a category's questions become, and their answers as stored values."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, Field, Form, SelectField, SelectMultipleField, StringField, TextAreaField, URLField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, DateInput, ListWidget

from ..core.forms import clean_text, one_line, select_choices
from .models import CHOICE_TYPES, CustomField, FieldType

TEXT_MAX, TEXTAREA_MAX = 500, 10_000
Validator = Callable[[Form, Field], None]
EMAIL_MESSAGE = _l("That does not look like an email address (name@example.com).")


def field_name(field: CustomField) -> str:
    return f"field_{field.id}"


def _number(field: CustomField) -> Validator:
    def validate(form: Form, wtfield: Field) -> None:
        raw = (wtfield.data or "").strip()
        if not raw:
            return
        if "," in raw and "." not in raw:  # 12,5 is how Spanish writes 12.5
            raw = raw.replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(_l("Please enter a number, like 12 or 12.5.")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e15"):
            raise ValidationError(_l("Please enter a number, like 12 or 12.5."))
        if field.min_value is not None and number < Decimal(str(field.min_value)):
            raise ValidationError(_l("The smallest allowed value is %(n)s.", n=_plain(field.min_value)))
        if field.max_value is not None and number > Decimal(str(field.max_value)):
            raise ValidationError(_l("The largest allowed value is %(n)s.", n=_plain(field.max_value)))
        wtfield.data = _plain(number)

    return validate


def _plain(number: object) -> str:
    text = format(Decimal(str(number)).normalize(), "f")
    return text


def _date(form: Form, wtfield: Field) -> None:
    raw = (wtfield.data or "").strip()
    if not raw:
        return
    try:
        wtfield.data = date.fromisoformat(raw).isoformat()
    except ValueError:
        raise ValidationError(_l("Please enter a date (year-month-day).")) from None


def _web_url(form: Form, wtfield: Field) -> None:
    raw = (wtfield.data or "").strip()
    if not raw:
        return
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or "." not in parts.netloc:
        raise ValidationError(_l("Please enter a web address starting with https://."))


def _one_of(values: set[str]) -> Validator:
    def validate(form: Form, wtfield: Field) -> None:
        chosen = wtfield.data if isinstance(wtfield.data, list) else [wtfield.data]
        if any(value and value not in values for value in chosen):
            raise ValidationError(_l("Please choose one of the options."))

    return validate


def _required(field: CustomField) -> DataRequired | InputRequired:
    if field.type is FieldType.CHECKBOX:
        return DataRequired(_l("Please tick this box to continue."))
    if field.type is FieldType.MULTISELECT:
        return InputRequired(_l("Please choose at least one option."))
    return DataRequired(_l("This field is required."))


def build_field(field: CustomField, locale: str) -> UnboundField:
    """The unbound WTForms field for one custom field, with its validators, label and help text."""
    label, help_text = field.label(locale), field.help(locale)
    validators = [_required(field) if field.is_required else Optional()]
    kwargs = {"description": help_text}
    options = [(o["value"], field.option_label(o["value"], locale)) for o in field.options or []]
    values = {value for value, _ in options}
    match field.type:
        case FieldType.TEXT:
            return StringField(
                label, [*validators, Length(max=TEXT_MAX, message=_l("At most %(max)d characters."))], filters=[one_line], **kwargs
            )
        case FieldType.TEXTAREA:
            return TextAreaField(
                label, [*validators, Length(max=TEXTAREA_MAX, message=_l("At most %(max)d characters."))], filters=[clean_text], **kwargs
            )
        case FieldType.NUMBER:
            return StringField(label, [*validators, _number(field)], filters=[one_line], render_kw={"inputmode": "decimal"}, **kwargs)
        case FieldType.DATE:
            return StringField(label, [*validators, _date], widget=DateInput(), filters=[one_line], **kwargs)
        case FieldType.SELECT:
            choices = [("", _l("Choose…")), *options]
            return SelectField(label, [*validators, _one_of(values)], choices=select_choices(choices), validate_choice=False, **kwargs)
        case FieldType.MULTISELECT:
            return SelectMultipleField(
                label,
                [*validators, _one_of(values)],
                choices=select_choices(options),
                validate_choice=False,
                widget=ListWidget(prefix_label=False),
                option_widget=CheckboxInput(),
                **kwargs,
            )
        case FieldType.CHECKBOX:
            return BooleanField(label, validators, **kwargs)
        case FieldType.EMAIL:
            return EmailField(label, [*validators, Length(max=254), Email(EMAIL_MESSAGE)], filters=[one_line], **kwargs)
        case FieldType.URL:
            return URLField(label, [*validators, Length(max=2000), _web_url], filters=[one_line], **kwargs)
    raise ValueError(field.type)


def form_with_fields(base: type, fields: list[CustomField], locale: str) -> type:
    """A subclass of `base` with one form field per custom field (named field_<id>)."""
    return type(base.__name__, (base,), {field_name(f): build_field(f, locale) for f in fields})


def answers(form: Form, fields: list[CustomField]) -> dict[CustomField, list[str]]:
    """What the form says for each field, as the stored text values (empty list: no answer)."""
    result = {}
    for field in fields:
        data = form[field_name(field)].data
        if field.type is FieldType.CHECKBOX:
            result[field] = ["yes"] if data else []
        elif field.type is FieldType.MULTISELECT:
            result[field] = [value for value in dict.fromkeys(data or []) if value]
        else:
            result[field] = [data] if data not in (None, "") else []
    return result


def form_data(values_by_field: dict[int, list[str]], fields: list[CustomField]) -> dict[str, object]:
    """Stored values as form data, to fill an edit form."""
    data = {}
    for field in fields:
        stored = values_by_field.get(field.id, [])
        if field.type is FieldType.MULTISELECT:
            data[field_name(field)] = stored
        elif field.type is FieldType.CHECKBOX:
            data[field_name(field)] = bool(stored)
        else:
            data[field_name(field)] = stored[0] if stored else ""
    return data


def display(field: CustomField, stored: list[str], locale: str) -> str:
    """An answer as a person reads it: option labels, Yes for a ticked box, dates and numbers as written."""
    if not stored:
        return ""
    if field.type in CHOICE_TYPES:
        return ", ".join(field.option_label(value, locale) for value in stored)
    if field.type is FieldType.CHECKBOX:
        return str(_l("Yes"))
    return stored[0]
