"""Sign-in and preference forms for staff."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from ..core.forms import one_line, select_choices


class LoginForm(FlaskForm):
    # No syntax check here: a wrong address simply does not sign in, with the same message as a wrong password.
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Please enter your email address.")), Length(max=254)], filters=[one_line])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password.")), Length(max=1000)])
    remember = BooleanField(_l("Keep me signed in on this device"))


def timezone_choices():
    return [(tz, tz) for tz in sorted(available_timezones()) if "/" in tz or tz == "UTC"]


class PreferencesForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=lambda: select_choices([("en", "English"), ("es", "Español")]))
    timezone = SelectField(_l("Time zone"), choices=lambda: select_choices(timezone_choices()))


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Please enter your current password.")), Length(max=1000)]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Please choose a new password.")),
            Length(min=12, max=1000, message=_l("A password has at least 12 characters.")),
        ],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Please type the new password again.")), EqualTo("new_password", _l("The two new passwords differ."))],
    )
