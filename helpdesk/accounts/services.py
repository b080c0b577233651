"""Staff accounts: creation, password checks (argon2), session invalidation. Flushes, never commits."""

import contextlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from ..core.models import new_token
from ..customers.services import normalize_email
from ..extensions import db
from .models import Role, User

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(*, email: str, name: str, password: str, role: Role = Role.AGENT, locale: str | None = None) -> User:
    user = User(email=normalize_email(email), name=name.strip(), password_hash=_hasher.hash(password), role=role, locale=locale)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and sign out every existing session of this user."""
    user.password_hash = _hasher.hash(password)
    user.session_token = new_token()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (whichever of the two was wrong)."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def end_all_sessions(user: User) -> None:
    user.session_token = new_token()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session token, so a rotated token ends old sessions."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not secrets.compare_digest(user.session_token, token) or not user.active:
        return None
    return user
