"""Sign-in and preference forms for staff."""

from functools import cache
from importlib.resources import files
from pathlib import Path
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..core.forms import one_line, select_choices


class LoginForm(FlaskForm):
    # No syntax check here: a wrong address simply does not sign in, with the same message as a wrong password.
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Please enter your email address.")), Length(max=254)], filters=[one_line])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password.")), Length(max=1000)])
    remember = BooleanField(_l("Keep me signed in on this device"))


# The regions of the time-zone database, in the order people look for them. Legacy aliases (US/Eastern,
# Etc/GMT+5, Japan, America/Buenos_Aires…) are left out of the list; a user who has one keeps it (see
# timezone_choices).
TIMEZONE_REGIONS = {
    "Europe": _l("Europe"),
    "America": _l("America"),
    "Africa": _l("Africa"),
    "Asia": _l("Asia"),
    "Australia": _l("Australia"),
    "Pacific": _l("Pacific"),
    "Atlantic": _l("Atlantic"),
    "Indian": _l("Indian Ocean"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
}


def timezone_label(name: str) -> str:
    """A zone's city as people read it: "Europe/Madrid" → "Madrid", "America/Argentina/Buenos_Aires" →
    "Argentina / Buenos Aires"."""
    _region, _sep, place = name.partition("/")
    return " / ".join(part.replace("_", " ") for part in (place or name).split("/"))


def _listed_zones() -> set[str]:
    """The zones of zone.tab (one name per place, as tz pickers list them: America/Argentina/Buenos_Aires, not
    its old alias America/Buenos_Aires), from the pinned tzdata package or the system's copy."""
    available = available_timezones()
    for source in (
        lambda: files("tzdata.zoneinfo").joinpath("zone.tab").read_text(),
        lambda: Path("/usr/share/zoneinfo/zone.tab").read_text(),
    ):
        try:
            text = source()
        except (OSError, ModuleNotFoundError):
            continue
        names = {line.split("\t")[2] for line in text.splitlines() if line and not line.startswith("#") and line.count("\t") >= 2}
        if names & available:
            return names & available
    return available


@cache
def _grouped_zones() -> tuple[tuple[str, tuple[str, ...]], ...]:
    zones = _listed_zones()
    return tuple(
        (region, tuple(sorted((z for z in zones if z.startswith(region + "/")), key=lambda z: timezone_label(z).casefold())))
        for region in TIMEZONE_REGIONS
    )


def timezone_choices(current: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Time zones grouped by region (rendered as <optgroup>s), each by its city; UTC first.

    A valid zone outside the list (a legacy alias someone already has) is offered under "Other", so that
    saving the page does not fail on it.
    """
    choices: dict[str, list[tuple[str, str]]] = {str(_l("Universal")): [("UTC", str(_l("UTC (Coordinated Universal Time)")))]}
    for region, zones in _grouped_zones():
        choices[str(TIMEZONE_REGIONS[region])] = [(zone, timezone_label(zone)) for zone in zones]
    listed = {value for group in choices.values() for value, _label in group}
    if current and current not in listed and current in available_timezones():
        choices[str(_l("Other"))] = [(current, current)]
    return {group: select_choices(pairs) for group, pairs in choices.items()}


class PreferencesForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Please enter your name.")), Length(max=120)],
        filters=[one_line],
        description=_l("Colleagues see it on tickets and notes; customers see it on your replies."),
    )
    locale = SelectField(_l("Language"), choices=lambda: select_choices([("en", "English"), ("es", "Español")]))
    timezone = SelectField(_l("Time zone"))

    def __init__(self, *args: object, current_timezone: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices(current_timezone)


class NewPasswordForm(FlaskForm):
    """A new password twice; the rule itself (length, strength) is `passwords.password_problems`, checked by the
    view, which knows whose password it is."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please choose a new password.")), Length(max=1000)],
        description=_l("At least 12 characters. A few unusual words make a strong password that is easy to remember."),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Please type the new password again.")), EqualTo("new_password", _l("The two new passwords differ."))],
    )


class PasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Please enter your current password.")), Length(max=1000)]
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Please enter your email address.")), Length(max=254)],
        filters=[one_line],
        description=_l("The address you sign in with."),
    )
