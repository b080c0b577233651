"""Survey reads."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import SurveyInvitation


def ticket_surveys(ticket_id: int) -> list[SurveyInvitation]:
    """The ticket's survey invitations, newest first, with their responses."""
    query = select(SurveyInvitation).where(SurveyInvitation.ticket_id == ticket_id).options(selectinload(SurveyInvitation.response))
    return list(db.session.scalars(query.order_by(SurveyInvitation.id.desc())))
