"""Settings pages (owners and admins): company and portal (name, logo, accent colour, language, time zone, public
address, welcome text) and email sending (SMTP, sender, a test email). Also the public branding files: the
stylesheet with the accent colour and the logo."""

from email.utils import parseaddr
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from ..core.auth import admin_required
from ..core.extensions import db
from ..core.forms import ActionForm
from ..core.htmx import render, wants_fragment
from ..core.storage import StoredFile, UploadRejected, discard, files_kept_on_commit, path_for, store_upload
from ..core.urls import external_url
from ..mail import smtp
from ..settings import queries, services
from ..settings.colors import DEFAULT_ACCENT, branding_css
from ..settings.config import install
from .settings_forms import LOGO_MAX_BYTES, EmailSettingsForm, GeneralSettingsForm

bp = Blueprint("settings", __name__)
bp.record_once(lambda state: install(state.app))  # app.config answers from the stored settings (settings/config.py)

GENERAL = ("company_name", "accent_color", "default_locale", "timezone", "base_url")
GENERAL += tuple(f"welcome_{part}_{language}" for part in ("heading", "text") for language in ("en", "es"))
EMAIL = ("smtp_host", "smtp_port", "smtp_security", "smtp_username", "sender_name", "sender_address")
LOGO_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}
IMMUTABLE = "public, max-age=31536000, immutable"


def _locked(form: FlaskForm, names: tuple[str, ...]) -> dict[str, str]:
    """Fields the environment sets: shown read-only with its value, never validated or saved."""
    locked = {}
    for name in (*names, "smtp_password", "clear_password"):
        variable = queries.environment_variable("smtp_password" if name == "clear_password" else name)
        if variable and name in form:
            field = form[name]
            field.validators, field.flags.required = [], False
            field.pre_validate = lambda form: None  # type: ignore[method-assign]  (a disabled select sends nothing)
            field.render_kw = {**(field.render_kw or {}), "disabled": True}
            locked[name] = variable
    return locked


def _general_values() -> dict[str, Any]:
    config = current_app.config
    stored = queries.stored_values()
    return {
        "company_name": config["COMPANY_NAME"],
        "accent_color": stored.get("accent_color") or DEFAULT_ACCENT,
        "default_locale": config["DEFAULT_LOCALE"],
        "timezone": config["TIMEZONE"],
        "base_url": config["BASE_URL"],
        **{name: stored.get(name, "") for name in GENERAL if name.startswith("welcome_")},
    }


def _general_page(form: GeneralSettingsForm, locked: dict[str, str], status: int = 200) -> ResponseReturnValue:
    return render_template("admin/settings.html", form=form, locked=locked, logo=queries.logo()), status


@bp.get("/admin/settings")
@admin_required
def general() -> ResponseReturnValue:
    form = GeneralSettingsForm(formdata=None, data=_general_values(), current_timezone=current_app.config["TIMEZONE"])
    return _general_page(form, _locked(form, GENERAL))


def _store_logo(upload: FileStorage | None) -> StoredFile | None:
    """The uploaded logo checked by its content (PNG or JPEG; SVG and anything else refused). Raises UploadRejected."""
    if not upload or not upload.filename:
        return None
    stored = store_upload(upload, max_bytes=LOGO_MAX_BYTES)
    if stored.image_type not in LOGO_TYPES:
        discard([stored])
        message = _(
            "“%(name)s” is not a PNG or JPEG image. Please upload the logo as PNG or JPEG (SVG is not accepted).", name=stored.filename
        )
        raise UploadRejected(message)
    return stored


@bp.post("/admin/settings")
@admin_required
def update_general() -> ResponseReturnValue:
    form = GeneralSettingsForm(current_timezone=request.form.get("timezone"))
    locked = _locked(form, GENERAL)
    if not form.validate_on_submit():
        return _general_page(form, locked, 422)
    try:
        logo = _store_logo(form.logo.data)
    except UploadRejected as exc:
        form.logo.errors = [str(exc)]
        return _general_page(form, locked, 422)
    values = {name: form[name].data for name in GENERAL if name not in locked}
    if values.get("accent_color") == DEFAULT_ACCENT:
        values["accent_color"] = None  # the built-in colour: no stylesheet to serve
    with files_kept_on_commit([logo] if logo else []):
        services.save_settings(values, actor_id=current_user.id)
        if logo or form.remove_logo.data:
            services.replace_logo(logo, logo.image_type if logo else None, actor_id=current_user.id)
    flash(_("Settings saved."))
    return redirect(url_for(".general"), 303)


def _email_values() -> dict[str, Any]:
    stored = queries.stored_values()
    values: dict[str, Any] = {name: stored.get(name) for name in EMAIL}
    smtp_now = queries.smtp_settings()
    if queries.environment_variable("smtp_host") and smtp_now:
        values.update(smtp_host=smtp_now.host, smtp_port=smtp_now.port, smtp_security=smtp_now.security, smtp_username=smtp_now.username)
    if queries.environment_variable("sender_address"):
        values["sender_name"], values["sender_address"] = parseaddr(current_app.config["MAIL_FROM"])
    values["smtp_port"] = values["smtp_port"] or 587
    values["smtp_security"] = values["smtp_security"] or "starttls"
    return values


