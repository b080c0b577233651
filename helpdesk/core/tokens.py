"""Signed, expiring tokens for links given to customers (itsdangerous)."""

from typing import TypeAlias

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

# What a token can carry: anything JSON can (itsdangerous serializes the payload as JSON).
Json: TypeAlias = "str | int | float | bool | None | list[Json] | dict[str, Json]"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"helpdesk.{purpose}")


def sign(purpose: str, payload: Json) -> str:
    """A URL-safe token carrying `payload`, signed with SECRET_KEY for this purpose only."""
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str, max_age_seconds: int) -> Json:
    """The payload, or None when the token is malformed, tampered with or expired."""
    if not token or len(token) > 500:
        return None
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except BadData:
        return None
