"""Reads about staff accounts."""

from sqlalchemy import select

from ..core.extensions import db
from .models import User


def active_staff() -> list[User]:
    """Everyone who can sign in, by name: the assignee lists, team members, the pulse's invitees."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id)))
