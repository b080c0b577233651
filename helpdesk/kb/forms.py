"""Knowledge base forms (agents and admins)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..core.forms import clean_text, one_line, select_choices


class ArticleForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(_l("This field is required.")), Length(max=200)], filters=[one_line])
    slug = StringField(
        _l("Address (slug)"),
        [Length(max=100)],
        filters=[one_line],
        description=_l("Made from the title when empty. Old addresses keep working."),
    )
    category_id = SelectField(_l("Category"), coerce=int)
    language = SelectField(_l("Language"), choices=lambda: select_choices([("en", "English"), ("es", "Español")]))
    status = SelectField(_l("Status"), choices=lambda: select_choices([("draft", _l("Draft")), ("published", _l("Published"))]))
    translation_id = SelectField(
        _l("Translation"),
        coerce=int,
        default=0,
        description=_l("The same article in the other language. Readers see the one in their language and a link to the other."),
    )
    body = TextAreaField(_l("Text (Markdown)"), [DataRequired(_l("This field is required.")), Length(max=100_000)], filters=[clean_text])


class KbCategoryForm(FlaskForm):
    name_en = StringField(_l("Name in English"), [DataRequired(_l("This field is required.")), Length(max=120)], filters=[one_line])
    name_es = StringField(_l("Name in Spanish"), [DataRequired(_l("This field is required.")), Length(max=120)], filters=[one_line])


MISSING_MAX = 1000


class VoteForm(FlaskForm):
    """ "Was this article helpful?": the two buttons, and after a "No" what the reader missed (optional)."""

    helpful = StringField(validators=[AnyOf(["yes", "no"])])
    missing = TextAreaField(
        _l("What was missing?"),
        [Optional(), Length(max=MISSING_MAX, message=_l("Please keep it under %(max)d characters.", max=MISSING_MAX))],
        filters=[clean_text],
        description=_l("Optional. We read every answer to improve this article; we cannot reply to it."),
    )
