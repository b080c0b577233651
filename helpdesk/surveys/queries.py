"""Survey and pulse reads (no writes)."""

from sqlalchemy import Row, func, select
from sqlalchemy.orm import selectinload

from ..core.extensions import db
from ..core.models import utcnow
from ..customers.models import Customer
from ..tickets.models import Ticket
from .models import PulseAnswer, PulseInvitation, PulseRound, SurveyInvitation, SurveyResponse

MIN_ANSWERS = 3  # fewer pulse answers would let people guess who said what


def ticket_surveys(ticket_id: int) -> list[SurveyInvitation]:
    """The ticket's survey invitations, newest first, with their responses."""
    query = select(SurveyInvitation).where(SurveyInvitation.ticket_id == ticket_id).options(selectinload(SurveyInvitation.response))
    return list(db.session.scalars(query.order_by(SurveyInvitation.id.desc())))


def customer_history(customer_id: int, *, exclude_ticket_id: int, limit: int = 10) -> list[Row]:
    """The customer's other tickets, newest first, each with its latest survey rating (or None)."""
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


def ticket_panel(ticket: Ticket) -> dict[str, list]:
    """The agent's ticket page shows the ticket's survey answers and the customer's earlier requests (a panel)."""
    return {
        "surveys": ticket_surveys(ticket.id),
        "history": customer_history(ticket.customer_id, exclude_ticket_id=ticket.id),
    }


def invitation_customer(invitation: SurveyInvitation) -> Customer:
    """The customer a survey invitation was sent to."""
    return db.session.scalars(
        select(Customer).join(Ticket, Ticket.customer_id == Customer.id).where(Ticket.id == invitation.ticket_id)
    ).one()


def due_survey_ticket_ids(limit: int = 200) -> list[int]:
    """The tickets whose survey is due now, the longest-waiting first."""
    query = select(Ticket.id).where(Ticket.survey_due_at <= utcnow()).order_by(Ticket.survey_due_at).limit(limit)
    return list(db.session.scalars(query))


def latest_round() -> PulseRound | None:
    """The newest pulse round, open or not (the one a new round follows)."""
    return db.session.scalar(select(PulseRound).order_by(PulseRound.number.desc()).limit(1))


def current_round() -> PulseRound | None:
    """The round open now, if any (the newest one)."""
    query = select(PulseRound).where(PulseRound.closes_at > utcnow()).order_by(PulseRound.number.desc()).limit(1)
    return db.session.scalar(query)


def open_pulse_invitation(user_id: int) -> PulseInvitation | None:
    """The user's unanswered invitation to the round open now, if any."""
    return db.session.scalar(
        select(PulseInvitation)
        .join(PulseRound)
        .where(PulseInvitation.user_id == user_id, PulseInvitation.is_answered.is_(False), PulseRound.closes_at > utcnow())
        .order_by(PulseRound.number.desc())
    )


def has_answered(pulse_round: PulseRound, user_id: int) -> bool:
    """Whether the user answered the round (never which answer is theirs)."""
    query = select(PulseInvitation.is_answered).where(PulseInvitation.round_id == pulse_round.id, PulseInvitation.user_id == user_id)
    return bool(db.session.scalar(query))


def pulse_results(limit: int = 12) -> list[Row[tuple[PulseRound, int, float | None, float | None, float | None]]]:
    """The newest rounds, each with its number of answers and the average of each question."""
    query = (
        select(
            PulseRound,
            func.count(PulseAnswer.key),
            func.avg(PulseAnswer.workload),
            func.avg(PulseAnswer.tools),
            func.avg(PulseAnswer.support),
        )
        .outerjoin(PulseAnswer, PulseAnswer.round_id == PulseRound.id)
        .group_by(PulseRound.id)
        .order_by(PulseRound.number.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).all())


def round_comments(round_id: int) -> list[str]:
    """The round's comments, sorted: no order that hints at who wrote what."""
    query = select(PulseAnswer.comment).where(PulseAnswer.round_id == round_id, PulseAnswer.comment != "")
    return sorted(db.session.scalars(query))


def round_progress() -> tuple[PulseRound, int, int] | None:
    """The open round with how many were asked and how many answered (never who)."""
    pulse_round = current_round()
    if pulse_round is None:
        return None
    asked, answered = db.session.execute(
        select(func.count(PulseInvitation.id), func.count(PulseInvitation.id).filter(PulseInvitation.is_answered.is_(True))).where(
            PulseInvitation.round_id == pulse_round.id
        )
    ).one()
    return pulse_round, asked, answered
