"""Form helpers shared by every domain."""

from collections.abc import Iterable
from typing import TypeVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, MultipleFileField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

MESSAGE_MAX = 50_000
# C0 control characters other than tab, newline and carriage return: PostgreSQL refuses NUL in text, and
# none of them belongs in a message a person wrote.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
T = TypeVar("T")
Label = str | LazyString


def clean_text(value: T) -> T | str:
    """A WTForms filter: text without control characters or surrounding space (other data as it is)."""
    return value.translate(_CONTROL).strip() if isinstance(value, str) else value


def one_line(value: T) -> T | str:
    """A WTForms filter: text on one line, runs of space made one (other data as it is)."""
    return " ".join(value.translate(_CONTROL).split()) if isinstance(value, str) else value


def select_choices(pairs: Iterable[tuple[object, Label]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (plain tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class ActionForm(FlaskForm):
    """No fields: protects a button-only POST with CSRF."""


def email_field(label: Label | None = None) -> EmailField:
    return EmailField(
        label or _l("Email"),
        validators=[
            DataRequired(_l("Please enter your email address.")),
            Length(max=254, message=_l("An email address is at most 254 characters.")),
            Email(_l("That does not look like an email address (name@example.com).")),
        ],
        filters=[clean_text],
    )


def subject_field() -> StringField:
    return StringField(
        _l("Subject"),
        validators=[
            DataRequired(_l("Please write a short subject.")),
            Length(max=250, message=_l("The subject is at most 250 characters; put the details in the message.")),
        ],
        filters=[one_line],
    )


def message_field(label: Label | None = None, *, required_message: Label | None = None) -> TextAreaField:
    return TextAreaField(
        label or _l("Message"),
        validators=[
            DataRequired(required_message or _l("Please write a message.")),
            Length(max=MESSAGE_MAX, message=_l("The message is too long (at most 50,000 characters).")),
        ],
        filters=[clean_text],
    )


def name_field(label: Label | None = None, required: bool = True) -> StringField:
    validators = [Length(max=120, message=_l("A name is at most 120 characters."))]
    if required:
        validators.insert(0, DataRequired(_l("Please tell us your name.")))
    return StringField(label or _l("Name"), validators=validators, filters=[one_line])


def attachments_field() -> MultipleFileField:
    return MultipleFileField(_l("Attach files"))
