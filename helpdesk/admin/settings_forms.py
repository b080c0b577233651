"""Forms of the settings pages: company and portal, email sending."""

from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import ColorInput

from ..accounts.forms import timezone_choices
from ..core.forms import clean_text, one_line, select_choices
from ..settings.colors import AA_NORMAL_TEXT, HEX, contrast_with_white, is_readable_on_white

LOGO_MAX_BYTES = 512 * 1024


def _readable_accent(form: FlaskForm, field: StringField) -> None:
    if field.data and HEX.fullmatch(field.data) and not is_readable_on_white(field.data):
        ratio = contrast_with_white(field.data)
        shown = f"{ratio:.2f}" if round(ratio, 2) < AA_NORMAL_TEXT else f"{int(ratio * 100) / 100:.2f}"  # never "4.50" for a refusal
        raise ValidationError(
            _(
                "This colour has a contrast of %(ratio)s:1 against white; at least %(needed)s:1 is needed so that white "
                "text on buttons and links on white stay readable (WCAG AA). Please choose a darker colour.",
                ratio=shown,
                needed=AA_NORMAL_TEXT,
            )
        )


def _web_address(form: FlaskForm, field: URLField) -> None:
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ValidationError(_("Please give the full address people use, starting with https:// (for example https://help.example.com)."))
    if parts.query or parts.fragment or " " in field.data:
        raise ValidationError(_("The address cannot have a query (?…) or a fragment (#…)."))
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError as exc:
        raise ValidationError(_("The port in this address is not a number between 1 and 65535.")) from exc


def _strip_slash(value: str | None) -> str | None:
    return value.strip().rstrip("/") if isinstance(value, str) else value


class GeneralSettingsForm(FlaskForm):
    company_name = StringField(
        _l("Company name"),
        [DataRequired(_l("Please give your company's name.")), Length(max=120, message=_l("At most 120 characters."))],
        filters=[one_line],
        description=_l("Shown in the help centre, the staff bar and every email."),
    )
    logo = FileField(_l("Logo"), description=_l("A PNG or JPEG image, at most 512 KB; about 200 × 60 pixels looks best."))
    remove_logo = BooleanField(_l("Remove the logo"))
    accent_color = StringField(
        _l("Accent colour"),
        [Optional(), Regexp(HEX.pattern, message=_l("Please choose a colour.")), _readable_accent],
        widget=ColorInput(),
        filters=[lambda v: v.lower() if isinstance(v, str) else v],
        description=_l("Used for the help centre's header, buttons and links, and the buttons in emails."),
    )
    default_locale = SelectField(
        _l("Default language"),
        choices=lambda: select_choices([("en", "English"), ("es", "Español")]),
        description=_l("For visitors whose browser asks for neither language, and for emails to people whose language we do not know."),
    )
    timezone = SelectField(_l("Time zone"), description=_l("Dates in emails and for staff who have not chosen their own zone."))
    base_url = URLField(
        _l("Public address of the helpdesk"),
        [DataRequired(_l("Please give the address people use to reach the helpdesk.")), Length(max=300), _web_address],
        filters=[_strip_slash],
        description=_l("Every link in an email starts with it, for example https://help.example.com."),
    )
    welcome_heading_en = StringField(_l("Welcome heading (English)"), [Length(max=120)], filters=[one_line])
    welcome_heading_es = StringField(_l("Welcome heading (Spanish)"), [Length(max=120)], filters=[one_line])
    welcome_text_en = TextAreaField(_l("Welcome text (English)"), [Length(max=1000)], filters=[clean_text])
    welcome_text_es = TextAreaField(_l("Welcome text (Spanish)"), [Length(max=1000)], filters=[clean_text])

    def __init__(self, *args: object, current_timezone: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices(current_timezone)


SECURITY_CHOICES = (
    ("starttls", _l("STARTTLS (usually port 587)")),
    ("tls", _l("TLS from the start (usually port 465)")),
    ("none", _l("None (only for a server on this machine or network)")),
)


class EmailSettingsForm(FlaskForm):
    smtp_host = StringField(
        _l("SMTP server"),
        [Optional(), Length(max=253), Regexp(r"^[A-Za-z0-9.:\[\]-]+$", message=_l("A server name such as smtp.example.com."))],
        filters=[one_line],
        description=_l("Leave empty to keep emails in Outgoing mail instead of sending them."),
    )
    smtp_port = IntegerField(
        _l("Port"), [Optional(), NumberRange(1, 65535, message=_l("A port is a number from 1 to 65535."))], default=587
    )
    smtp_security = SelectField(_l("Security"), choices=lambda: select_choices(SECURITY_CHOICES), default="starttls")
    smtp_username = StringField(_l("User name"), [Length(max=254)], filters=[one_line])
    smtp_password = PasswordField(_l("Password"), [Length(max=500)])
    clear_password = BooleanField(_l("Remove the saved password"))
    sender_name = StringField(_l("Sender name"), [Length(max=120)], filters=[one_line], description=_l("For example: Acme Support"))
    sender_address = EmailField(
        _l("Sender address"),
        [Optional(), Length(max=254), Email(_l("That does not look like an email address (name@example.com)."))],
        filters=[clean_text],
        description=_l("Customers' replies come back to this address."),
    )

    def validate_smtp_port(self, field: IntegerField) -> None:
        if self.smtp_host.data and not field.data:
            raise ValidationError(_("Please give the server's port (587 for STARTTLS, 465 for TLS)."))
