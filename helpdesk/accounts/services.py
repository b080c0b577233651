"""Staff accounts: creation, password checks (argon2), sessions, preferences, notices. Flushes, never commits."""

import contextlib
import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..core.extensions import db
from ..core.logging import client_address
from ..core.models import MAX_INT, new_token, utcnow
from ..customers.services import normalize_email
from .models import Invitation, Notification, Role, StaffChange, StaffChangeKind, StaffSession, Team, User
from .queries import user_by_email

STORAGE_FULL = "storage_full"
# One notice per outage: while the last one is this recent, the disk is taken to be still full.
STORAGE_NOTICE_EVERY = timedelta(hours=6)

log = logging.getLogger(__name__)
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def generate_password() -> str:
    """A random password for a new account, shown once."""
    return secrets.token_urlsafe(12)


def create_user(*, email: str, name: str, password: str, role: Role = Role.AGENT, locale: str | None = None) -> User:
    """A new staff account with this password (stored as an argon2 hash). Flushes."""
    user = User(email=normalize_email(email), name=name.strip(), password_hash=_hasher.hash(password), role=role, locale=locale)
    db.session.add(user)
    db.session.flush()
    return user


def hash_password(password: str) -> str:
    """The argon2 hash stored for a password."""
    return _hasher.hash(password)


def set_password(user: User, password: str) -> None:
    """Change the password and sign out every existing session of this user."""
    user.password_hash = _hasher.hash(password)
    end_all_sessions(user)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def update_preferences(user: User, *, locale: str, timezone: str, name: str | None = None) -> None:
    """The name shown to colleagues, and the language and time zone the user's pages are shown in."""
    if name is not None and name.strip():
        user.name = name.strip()[:120]
    user.locale = locale
    user.timezone = timezone
    db.session.flush()


def mark_notifications_read(user: User) -> None:
    """Every unread notification of the user is read now."""
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (whichever of the two was wrong)."""
    address = normalize_email(email)
    user = user_by_email(address)
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        log.warning("sign-in failed email=%r reason=unknown-address ip=%s", address[:254], client_address())
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        log.warning("sign-in failed user=%s reason=wrong-password ip=%s", user.id, client_address())
        return None
    if not user.active:
        log.warning("sign-in failed user=%s reason=deactivated ip=%s", user.id, client_address())
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    log.info("sign-in user=%s ip=%s", user.id, client_address())
    return user


def start_session(user: User, *, user_agent: str = "", ip_address: str = "") -> StaffSession:
    """A new sign-in of this user on one device; `user.get_id()` names it from now on. Flushes."""
    row = StaffSession(user_id=user.id, user_agent=user_agent[:200], ip_address=ip_address[:45], last_seen_at=utcnow())
    db.session.add(row)
    db.session.flush()
    user.session_key = row.key
    return row


def end_session(user: User) -> None:
    """Sign out this sign-in only (others on other devices go on). A session from before per-sign-in keys has
    no row of its own: ending it ends them all, as signing out always did."""
    key = getattr(user, "session_key", None)
    if key is None:
        end_all_sessions(user)
        return
    db.session.execute(update(StaffSession).where(StaffSession.key == key, StaffSession.ended_at.is_(None)).values(ended_at=utcnow()))


def _session_key(user_id: str) -> str:
    """The StaffSession key inside a session's user id ("<id>:<token>:<key>"), or "" for an older one."""
    return user_id.split(":", 2)[2] if user_id.count(":") == 2 else ""


def touch_session(user_id: str, *, ip_address: str) -> None:
    """The sign-in named by a session's user id was used now, from this address (the sessions list shows both)."""
    if key := _session_key(user_id):
        query = update(StaffSession).where(StaffSession.key == key, StaffSession.ended_at.is_(None))
        db.session.execute(query.values(last_seen_at=utcnow(), ip_address=ip_address[:45]))


def end_session_by_id(user_id: str) -> None:
    """End the sign-in named by a session's user id (see `User.get_id`) without loading the user."""
    key = user_id.split(":", 2)[2] if user_id.count(":") == 2 else ""
    if key:
        db.session.execute(update(StaffSession).where(StaffSession.key == key, StaffSession.ended_at.is_(None)).values(ended_at=utcnow()))


