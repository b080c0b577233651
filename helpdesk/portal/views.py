"""The customer-facing portal: home, the request form and its confirmation, the ticket link page, new links by
email. Thin views: parse, call the services, commit, render."""

import re
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from typing import Literal

from flask import Blueprint, Response, abort, current_app, g, make_response, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..core.errors import InvalidTransition
from ..core.extensions import db, limiter
from ..core.storage import UploadRejected, files_kept_on_commit, store_uploads
from ..core.tokens import sign, unsign
from ..core.urls import safe_next
from ..customers.services import normalize_email
from ..kb.queries import popular_articles
from ..tickets import queries as ticket_queries
from ..tickets import services as ticket_services
from ..tickets.custom_fields import answers, field_name, form_with_fields
from ..tickets.downloads import attachment_of, send_attachment
from ..tickets.links import PURPOSE as LINK_PURPOSE
from ..tickets.links import ticket_for_token, ticket_token
from ..tickets.models import Category, CustomField, Ticket
from . import queries, services
from .forms import CustomerReplyForm, LinkRequestForm, RequestForm
from .models import RequestSubmission


class _Formdata(Enum):
    FROM_REQUEST = "from-request"  # take the form data from the request, as WTForms does by default


bp = Blueprint("portal", __name__)
SENT_PURPOSE = "request-sent"
STARTED_PURPOSE = "request-form-started"
_KEY = re.compile(r"[0-9a-f]{32}")
REPLY_SENT = "portal_reply_sent"  # session key: the message whose "Reply sent" the next page shows, once


@bp.get("/")
def home() -> ResponseReturnValue:
    return render_template("portal/home.html", popular=popular_articles(str(get_locale())))


def _request_form(
    category: Category | None, formdata: MultiDict[str, str] | Literal[_Formdata.FROM_REQUEST] | None = _Formdata.FROM_REQUEST
) -> tuple[RequestForm, list[CustomField]]:
    """The request form, with the customer-visible questions of the chosen category."""
    fields = ticket_queries.customer_fields(category)
    form_class = form_with_fields(RequestForm, fields, str(get_locale()))
    form = form_class() if formdata is _Formdata.FROM_REQUEST else form_class(formdata=formdata)
    return form, fields


def _render_form(
    form: RequestForm,
    fields: list[CustomField],
    categories: list[Category],
    category: Category | None,
    *,
    status: int = 200,
    category_error: str | None = None,
) -> ResponseReturnValue:
    form.started.data = sign(STARTED_PURPOSE, time.time())  # a fresh clock for every showing of the form
    if not _KEY.fullmatch(form.form_session.data or ""):
        form.form_session.data = secrets.token_hex(16)
    if not _KEY.fullmatch(form.submission_key.data or ""):
        form.submission_key.data = secrets.token_hex(16)
    if status >= 400 and any(f.filename for f in request.files.getlist("attachments")):
        form.attachments.errors = [*form.attachments.errors, _("Browsers do not keep files: please attach them again.")]
    page = render_template(
        "portal/new_request.html",
        form=form,
        fields=fields,
        categories=categories,
        category=category,
        category_error=category_error,
        field_name=field_name,
    )
    # The form carries its own one-time key: never one showing for two people from a shared cache, but the
    # browser's own copy comes back on Back, so that sending it again still finds the first ticket.
    return page, status, {"Cache-Control": "private"}


@bp.get("/requests/new")
def new_request() -> ResponseReturnValue:
    """Step one (and, without JavaScript, step two after 'Continue'): what typed so far comes back filled in."""
    categories = ticket_queries.active_categories()
    category = ticket_queries.chosen_category(request.args.get("category"), categories)
    form, fields = _request_form(category, formdata=request.args or None)
    # A key is only ever ours: one that came in a link could be the sender's, who would later post it with
    # this customer's address and be shown the ticket it made. Every showing by GET gets a fresh one.
    form.submission_key.data = None
    return _render_form(form, fields, categories, category)


@bp.get("/requests/fields")
def category_fields() -> ResponseReturnValue:
    """The chosen category's questions, swapped into the form by htmx."""
    category = ticket_queries.chosen_category(request.args.get("category"), ticket_queries.active_categories())
    form, fields = _request_form(category, formdata=None)
    return render_template("portal/_category_fields.html", form=form, fields=fields, category=category, field_name=field_name)


def _limited(per_address: str, per_key: str, *, key_func: Callable[[], str]) -> Callable:
    """Two limits on a public POST, named by their settings: per client address, and per `key_func` (a typed email
    address, a ticket) from any address. A breach notes the wait for the friendly 429 below."""

    def decorate(view: Callable) -> Callable:
        view = limiter.limit(
            lambda: current_app.config[per_key], methods=["POST"], key_func=key_func, on_breach=lambda limit: _note_wait(limit)
        )(view)
        return limiter.limit(lambda: current_app.config[per_address], methods=["POST"], on_breach=lambda limit: _note_wait(limit))(view)

    return decorate


