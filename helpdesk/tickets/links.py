"""Customer links to a ticket: signed, expiring, and revocable by changing the ticket's access key."""

from flask import current_app
from sqlalchemy import select

from ..core.extensions import db
from ..core.tokens import sign, unsign
from ..core.urls import external_url
from .models import Ticket

PURPOSE = "ticket-link"


def ticket_token(ticket: Ticket) -> str:
    return sign(PURPOSE, [ticket.id, ticket.access_key[:12]])


def ticket_link(ticket: Ticket) -> str:
    return external_url("portal.ticket", token=ticket_token(ticket))


def ticket_for_token(token: str, *, for_update: bool = False) -> Ticket | None:
    """The ticket the token grants, or None if it is malformed, tampered with, expired or revoked."""
    payload = unsign(PURPOSE, token, current_app.config["CUSTOMER_LINK_DAYS"] * 86400)
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        return None
    query = select(Ticket).where(Ticket.id == payload[0])
    ticket = db.session.scalar(query.with_for_update() if for_update else query)
    if ticket is None or ticket.access_key[:12] != payload[1]:
        return None
    return ticket
