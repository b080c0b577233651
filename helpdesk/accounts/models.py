"""Staff: users (owner, admin, agent) and teams."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Base, UTCDateTime, new_token, str_enum, utcnow
from .policy import Action, can


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    AGENT = "agent"


team_member = Table(
    "team_member",
    Base.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.AGENT)
    locale: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str | None] = mapped_column(String(64))
    tier: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the session cookie's user id: rotating it signs out every session of this user.
    session_token: Mapped[str] = mapped_column(String(43), default=new_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    teams: Mapped[list["Team"]] = relationship(secondary=team_member, back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_admin(self) -> bool:
        """May open the admin pages (see accounts.policy)."""
        return can(self, Action.ADMIN)

    def can(self, action: Action | str, target: object = None) -> bool:
        """The permission policy (accounts.policy.can) asked about this user: for decorators and templates."""
        return can(self, action, target)

    def get_id(self) -> str:
        """What the session (and the remember-me cookie) carries: rotating the token ends every session; the
        key names this one sign-in (a StaffSession row), so signing out ends it alone."""
        key = getattr(self, "session_key", None)
        return f"{self.id}:{self.session_token}:{key}" if key else f"{self.id}:{self.session_token}"


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    members: Mapped[list[User]] = relationship(secondary=team_member, back_populates="teams")
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])


class Notification(Base):
    """Something a staff member should look at (shown in the app; some are also emailed)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    ticket = relationship("Ticket")  # by name: accounts does not import the tickets domain

    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at", "id"),)


class StaffSession(Base):
    """One sign-in on one device: the account page lists them, signing out ends one, "everywhere" ends all."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(43), unique=True, default=new_token)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="", server_default="")  # the latest one seen
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # updated at most once a minute
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Invitation(Base):
    """A pending place on the staff: the emailed link (its token stored only as a hash) lets the invitee set a
    name and password once, within 72 hours. Resending replaces the token; revoking or accepting ends it."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.AGENT)
    team_ids: Mapped[list] = mapped_column(JSON, default=list)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the link's token
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the latest (re)send
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))  # who it made

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.expires_at


class StaffChangeKind(StrEnum):
    INVITED = "invited"
    JOINED = "joined"
    ROLE = "role"
    TEAMS = "teams"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"


class StaffChange(Base):
    """The staff audit trail: who changed a user's role, teams or access, and when (shown on the admin page)."""

    __tablename__ = "staff_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[StaffChangeKind] = mapped_column(str_enum(StaffChangeKind))
    old: Mapped[str | None] = mapped_column(String(500))
    new: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    __table_args__ = (Index("ix_staff_change_user", "user_id", "id"),)
