"""Emails about tickets, rendered in the customer's language and written to the outbox. Flushes, never commits."""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.extensions import db
from ..tickets.links import ticket_link
from ..tickets.models import Ticket, TicketMessage
from .compose import written_at
from .models import OutgoingEmail
from .outbound import new_rfc_message_id, queue_email


def _thread_ids(ticket: Ticket) -> list[str]:
    """Message-IDs already sent on this ticket, oldest first (capped: References must stay short)."""
    ids = db.session.scalars(
        select(OutgoingEmail.email_message_id).where(OutgoingEmail.ticket_id == ticket.id).order_by(OutgoingEmail.id.desc()).limit(20)
    ).all()
    return list(reversed(ids))


def _locale(ticket: Ticket) -> str:
    return ticket.customer.locale or current_app.config["DEFAULT_LOCALE"]


def _queue(
    ticket: Ticket,
    *,
    kind: str,
    key: str,
    subject: str,
    template: str,
    auto: bool,
    carries: TicketMessage | None = None,
    **context: object,
) -> None:
    references = _thread_ids(ticket)
    context.update(ticket=ticket, link=ticket_link(ticket), company=current_app.config["COMPANY_NAME"])
    queue_email(
        to=ticket.customer.email,
        subject=subject,
        body_text=render_template(f"email/tickets/{template}.txt", **context),
        body_html=render_template(f"email/tickets/{template}.html", **context),
        kind=kind,
        idempotency_key=key,
        ticket_id=ticket.id,
        ticket_message_id=carries.id if carries else None,
        attachments=[(a.filename, a.storage_key) for a in carries.attachments] if carries and not carries.is_internal else [],
        message_id=new_rfc_message_id(ticket.id),
        in_reply_to=references[-1] if references else None,
        references=references,
        auto_submitted=auto,
    )


def _quoted_message(reply: TicketMessage) -> TicketMessage | None:
    """What the reply answers: the customer's latest public message before it, else the original request."""
    public = select(TicketMessage).where(
        TicketMessage.ticket_id == reply.ticket_id, TicketMessage.id < reply.id, TicketMessage.is_internal.is_(False)
    )
    latest = db.session.scalar(public.where(TicketMessage.author_customer_id.is_not(None)).order_by(TicketMessage.id.desc()).limit(1))
    return latest or db.session.scalar(public.order_by(TicketMessage.id).limit(1))


def queue_auto_reply(ticket: Ticket) -> None:
    """The acknowledgement a customer gets for a new ticket: the reference and the link to follow it."""
    with force_locale(_locale(ticket)):
        subject = _("We received your request %(ref)s: %(subject)s", ref=f"[{ticket.reference}]", subject=ticket.public_subject)
        _queue(ticket, kind="auto_reply", key=f"auto-reply:{ticket.id}", subject=subject, template="auto_reply", auto=True)


def queue_reply_email(message: TicketMessage) -> None:
    """An agent's public reply, emailed to the customer and threaded under the earlier mails."""
    ticket = message.ticket
    quote = _quoted_message(message)
    with force_locale(_locale(ticket)):
        subject = f"[{ticket.reference}] {ticket.public_subject}"
        _queue(
            ticket,
            kind="reply",
            key=f"reply:{message.id}",
            subject=subject,
            template="reply",
            auto=False,
            message=message,
            carries=message,
            quote=quote,
            quote_when=written_at(quote.created_at) if quote else None,
        )


def on_ticket_opened(ticket: Ticket, *, acknowledge: bool, **_: object) -> None:
    """Receiver of `tickets.events.ticket_opened`: the acknowledgement email, when the customer should get one."""
    if acknowledge:
        queue_auto_reply(ticket)


def on_agent_replied(ticket: Ticket, *, message: TicketMessage, **_: object) -> None:
    """Receiver of `tickets.events.agent_replied`: the reply goes to the customer by email."""
    queue_reply_email(message)
