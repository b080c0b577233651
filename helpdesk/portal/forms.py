"""Forms a customer fills in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from ..core.forms import attachments_field, email_field, message_field, name_field, subject_field


class RequestForm(FlaskForm):
    name = name_field(_l("Your name"))
    email = email_field(_l("Your email"))
    subject = subject_field()
    message = message_field(_l("How can we help?"), required_message=_l("Please describe what you need."))
    attachments = attachments_field()
    # Spam defence: people never see or fill `website`; `started` is a signed time the form was shown.
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()
    # Ties the knowledge-base suggestions opened from this form to whether the form was then sent (deflection).
    form_session = HiddenField()
    # One random key per showing of the form: posting it again (double click, resend) finds the first ticket.
    submission_key = HiddenField()


class CustomerReplyForm(FlaskForm):
    body = message_field(_l("Your reply"), required_message=_l("Please write your reply."))
    attachments = attachments_field()


class LinkRequestForm(FlaskForm):
    """ "Email me a new link": the address whose open requests get fresh links."""

    email = email_field(_l("Your email"))
