"""Reads about staff accounts: who can sign in, their sign-ins, their notifications, teams. No writes."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.extensions import db
from .models import Invitation, Notification, StaffChange, StaffSession, Team, User

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


STAFF_LISTED = 500
CHANGES_LISTED = 100


def staff() -> list[User]:
    """Every staff account with its teams, active ones first, by name (the admin's staff list)."""
    query = select(User).options(selectinload(User.teams)).order_by(User.active.desc(), User.name, User.id)
    return list(db.session.scalars(query.limit(STAFF_LISTED)))


def user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def last_sign_ins(user_ids: list[int]) -> dict[int, datetime]:
    """When each of these users last signed in (users who never did are missing)."""
    if not user_ids:
        return {}
    query = select(StaffSession.user_id, func.max(StaffSession.created_at)).where(StaffSession.user_id.in_(user_ids))
    return {user_id: when for user_id, when in db.session.execute(query.group_by(StaffSession.user_id))}


def pending_invitations() -> list[Invitation]:
    """Invitations neither accepted nor withdrawn (expired ones too: they can be sent again), newest first."""
    query = select(Invitation).where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(Invitation.id.desc()).limit(STAFF_LISTED)))


def invitation(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def staff_changes(user: User) -> list[StaffChange]:
    """The user's staff history (role, teams, access), newest first, with who did each."""
    query = select(StaffChange).where(StaffChange.user_id == user.id).options(joinedload(StaffChange.actor))
    return list(db.session.scalars(query.order_by(StaffChange.id.desc()).limit(CHANGES_LISTED)))
