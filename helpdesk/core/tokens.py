"""Signed, expiring tokens for links given to customers (itsdangerous)."""

from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"helpdesk.{purpose}")


def sign(purpose: str, payload: Any) -> str:
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str, max_age_seconds: int) -> Any | None:
    """The payload, or None when the token is malformed, tampered with or expired."""
    if not token or len(token) > 500:
        return None
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except BadData:
        return None
