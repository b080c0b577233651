"""The customer-facing portal: home, the request form, its confirmation, and the ticket link page."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale

from ..core.errors import InvalidTransition
from ..core.tokens import sign, unsign
from ..customers.services import find_or_create_customer
from ..extensions import db, limiter
from ..tickets import queries as ticket_queries
from ..tickets import services as ticket_services
from ..tickets.links import ticket_for_token, ticket_token
from .forms import CustomerReplyForm, RequestForm

bp = Blueprint("portal", __name__)
SENT_PURPOSE = "request-sent"


@bp.get("/")
def home():
    return render_template("portal/home.html")


@bp.get("/requests/new")
def new_request():
    return render_template("portal/new_request.html", form=RequestForm())


@bp.post("/requests/new")
@limiter.limit(lambda: current_app.config["REQUEST_RATE_LIMIT"], methods=["POST"])
def create_request():
    form = RequestForm()
    if not form.validate_on_submit():
        return render_template("portal/new_request.html", form=form), 422
    customer = find_or_create_customer(form.email.data, name=form.name.data, locale=str(get_locale()))
    ticket = ticket_services.open_ticket(customer=customer, subject=form.subject.data, body=form.message.data)
    db.session.commit()
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
        "portal/ticket.html", ticket=ticket, token=token, messages=ticket_queries.public_messages(ticket), form=CustomerReplyForm()
    )


@bp.post("/my/<token>")
def reply(token: str):
    ticket = _ticket_or_404(token, for_update=True)  # a concurrent agent change waits, never loses this reply
    form = CustomerReplyForm()
    error = None
    if form.validate_on_submit():
        try:
            ticket_services.add_customer_reply(ticket, customer=ticket.customer, body=form.body.data)
            db.session.commit()
            return redirect(url_for(".ticket", token=token, _anchor="reply-sent"), 303)
        except InvalidTransition as exc:
            db.session.rollback()
            error = str(exc)
    status = 409 if error else 422
    return render_template(
        "portal/ticket.html",
        ticket=ticket,
        token=token,
        messages=ticket_queries.public_messages(ticket),
        form=form,
        error=error,
    ), status


@bp.get("/lang/<code>")
def set_language(code: str):
    """Remember the visitor's language choice in a cookie (staff set theirs in preferences)."""
    target = request.args.get("next") or url_for(".home")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for(".home")
    response = redirect(target, 303)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


@bp.app_context_processor
def portal_context():
    return {"company_name": current_app.config["COMPANY_NAME"]}
