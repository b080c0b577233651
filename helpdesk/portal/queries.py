"""Reads for the portal: the sent forms it remembers, a customer's open requests, what they attached. No writes."""

from sqlalchemy import func, select

from ..core.extensions import db
from ..customers.models import Customer
from ..tickets.models import Attachment, Ticket, TicketMessage
from .models import RequestSubmission


def submission(key: str) -> RequestSubmission | None:
    """The request form sent earlier with this one-time key, if any."""
    return db.session.get(RequestSubmission, key)


def open_requests(customer: Customer, *, limit: int) -> list[Ticket]:
    """The customer's open tickets, the most recently active first."""
    query = (
        select(Ticket)
        .where(Ticket.customer_id == customer.id, Ticket.is_open.is_(True))
        .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def customer_attachment_bytes(ticket: Ticket) -> int:
    """How many bytes the customer has attached to this ticket so far."""
    query = (
        select(func.coalesce(func.sum(Attachment.size), 0))
        .join(TicketMessage, Attachment.message_id == TicketMessage.id)
        .where(TicketMessage.ticket_id == ticket.id, TicketMessage.author_customer_id.is_not(None))
    )
    return db.session.scalar(query) or 0
