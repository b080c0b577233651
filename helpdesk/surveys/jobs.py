"""Survey jobs: the scheduled send after a resolution, and the sweep that sends whatever is due."""

from sqlalchemy import select

from ..core.extensions import db
from ..core.models import utcnow
from ..core.queue import job
from ..tickets.models import Ticket
from .services import invite


@job
def send_survey(ticket_id: int) -> None:
    """Scheduled `delay` after the resolution; does nothing if reopened, already surveyed, opted out or switched off."""
    invite(ticket_id)


@job
def send_due_surveys() -> None:
    """Every minute (rq cron): send the surveys whose scheduled job never ran (Redis lost it, the worker was down)."""
    due = db.session.scalars(select(Ticket.id).where(Ticket.survey_due_at <= utcnow()).order_by(Ticket.survey_due_at).limit(200))
    for ticket_id in list(due):
        invite(ticket_id)
        db.session.commit()
