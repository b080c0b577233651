"""The customer-facing portal: home, the request form, its confirmation, and the ticket link page."""

import re
import secrets
import time

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..core.errors import InvalidTransition
from ..core.storage import UploadRejected, files_kept_on_commit, store_uploads
from ..core.tokens import sign, unsign
from ..core.urls import safe_next
from ..customers.services import find_or_create_customer
from ..extensions import limiter
from ..kb.queries import popular_articles
from ..kb.services import mark_submitted
from ..tickets import queries
from ..tickets import services as ticket_services
from ..tickets.custom_fields import answers, field_name, form_with_fields
from ..tickets.downloads import attachment_of, send_attachment
from ..tickets.links import ticket_for_token, ticket_token
from ..tickets.models import Category
from .forms import CustomerReplyForm, RequestForm

bp = Blueprint("portal", __name__)
SENT_PURPOSE = "request-sent"
STARTED_PURPOSE = "request-form-started"
_AUTO = object()  # "take the form data from the request", as WTForms does by default


@bp.get("/")
def home():
    return render_template("portal/home.html", popular=popular_articles(str(get_locale())))


def _request_form(category: Category | None, formdata=_AUTO):
    """The request form, with the customer-visible questions of the chosen category."""
    fields = queries.customer_fields(category)
    form_class = form_with_fields(RequestForm, fields, str(get_locale()))
    form = form_class() if formdata is _AUTO else form_class(formdata=formdata)
    return form, fields


def _render_form(form, fields, categories, category, *, status: int = 200, category_error: str | None = None):
    form.started.data = sign(STARTED_PURPOSE, time.time())  # a fresh clock for every showing of the form
    if not re.fullmatch(r"[0-9a-f]{32}", form.form_session.data or ""):
        form.form_session.data = secrets.token_hex(16)
    if status >= 400 and any(f.filename for f in request.files.getlist("attachments")):
        form.attachments.errors = [*form.attachments.errors, _("Browsers do not keep files: please attach them again.")]
    return render_template(
        "portal/new_request.html",
        form=form,
        fields=fields,
        categories=categories,
        category=category,
        category_error=category_error,
        field_name=field_name,
    ), status


@bp.get("/requests/new")
def new_request():
    """Step one (and, without JavaScript, step two after 'Continue'): what typed so far comes back filled in."""
    categories = queries.active_categories()
    category = queries.chosen_category(request.args.get("category"), categories)
    form, fields = _request_form(category, formdata=request.args or None)
    return _render_form(form, fields, categories, category)


@bp.get("/requests/fields")
def category_fields():
    """The chosen category's questions, swapped into the form by htmx."""
    category = queries.chosen_category(request.args.get("category"), queries.active_categories())
    form, fields = _request_form(category, formdata=None)
    return render_template("portal/_category_fields.html", form=form, fields=fields, category=category, field_name=field_name)


def _email_key() -> str:
    return "request-email:" + request.form.get("email", "").strip().lower()[:254]


def _too_quick(started: str | None) -> bool:
    """A person needs a few seconds to fill the form in; a bot posting at once (or without our token) does not."""
    minimum = current_app.config["REQUEST_MIN_SECONDS"]
    shown_at = unsign(STARTED_PURPOSE, started or "", 24 * 3600)
    return minimum > 0 and (not isinstance(shown_at, int | float) or time.time() - shown_at < minimum)