def _email_key() -> str:
    return "request-email:" + request.form.get("email", "").strip().lower()[:254]


def _too_quick(started: str | None) -> bool:
    """A person needs a few seconds to fill the form in; a bot posting at once (or without our token) does not."""
    minimum = current_app.config["REQUEST_MIN_SECONDS"]
    shown_at = unsign(STARTED_PURPOSE, started or "", 24 * 3600)
    return minimum > 0 and (not isinstance(shown_at, int | float) or time.time() - shown_at < minimum)


@bp.post("/requests/new")
@_limited("REQUEST_RATE_LIMIT", "REQUEST_RATE_LIMIT_PER_EMAIL", key_func=_email_key)
def create_request() -> ResponseReturnValue:
    categories = ticket_queries.active_categories()
    category = ticket_queries.chosen_category(request.form.get("category"), categories)
    form, fields = _request_form(category)
    if form.website.data:  # the honeypot: only robots fill it; they get a thank-you and nothing is created
        return render_template("portal/request_sent.html", ticket=None), 200
    key = form.submission_key.data if _KEY.fullmatch(form.submission_key.data or "") else None
    if key and (earlier := queries.submission(key)) is not None:
        if _same_sender(earlier, form.email.data):  # a double click or a resent form: the first post made the ticket
            return _sent_redirect(earlier.ticket)
        key = None  # the key came with someone else's address (a copied page): this post stands on its own
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
    try:
        with files_kept_on_commit(stored):
            ticket = services.submit_request(
                email=form.email.data,
                name=form.name.data,
                locale=str(get_locale()),
                subject=form.subject.data,
                body=form.message.data,
                category=category,
                answers=answers(form, fields),
                attachments=stored,
                form_session=form.form_session.data if _KEY.fullmatch(form.form_session.data or "") else None,
                submission_key=key,  # a racing post of the same form fails in here (the key is the primary key)
            )
    except IntegrityError:
        # Two posts of one form at once, and the other one committed first.
        earlier = queries.submission(key) if key else None
        if earlier is None or not _same_sender(earlier, form.email.data):
            raise
        return _sent_redirect(earlier.ticket)
    return _sent_redirect(ticket)


def _same_sender(submission: RequestSubmission, email: str | None) -> bool:
    """Whether this post comes with the address the first post of the form had (only then may it see that ticket)."""
    return bool(email) and submission.ticket.customer.email == normalize_email(email)


def _sent_redirect(ticket: Ticket) -> ResponseReturnValue:
    return redirect(url_for(".request_sent", token=sign(SENT_PURPOSE, [ticket.id, ticket_token(ticket)])), 303)


@bp.get("/requests/sent/<token>")
def request_sent(token: str) -> ResponseReturnValue:
    payload = unsign(SENT_PURPOSE, token, 24 * 3600)
    if not (isinstance(payload, list) and len(payload) == 2):
        abort(404)
    ticket = ticket_for_token(payload[1])
    if ticket is None or ticket.id != payload[0]:
        abort(404)
    return render_template("portal/request_sent.html", ticket=ticket, ticket_token=payload[1])


def _ticket_or_404(token: str, *, for_update: bool = False) -> Ticket:
    ticket = ticket_for_token(token, for_update=for_update)
    if ticket is None:
        abort(404)
    return ticket


def _link_not_working() -> ResponseReturnValue:
    """An expired, mistyped or revoked link: say so, and offer fresh links by email."""
    return render_template("portal/links.html", form=LinkRequestForm(formdata=None), expired=True), 404


def _ticket_page(ticket: Ticket, token: str, form: CustomerReplyForm, *, status: int = 200, **context: object) -> ResponseReturnValue:
    messages = ticket_queries.public_messages(ticket)
    return render_template("portal/ticket.html", ticket=ticket, token=token, messages=messages, form=form, **context), status


@bp.get("/my/<token>")
def ticket(token: str) -> ResponseReturnValue:
    ticket = ticket_for_token(token)
    if ticket is None:
        return _link_not_working()
    sent = session.pop(REPLY_SENT, None)
    return _ticket_page(ticket, token, CustomerReplyForm(formdata=None), reply_sent=sent)


def _reply_link_key() -> str:
    """Replies are counted per ticket, whichever of its (many, differently signed) links they come through."""
    token = (request.view_args or {}).get("token", "")
    payload = unsign(LINK_PURPOSE, token, current_app.config["CUSTOMER_LINK_DAYS"] * 86400)
    ticket_id = payload[0] if isinstance(payload, list) and payload else token[:100]
    return f"reply-ticket:{ticket_id}"


