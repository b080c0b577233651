"""Admin reads: a category with its questions, one question, the teams. Never write."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.models import Team
from ..core.extensions import db
from ..core.models import MAX_INT
from ..tickets.models import Category, CustomField, Ticket


def category_with_fields(category_id: int) -> Category | None:
    query = select(Category).where(Category.id == category_id).options(selectinload(Category.fields))
    return db.session.scalar(query)


def custom_field(field_id: int) -> CustomField | None:
    return db.session.get(CustomField, field_id)


def team(team_id: int | None) -> Team | None:
    """The team with this id; None for no id or one out of the id range (a hand-made query string)."""
    return db.session.get(Team, team_id) if team_id and 0 < team_id <= MAX_INT else None


def team_name_taken(name: str, *, other_than: Team | None = None) -> bool:
    """Whether another team has this name already."""
    query = select(Team.id).where(Team.name == name, Team.id != (other_than.id if other_than else 0))
    return db.session.scalar(query) is not None


ASSIGNED_LISTED = 200


def open_tickets_assigned(user_id: int) -> list[Ticket]:
    """The open tickets assigned to this staff member, oldest change first (what to hand over)."""
    query = select(Ticket).where(Ticket.assignee_id == user_id, Ticket.is_open.is_(True)).order_by(Ticket.updated_at, Ticket.id)
    return list(db.session.scalars(query.limit(ASSIGNED_LISTED)))


def open_ticket(ticket_id: int) -> Ticket | None:
    return db.session.get(Ticket, ticket_id)