def end_all_sessions(user: User, *, except_key: str | None = None) -> None:
    """Sign out everywhere: the rotated token invalidates every session and remember-me cookie of this user.
    `except_key` names one sign-in that goes on (the caller signs it in again with the new token)."""
    user.session_token = new_token()
    query = update(StaffSession).where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
    if except_key:
        query = query.where(StaffSession.key != except_key)
    db.session.execute(query.values(ended_at=utcnow()))


def end_other_sessions(user: User) -> None:
    """Sign out on every other device; the sign-in in use (`user.session_key`) goes on, with the new token."""
    end_all_sessions(user, except_key=getattr(user, "session_key", None))


def end_session_of(user: User, session_id: int) -> bool:
    """Sign out one of the user's own sign-ins (from the sessions list). True when one was ended."""
    query = update(StaffSession).where(StaffSession.id == session_id, StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
    return bool(db.session.execute(query.values(ended_at=utcnow())).rowcount)


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session token (a rotated token ends every session) and, since
    per-sign-in sessions, the key of a StaffSession that must not have ended. One query either way."""
    raw_id, token, key = [*user_id.split(":", 2), "", ""][:3]
    if not raw_id.isdigit() or int(raw_id) > MAX_INT or not token:
        return None
    if key:
        query = select(User).join(StaffSession, StaffSession.user_id == User.id)
        query = query.where(User.id == int(raw_id), StaffSession.key == key, StaffSession.ended_at.is_(None))
        user = db.session.scalar(query)
    else:
        user = db.session.get(User, int(raw_id))
    if user is None or not secrets.compare_digest(user.session_token, token) or not user.active:
        return None
    if key:
        user.session_key = key
    return user


def notify_admins(kind: str, text: Callable[[], str]) -> list[User]:
    """An in-app notice to every active owner and admin, `text()` rendered in each one's language. Flushes;
    returns who was told."""
    admins = list(db.session.scalars(select(User).where(User.active.is_(True), User.role.in_([Role.OWNER, Role.ADMIN]))))
    for user in admins:
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            db.session.add(Notification(user_id=user.id, kind=kind, text=text()[:500]))
    db.session.flush()
    return admins


def notify_admins_of_full_storage() -> bool:
    """Tell every active owner and admin, in the app, that attachments cannot be stored. Once per outage: nothing
    happens while a notice from the last six hours exists. Flushes; True when notices were added."""
    recent = select(Notification.id).where(Notification.kind == STORAGE_FULL, Notification.created_at > utcnow() - STORAGE_NOTICE_EVERY)
    if db.session.scalar(recent.limit(1)) is not None:
        return False
    admins = notify_admins(
        STORAGE_FULL,
        lambda: _("Files cannot be stored: the attachments disk is full. Customers and agents cannot attach files until space is freed."),
    )
    log.error("attachments storage is full: notice added for admins=%s", ",".join(str(user.id) for user in admins) or "-")
    return True


# ---- Staff management: passwords, invitations, roles, deactivation (h7) ----

INVITATION_LIFETIME = timedelta(hours=72)


class StaffRuleError(ValueError):
    """A change the rules forbid (the last owner, an address already on the staff); the message says why."""


def record_staff_change(user: User, kind: StaffChangeKind, *, by: User | None, old: str | None = None, new: str | None = None) -> None:
    db.session.add(StaffChange(user_id=user.id, actor_id=by.id if by else None, kind=kind, old=old, new=new))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _teams(team_ids: list[int]) -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.id.in_(team_ids)).order_by(Team.name))) if team_ids else []


def invite(*, email: str, name: str, role: Role, team_ids: list[int], by: User) -> tuple[Invitation, str]:
    """Invite someone onto the staff: returns the invitation and the token for its link (shown nowhere else).
    Inviting an address with a pending invitation again renews that one (its old link stops working).
    Raises StaffRuleError for an address that already has an account. Flushes."""
    address = normalize_email(email)
    if user_by_email(address) is not None:
        raise StaffRuleError(_("%(email)s already has an account on this helpdesk.", email=address))
    pending = select(Invitation).where(Invitation.email == address, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    invitation = db.session.scalar(pending.order_by(Invitation.id.desc()).limit(1)) or Invitation(email=address)
    invitation.name, invitation.role, invitation.invited_by_id = name.strip(), role, by.id
    invitation.team_ids = [team.id for team in _teams(team_ids)]
    token = _renew(invitation)
    db.session.add(invitation)
    db.session.flush()
    log.info("invitation id=%s role=%s by=%s", invitation.id, role.value, by.id)
    return invitation, token


def _renew(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.sent_at = utcnow()
    invitation.expires_at = invitation.sent_at + INVITATION_LIFETIME
    return token


def resend_invitation(invitation: Invitation) -> str:
    """A new link for a pending invitation, valid 72 hours from now; the old link stops working. Flushes."""
    if not invitation.is_pending:
        raise StaffRuleError(_("This invitation was already accepted or withdrawn."))
    token = _renew(invitation)
    db.session.flush()
    return token


def revoke_invitation(invitation: Invitation) -> None:
    """Withdraw a pending invitation: its link stops working. Flushes."""
    if invitation.is_pending:
        invitation.revoked_at = utcnow()
        db.session.flush()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation this link's token names (pending or not), or None for a token that names none."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))


def accept_invitation(invitation: Invitation, *, name: str, password: str) -> User:
    """The invitee becomes a user with the invited role and teams; the link is used up. The caller has checked
    that the invitation is pending and not expired. Raises StaffRuleError when the address got an account
    meanwhile. Flushes."""
    if user_by_email(invitation.email) is not None:
        raise StaffRuleError(_("%(email)s already has an account on this helpdesk.", email=invitation.email))
    user = create_user(email=invitation.email, name=name, password=password, role=invitation.role)
    user.teams = _teams(list(invitation.team_ids or []))
    invitation.accepted_at, invitation.user_id = utcnow(), user.id
    inviter = db.session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    record_staff_change(user, StaffChangeKind.INVITED, by=inviter, new=invitation.role.value)
    record_staff_change(user, StaffChangeKind.JOINED, by=user)
    db.session.flush()
    log.info("invitation accepted id=%s user=%s", invitation.id, user.id)
    return user


def active_owner_count() -> int:
    query = select(func.count()).select_from(User).where(User.role == Role.OWNER, User.active.is_(True))
    return db.session.scalar(query) or 0


def _guard_last_owner(user: User) -> None:
    if user.role is Role.OWNER and user.active and active_owner_count() <= 1:
        raise StaffRuleError(
            _("%(name)s is the only active owner. Make someone else an owner first: the helpdesk always needs one.", name=user.name)
        )


def change_role(user: User, role: Role, *, by: User) -> bool:
    """Give the user another role, recorded with who did it. The last active owner keeps theirs. Flushes;
    returns whether anything changed."""
    if role is user.role:
        return False
    _guard_last_owner(user)
    record_staff_change(user, StaffChangeKind.ROLE, by=by, old=user.role.value, new=role.value)
    user.role = role
    db.session.flush()
    log.info("role changed user=%s role=%s by=%s", user.id, role.value, by.id)
    return True


def set_teams(user: User, team_ids: list[int], *, by: User) -> bool:
    """The teams the user belongs to, recorded with who changed them. Flushes; returns whether they changed."""
    teams = _teams(team_ids)
    old = sorted(team.name for team in user.teams)
    new = sorted(team.name for team in teams)
    if old == new:
        return False
    user.teams = teams
    record_staff_change(user, StaffChangeKind.TEAMS, by=by, old=", ".join(old)[:500], new=", ".join(new)[:500])
    db.session.flush()
    return True


def deactivate(user: User, *, by: User) -> None:
    """The user can no longer sign in and every session of theirs ends now; their tickets, messages and history
    stay. The last active owner cannot be deactivated. Flushes."""
    if not user.active:
        return
    _guard_last_owner(user)
    user.active = False
    end_all_sessions(user)
    record_staff_change(user, StaffChangeKind.DEACTIVATED, by=by)
    db.session.flush()
    log.info("deactivated user=%s by=%s", user.id, by.id)


def reactivate(user: User, *, by: User) -> None:
    """The user can sign in again (with their old password). Flushes."""
    if user.active:
        return
    user.active = True
    record_staff_change(user, StaffChangeKind.REACTIVATED, by=by)
    db.session.flush()
    log.info("reactivated user=%s by=%s", user.id, by.id)
