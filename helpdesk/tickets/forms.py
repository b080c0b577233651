"""Forms agents use on the queue and the ticket page."""

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ..core.forms import attachments_field, email_field, message_field, name_field, one_line, select_choices, subject_field
from .models import Channel, Level, Priority, TicketStatus

Choices = list[tuple[str, LazyString]]


def status_choices() -> Choices:
    return [
        (TicketStatus.NEW.value, _l("New")),
        (TicketStatus.OPEN.value, _l("Open")),
        (TicketStatus.PENDING.value, _l("Pending")),
        (TicketStatus.RESOLVED.value, _l("Resolved")),
        (TicketStatus.CLOSED.value, _l("Closed")),
    ]


def level_choices() -> Choices:
    return [(Level.LOW.value, _l("Low")), (Level.MEDIUM.value, _l("Medium")), (Level.HIGH.value, _l("High"))]


def priority_choices() -> Choices:
    return [
        (Priority.CRITICAL.value, _l("Critical")),
        (Priority.HIGH.value, _l("High")),
        (Priority.MEDIUM.value, _l("Medium")),
        (Priority.LOW.value, _l("Low")),
        (Priority.PLANNING.value, _l("Planning")),
    ]


def channel_choices() -> Choices:
    return [
        (Channel.PHONE.value, _l("Phone")),
        (Channel.EMAIL.value, _l("Email")),
        (Channel.CHAT.value, _l("Chat")),
        (Channel.WALK_IN.value, _l("Walk-in")),
        (Channel.WEB.value, _l("Web")),
        (Channel.OTHER.value, _l("Other")),
    ]


SEND_CHOICES = ("pending", "resolved", "keep", "reopen", "note")


class ReplyForm(FlaskForm):
    """The composer: a reply to the customer or an internal note, and the status a reply leaves behind.

    `mode` is the tab (radio buttons, so it works without JavaScript); `send` is the value of the button pressed.
    Anything that says "note" makes a note: a note is never sent to the customer by mistake.
    """

    mode = RadioField(
        _l("Write"),
        choices=lambda: select_choices([("reply", _l("Reply to the customer")), ("note", _l("Internal note"))]),
        default="reply",
    )
    body = message_field(_l("Reply"), required_message=_l("Write something before sending."))
    is_internal = BooleanField(_l("Internal note (never shown to the customer)"))  # what pages before the tabs post
    attachments = attachments_field()
    send = StringField(validators=[Optional(), AnyOf(SEND_CHOICES)])

    @property
    def is_note(self) -> bool:
        return self.mode.data == "note" or self.send.data == "note" or bool(self.is_internal.data)


class FieldsForm(FlaskForm):
    """The ticket's custom-field answers (one form field per question is added at run time), optimistically locked:
    `version` is the ticket's version and `loaded` the answers (JSON) the form showed when it was loaded."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    loaded = HiddenField()


class PropertiesForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    status = SelectField(_l("Status"), choices=lambda: select_choices(status_choices()), validators=[DataRequired()])
    impact = SelectField(_l("Impact"), choices=lambda: select_choices(level_choices()), validators=[DataRequired()])
    urgency = SelectField(_l("Urgency"), choices=lambda: select_choices(level_choices()), validators=[DataRequired()])
    priority = SelectField(_l("Priority"), validators=[Optional()])
    assignee_id = SelectField(_l("Assignee"), coerce=int)
    team_id = SelectField(_l("Team"), coerce=int)
    category_id = SelectField(_l("Category"), coerce=int)


class NewTicketForm(FlaskForm):
    """A ticket an agent opens for a customer who called, chatted or came to the counter."""

    email = email_field(_l("Customer's email"))
    name = name_field(_l("Customer's name"), required=False)
    channel = SelectField(_l("Channel"), choices=lambda: select_choices(channel_choices()), default=Channel.PHONE.value)
    subject = subject_field()
    body = message_field(_l("Your notes"), required_message=_l("Please write down what the customer needs."))
    notes_public = BooleanField(_l("The customer may read these notes on their ticket page"), default=False)
    category_id = SelectField(_l("Category"), coerce=int, default=0)
    assignee_id = SelectField(_l("Assignee"), coerce=int, default=0)
    priority = SelectField(_l("Priority"), validators=[Optional()], default="")
    notify_customer = BooleanField(_l("Email the customer a confirmation with the link to follow the ticket"), default=True)
    customer_subject = StringField(
        _l("Subject the customer sees"),
        [Length(max=250, message=_l("The subject is at most 250 characters; put the details in the message."))],
        filters=[one_line],
    )
