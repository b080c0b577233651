""" "Email me a new link": one email with fresh links to a customer's open requests. Flushes, never commits."""

import secrets

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.extensions import db
from ..core.urls import external_url
from ..customers.models import Customer
from ..customers.services import normalize_email
from ..mail.outbound import queue_email
from ..tickets.links import ticket_link
from ..tickets.models import Ticket

MAX_LISTED = 50  # a customer with more open requests than this gets the most recently active ones


def queue_links_email(email: str) -> None:
    """Queue the email when the address is a customer's; otherwise do nothing.

    The caller answers the same either way, so the page never tells whether an address is known.
    Each call writes a new outbox row (the rate limits decide how often that can happen).
    """
    customer = db.session.scalar(select(Customer).where(Customer.email == normalize_email(email)))
    if customer is None:
        return
    tickets = db.session.scalars(
        select(Ticket)
        .where(Ticket.customer_id == customer.id, Ticket.is_open.is_(True))
        .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
        .limit(MAX_LISTED)
    ).all()
    config = current_app.config
    with force_locale(customer.locale or config["DEFAULT_LOCALE"]):
        context = {
            "customer": customer,
            "requests": [(ticket, ticket_link(ticket)) for ticket in tickets],
            "days": config["CUSTOMER_LINK_DAYS"],
            "company": config["COMPANY_NAME"],
            "new_request": external_url("portal.new_request"),
        }
        queue_email(
            to=customer.email,
            subject=_("Your links to follow your requests with %(company)s", company=config["COMPANY_NAME"]),
            body_text=render_template("email/portal/links.txt", **context),
            body_html=render_template("email/portal/links.html", **context),
            kind="customer_links",
            idempotency_key=f"customer-links:{customer.id}:{secrets.token_hex(8)}",
        )
