"""Reads about staff accounts: who can sign in, their sign-ins, their notifications, teams. No writes."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.extensions import db
from .models import Notification, StaffSession, Team, User

NOTIFICATIONS_LISTED = 100
SESSIONS_LISTED = 50


def active_staff() -> list[User]:
    """Everyone who can sign in, by name: the assignee lists, team members, the pulse's invitees."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id)))


def user_by_email(email: str) -> User | None:
    """The user with this (already normalized) address, active or not."""
    return db.session.scalar(select(User).where(User.email == email))


def active_sessions(user: User) -> list[StaffSession]:
    """The user's sign-ins that have not ended, newest first."""
    query = select(StaffSession).where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
    return list(db.session.scalars(query.order_by(StaffSession.created_at.desc()).limit(SESSIONS_LISTED)))


def recent_notifications(user: User) -> list[Notification]:
    """The user's latest notifications, read or not, newest first, with their tickets loaded."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .options(joinedload(Notification.ticket))
        .order_by(Notification.id.desc())
        .limit(NOTIFICATIONS_LISTED)
    )
    return list(db.session.scalars(query))


def unread_notification_count(user: User) -> int:
    query = select(func.count()).select_from(Notification)
    return db.session.scalar(query.where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def teams(*, with_members: bool = False) -> list[Team]:
    """Every team by name (the ticket page's team list; with its lead and members for the admin page)."""
    query = select(Team).order_by(Team.name, Team.id)
    if with_members:
        query = query.options(selectinload(Team.members), selectinload(Team.lead))
    return list(db.session.scalars(query))
