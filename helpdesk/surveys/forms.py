"""Survey forms: the customer's survey and the agents' monthly pulse (input only)."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..core.forms import clean_text, select_choices

SCALE = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(FlaskForm):
    rating = RadioField(
        _l("Your rating"), choices=lambda: select_choices(SCALE), validators=[InputRequired(_l("Please choose a rating from 1 to 5."))]
    )
    resolution_time = RadioField(_l("How long it took"), choices=lambda: select_choices(SCALE), validators=[Optional()])
    agent_skill = RadioField(
        _l("How capable the person who helped you was"), choices=lambda: select_choices(SCALE), validators=[Optional()]
    )
    channel_ease = RadioField(_l("How easy it was to reach us"), choices=lambda: select_choices(SCALE), validators=[Optional()])
    comment = TextAreaField(_l("Anything else you would like to tell us?"), [Length(max=5000)], filters=[clean_text])


def _scale(label: LazyString) -> RadioField:
    return RadioField(label, choices=lambda: select_choices(SCALE), validators=[InputRequired(_l("Please choose from 1 to 5."))])


class PulseForm(FlaskForm):
    workload = _scale(_l("My workload is manageable"))
    tools = _scale(_l("Our tools help me do my job"))
    support = _scale(_l("I get the support I need from the team"))
    comment = TextAreaField(_l("Anything else? (anonymous)"), [Length(max=2000)], filters=[clean_text])
