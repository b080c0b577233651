"""What the portal writes: a request sent from the form, a customer's reply files checked against the ticket's
allowance, fresh links by email. Flushes, never commits: the view owns the transaction."""

import secrets
from collections.abc import Sequence

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.extensions import db
from ..core.storage import StoredFile, UploadRejected
from ..core.urls import external_url
from ..customers.queries import customer_by_email
from ..customers.services import find_or_create_customer, normalize_email
from ..kb.services import mark_submitted
from ..mail.outbound import queue_email
from ..tickets import services as ticket_services
from ..tickets.links import ticket_link
from ..tickets.models import Category, CustomField, Ticket
from . import queries
from .models import RequestSubmission

MAX_LISTED = 50  # a customer with more open requests than this gets the most recently active ones


def submit_request(
    *,
    email: str,
    name: str,
    locale: str,
    subject: str,
    body: str,
    category: Category | None,
    answers: dict[CustomField, list[str]],
    attachments: Sequence[StoredFile],
    form_session: str | None,
    submission_key: str | None,
) -> Ticket:
    """Open the ticket a customer asked for on the request form. Flushes.

    `form_session` ties the knowledge-base suggestions opened from the form to this request (they did not
    deflect it). `submission_key`, the form's one-time key, is remembered and flushed at once: a racing post
    of the same form raises IntegrityError here (the key is the primary key).
    """
    customer = find_or_create_customer(email, name=name, locale=locale)
    ticket = ticket_services.open_ticket(
        customer=customer, subject=subject, body=body, category=category, answers=answers, attachments=attachments
    )
    if form_session:
        mark_submitted(form_session)
    if submission_key:
        db.session.add(RequestSubmission(key=submission_key, ticket=ticket))
        db.session.flush()
    return ticket


def check_customer_files_total(ticket: Ticket, stored: Sequence[StoredFile]) -> None:
    """Refuse files that would take what customers attached to this ticket past ATTACHMENT_MAX_TICKET_MB.

    Raises UploadRejected; the caller discards the stored files.
    """
    if not stored:
        return
    limit_mb = current_app.config["ATTACHMENT_MAX_TICKET_MB"]
    earlier = queries.customer_attachment_bytes(ticket)
    if earlier + sum(f.size for f in stored) > limit_mb * 2**20:
        raise UploadRejected(
            _(
                "Files on one request may add up to %(mb)d MB, and this request already has %(used)s MB."
                " Please send smaller files, or fewer.",
                mb=limit_mb,
                used=f"{earlier / 2**20:.1f}",
            )
        )


def queue_links_email(email: str) -> None:
    """ "Email me a new link": queue one email with fresh links to the customer's open requests when the address
    is a customer's; otherwise do nothing.

    The caller answers the same either way, so the page never tells whether an address is known.
    Each call writes a new outbox row (the rate limits decide how often that can happen).
    """
    customer = customer_by_email(normalize_email(email))
    if customer is None:
        return
    tickets = queries.open_requests(customer, limit=MAX_LISTED)
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
