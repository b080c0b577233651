"""Survey reads."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.extensions import db
from ..tickets.models import Ticket
from .models import SurveyInvitation


def ticket_surveys(ticket_id: int) -> list[SurveyInvitation]:
    """The ticket's survey invitations, newest first, with their responses."""
    query = select(SurveyInvitation).where(SurveyInvitation.ticket_id == ticket_id).options(selectinload(SurveyInvitation.response))
    return list(db.session.scalars(query.order_by(SurveyInvitation.id.desc())))


def customer_history(customer_id: int, *, exclude_ticket_id: int, limit: int = 10) -> list[tuple]:
    """The customer's other tickets, newest first, each with its latest survey rating (or None)."""
    from ..tickets.models import Ticket
    from .models import SurveyResponse

    latest_rating = (
        select(SurveyResponse.rating)
        .join(SurveyInvitation)
        .where(SurveyInvitation.ticket_id == Ticket.id)
        .order_by(SurveyInvitation.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(Ticket.number, Ticket.subject, Ticket.status, Ticket.created_at, latest_rating.label("rating"))
        .where(Ticket.customer_id == customer_id, Ticket.id != exclude_ticket_id)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query))


def ticket_panel(ticket: Ticket) -> dict:
    """The agent's ticket page shows the ticket's survey answers and the customer's earlier requests (a panel)."""
    return {
        "surveys": ticket_surveys(ticket.id),
        "history": customer_history(ticket.customer_id, exclude_ticket_id=ticket.id),
    }