@bp.post("/requests/new")
@limiter.limit(lambda: current_app.config["REQUEST_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["REQUEST_RATE_LIMIT_PER_EMAIL"], methods=["POST"], key_func=_email_key)
def create_request():
    categories = queries.active_categories()
    category = queries.chosen_category(request.form.get("category"), categories)
    form, fields = _request_form(category)
    if form.website.data:  # the honeypot: only robots fill it; they get a thank-you and nothing is created
        return render_template("portal/request_sent.html", ticket=None), 200
    category_error = _("Please choose what your request is about.") if categories and category is None else None
    if not form.validate_on_submit() or category_error:
        return _render_form(form, fields, categories, category, status=422, category_error=category_error)
    if _too_quick(form.started.data):
        form.form_errors.append(_("That was quick! Please check your request and send it again."))
        return _render_form(form, fields, categories, category, status=422)
    try:
        stored = store_uploads(form.attachments.data)
    except UploadRejected as exc:
        form.attachments.errors.append(str(exc))
        return _render_form(form, fields, categories, category, status=exc.status)
    with files_kept_on_commit(stored):
        customer = find_or_create_customer(form.email.data, name=form.name.data, locale=str(get_locale()))
        ticket = ticket_services.open_ticket(
            customer=customer,
            subject=form.subject.data,
            body=form.message.data,
            category=category,
            answers=answers(form, fields),
            attachments=stored,
        )
        if re.fullmatch(r"[0-9a-f]{32}", form.form_session.data or ""):
            mark_submitted(form.form_session.data)
    return redirect(url_for(".request_sent", token=sign(SENT_PURPOSE, [ticket.id, ticket_token(ticket)])), 303)


@bp.get("/requests/sent/<token>")
def request_sent(token: str):
    payload = unsign(SENT_PURPOSE, token, 24 * 3600)
    if not (isinstance(payload, list) and len(payload) == 2):
        abort(404)
    ticket = ticket_for_token(payload[1])
    if ticket is None or ticket.id != payload[0]:
        abort(404)
    return render_template("portal/request_sent.html", ticket=ticket, ticket_token=payload[1])


def _ticket_or_404(token: str, *, for_update: bool = False):
    ticket = ticket_for_token(token, for_update=for_update)
    if ticket is None:
        abort(404)
    return ticket


@bp.get("/my/<token>")
def ticket(token: str):
    ticket = _ticket_or_404(token)
    return render_template(
        "portal/ticket.html", ticket=ticket, token=token, messages=queries.public_messages(ticket), form=CustomerReplyForm()
    )


@bp.post("/my/<token>")
def reply(token: str):
    ticket = _ticket_or_404(token, for_update=True)  # a concurrent agent change waits, never loses this reply
    form = CustomerReplyForm()
    error, status = None, 422
    if form.validate_on_submit():
        try:
            stored = store_uploads(form.attachments.data)
            with files_kept_on_commit(stored):
                ticket_services.add_customer_reply(ticket, customer=ticket.customer, body=form.body.data, attachments=stored)
            return redirect(url_for(".ticket", token=token, _anchor="reply-sent"), 303)
        except UploadRejected as exc:
            form.attachments.errors.append(str(exc))
            status = exc.status  # 507 when the disk is full: the reply is kept in the form
        except InvalidTransition as exc:
            error = str(exc)
        ticket = _ticket_or_404(token)
    status = 409 if error else status
    return render_template(
        "portal/ticket.html",
        ticket=ticket,
        token=token,
        messages=queries.public_messages(ticket),
        form=form,
        error=error,
    ), status


@bp.get("/my/<token>/attachments/<int(max=2147483647):attachment_id>")
def attachment(token: str, attachment_id: int):
    return send_attachment(attachment_of(_ticket_or_404(token), attachment_id, public_only=True))


@bp.get("/my/<token>/attachments/<int(max=2147483647):attachment_id>/preview")
def attachment_preview(token: str, attachment_id: int):
    return send_attachment(attachment_of(_ticket_or_404(token), attachment_id, public_only=True), preview=True)


@bp.get("/lang/<code>")
def set_language(code: str):
    """Remember the visitor's language choice in a cookie (staff set theirs in preferences)."""
    response = redirect(safe_next(request.args.get("next"), url_for(".home")), 303)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


@bp.app_context_processor
def portal_context():
    return {"company_name": current_app.config["COMPANY_NAME"]}