@bp.post("/my/<token>")
@_limited("REPLY_RATE_LIMIT", "REPLY_RATE_LIMIT_PER_LINK", key_func=_reply_link_key)
def reply(token: str) -> ResponseReturnValue:
    ticket = ticket_for_token(token, for_update=True)  # a concurrent agent change waits, never loses this reply
    if ticket is None:
        return _link_not_working()
    form = CustomerReplyForm()
    error, status = None, 422
    if form.validate_on_submit():
        try:
            stored = store_uploads(form.attachments.data)
            with files_kept_on_commit(stored):
                services.check_customer_files_total(ticket, stored)
                message = ticket_services.add_customer_reply(ticket, customer=ticket.customer, body=form.body.data, attachments=stored)
                session[REPLY_SENT] = message.id
            return redirect(url_for(".ticket", token=token, _anchor="reply-sent"), 303)
        except UploadRejected as exc:
            form.attachments.errors.append(str(exc))
            status = exc.status  # 507 when the disk is full: the reply is kept in the form
        except InvalidTransition as exc:
            error = str(exc)
        ticket = _ticket_or_404(token)
    return _ticket_page(ticket, token, form, status=409 if error else status, error=error)


def _typed_email_key() -> str:
    return "link-email:" + normalize_email(request.form.get("email", ""))[:254]


@bp.get("/my/")
def request_links() -> ResponseReturnValue:
    """Lost or expired links: type the address, get fresh links to every open request by email."""
    return render_template("portal/links.html", form=LinkRequestForm(formdata=None), expired=False)


@bp.post("/my/")
@_limited("LINK_REQUEST_RATE_LIMIT", "LINK_REQUEST_RATE_LIMIT_PER_EMAIL", key_func=_typed_email_key)
def send_links() -> ResponseReturnValue:
    form = LinkRequestForm()
    if not form.validate_on_submit():
        return render_template("portal/links.html", form=form, expired=False), 422
    services.queue_links_email(form.email.data)  # known or not, the answer below is the same
    db.session.commit()
    return redirect(url_for(".links_sent"), 303)


@bp.get("/my/check-email")
def links_sent() -> ResponseReturnValue:
    return render_template("portal/links_sent.html")


def _note_wait(limit: RequestLimit) -> None:
    """Remember how long until the breached limit lets this client in again (for Retry-After)."""
    g.portal_retry_after = max(g.get("portal_retry_after", 1), int(limit.reset_at - time.time()))


@bp.errorhandler(RateLimitExceeded)
def too_many_requests(error: RateLimitExceeded) -> Response:
    """A friendly 429 that says how long to wait, and keeps what was typed on the pages that have a form."""
    db.session.rollback()
    wait = g.get("portal_retry_after", 60)
    notice = _(
        "You have sent this several times in a short while. Please wait %(time)s and send it again.",
        time=format_timedelta(timedelta(seconds=wait), granularity="minute"),
    )
    if request.endpoint == "portal.reply" and (ticket := ticket_for_token(request.view_args["token"])) is not None:
        form = CustomerReplyForm()  # what was typed comes back; files cannot
        if any(f.filename for f in request.files.getlist("attachments")):
            form.attachments.errors.append(_("Browsers do not keep files: please attach them again."))
        response = make_response(_ticket_page(ticket, request.view_args["token"], form, status=429, error=notice))
    elif request.endpoint == "portal.create_request":
        categories = ticket_queries.active_categories()
        category = ticket_queries.chosen_category(request.form.get("category"), categories)
        form, fields = _request_form(category)
        form.form_errors.append(notice)
        response = make_response(_render_form(form, fields, categories, category, status=429))
    elif request.endpoint == "portal.send_links":
        form = LinkRequestForm()
        form.form_errors.append(notice)
        response = make_response(render_template("portal/links.html", form=form, expired=False), 429)
    else:
        response = make_response(render_template("errors/error.html", status=429, title=_("Slow down"), message=notice), 429)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.get("/my/<token>/attachments/<id:attachment_id>")
def attachment(token: str, attachment_id: int) -> ResponseReturnValue:
    return send_attachment(attachment_of(_ticket_or_404(token), attachment_id, public_only=True))


@bp.get("/my/<token>/attachments/<id:attachment_id>/preview")
def attachment_preview(token: str, attachment_id: int) -> ResponseReturnValue:
    return send_attachment(attachment_of(_ticket_or_404(token), attachment_id, public_only=True), preview=True)


@bp.get("/lang/<code>")
def set_language(code: str) -> ResponseReturnValue:
    """Remember the visitor's language choice in a cookie (staff set theirs in preferences)."""
    response = redirect(safe_next(request.args.get("next"), url_for(".home")), 303)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


@bp.app_context_processor
def portal_context() -> dict[str, str]:
    return {"company_name": current_app.config["COMPANY_NAME"]}