def _email_page(form: EmailSettingsForm, locked: dict[str, str], status: int = 200, check_id: str | None = None) -> ResponseReturnValue:
    check = _own_check(check_id) if check_id else None
    return render_template(
        "admin/settings_email.html",
        form=form,
        locked=locked,
        has_password=queries.has_smtp_password(),
        smtp_now=queries.smtp_settings(),
        check=check,
        check_id=check_id if check else None,
        test_form=ActionForm(formdata=None),
    ), status


@bp.get("/admin/settings/email")
@admin_required
def email() -> ResponseReturnValue:
    form = EmailSettingsForm(formdata=None, data=_email_values())
    return _email_page(form, _locked(form, EMAIL), check_id=request.args.get("check"))


@bp.post("/admin/settings/email")
@admin_required
def update_email() -> ResponseReturnValue:
    form = EmailSettingsForm()
    locked = _locked(form, EMAIL)
    if not form.validate_on_submit():
        return _email_page(form, locked, 422)
    values = {name: form[name].data for name in EMAIL if name not in locked}
    services.save_settings(values, actor_id=current_user.id)
    if "smtp_password" not in locked:
        if form.clear_password.data:
            services.set_secret("smtp_password", None, actor_id=current_user.id)
        elif form.smtp_password.data:
            services.set_secret("smtp_password", form.smtp_password.data, actor_id=current_user.id)
    db.session.commit()
    flash(_("Email settings saved. Send a test email to check them."))
    return redirect(url_for(".email"), 303)


def _own_check(check_id: str) -> dict[str, Any] | None:
    check = smtp.load_check(check_id)
    if check is None or check.get("state") != "unknown" and check.get("user_id") != current_user.id:
        return None
    return check


def _check_response(check_id: str, check: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    if wants_fragment():
        return render("admin/settings_email.html", "admin/_smtp_check.html", status=status, check=check, check_id=check_id)
    return redirect(url_for(".email", check=check_id), 303)


@bp.post("/admin/settings/email/test")
@admin_required
def send_test() -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    check_id = smtp.start_check(current_user.id, current_user.email)
    if check_id is None:
        check = {"state": "failed", "error": {"kind": "no_queue"}}
        if wants_fragment():
            return render("admin/settings_email.html", "admin/_smtp_check.html", status=503, check=check, check_id=None)
        flash(_("The test email could not be queued: the job queue (Redis) is unreachable. Please try again in a moment."))
        return redirect(url_for(".email"), 303)
    return _check_response(check_id, {"state": "queued", "to": current_user.email})


@bp.get("/admin/settings/email/test/<check_id>")
@admin_required
def test_status(check_id: str) -> ResponseReturnValue:
    check = _own_check(check_id)
    if check is None:
        abort(404)
    return _check_response(check_id, check)


# Public branding files: the versioned URL is cached for a year, the file changes with the setting.


@bp.get("/branding.css")
def css() -> ResponseReturnValue:
    color = queries.accent_color() or DEFAULT_ACCENT
    response = Response(branding_css(color), mimetype="text/css")
    response.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == color.lstrip("#") else "no-cache"
    return response


@bp.get("/branding/logo-<version>.<ext>")
def logo(version: str, ext: str) -> ResponseReturnValue:
    stored = queries.logo()
    if stored is None or stored["type"] != ext or stored["version"] != version:
        abort(404)
    path = path_for(stored["key"])
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=LOGO_TYPES[ext], max_age=31536000, conditional=True)
    response.headers["Cache-Control"] = IMMUTABLE
    return response


class Branding:
    """What the layouts and emails show of the company's look (a template global, so that imported macros see it
    too). Every property reads the stored settings, which are read once per request."""

    @property
    def accent(self) -> str:
        return queries.accent_color() or DEFAULT_ACCENT

    @property
    def css_url(self) -> str | None:
        accent = queries.accent_color()
        return url_for("settings.css", v=accent.lstrip("#")) if accent else None

    @property
    def logo_url(self) -> str | None:
        stored = queries.logo()
        return url_for("settings.logo", version=stored["version"], ext=stored["type"]) if stored else None

    @property
    def email_logo_url(self) -> str | None:
        """The logo as a link from BASE_URL (emails carry no attachment for it)."""
        stored = queries.logo()
        return external_url("settings.logo", version=stored["version"], ext=stored["type"]) if stored else None

    def welcome(self) -> tuple[str, str]:
        return queries.welcome(str(get_locale() or current_app.config["DEFAULT_LOCALE"]))


bp.add_app_template_global(Branding(), "branding")  # type: ignore[arg-type]
