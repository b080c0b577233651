"""Reads of the stored settings: one query per request (or per few seconds in a job), never failing a page.

The values are read on a connection of their own, so that a page whose transaction failed (an error page) or a
database without the table yet (before `flask db upgrade`) still renders, with the defaults."""

import time
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_request_context, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..core.extensions import db
from . import crypto
from .keys import ENVIRONMENT
from .models import Setting

_CACHE = "_helpdesk_settings"
# Outside a request (jobs, commands) the values are read again after this many seconds, or at once after a change
# committed in this process (any thread, any app context): see forget_cached.
TTL = 2.0
_generation = [0]


def _holder() -> object:
    return request._get_current_object() if has_request_context() else g._get_current_object()  # type: ignore[attr-defined]


def stored_values() -> dict[str, Any]:
    """Every stored setting by name (secrets as their encrypted token); {} when the database cannot say."""
    holder = _holder()
    cached = getattr(holder, _CACHE, None)
    if cached is not None and cached[0] == _generation[0] and time.monotonic() - cached[1] < TTL:
        return cached[2]
    values: dict[str, Any] = {}
    if db.engine.url.database not in (None, "", ":memory:"):  # an in-memory database has one connection: the session's
        try:
            with db.engine.connect() as connection:
                rows = connection.execution_options(readonly=True).execute(select(Setting.key, Setting.value))
                values = {key: value for key, value in rows if value not in (None, "")}
        except SQLAlchemyError:
            values = {}
    setattr(holder, _CACHE, (_generation[0], time.monotonic(), values))
    return values


def forget_cached() -> None:
    """After a change is committed: the next read in this process sees it."""
    _generation[0] += 1
    holder = _holder()
    if hasattr(holder, _CACHE):
        delattr(holder, _CACHE)


def environment_variable(name: str) -> str | None:
    """The environment variable that sets the setting `name` and wins over the stored value, if it is set."""
    variable = ENVIRONMENT.get(name)
    return variable if variable and variable in getattr(current_app.config, "from_environment", ()) else None


def value(name: str, default: Any = None) -> Any:  # noqa: ANN401 (a setting is any JSON value)
    return stored_values().get(name, default)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # none, starttls, tls
    username: str | None
    password: str | None
    source: str  # "settings" (saved on the settings page) or "environment" (MAIL_URL)
    password_unreadable: bool = False  # saved, but no key we have opens it (SECRET_KEY/SETTINGS_KEY changed)

    def __repr__(self) -> str:  # never print the password, even in a traceback's locals
        return f"SmtpSettings(host={self.host!r}, port={self.port}, security={self.security!r}, source={self.source!r})"


def smtp_settings() -> SmtpSettings | None:
    """How to reach the mail server: MAIL_URL from the environment wins; else what the settings page saved; else
    MAIL_URL given to the app some other way; None when no server is configured (mail is kept, not sent)."""
    config = current_app.config
    values = stored_values()
    if not environment_variable("smtp_host") and values.get("smtp_host"):
        token = values.get("smtp_password")
        password = crypto.decrypt(token) if token else None
        return SmtpSettings(
            host=values["smtp_host"],
            port=int(values.get("smtp_port") or 587),
            security=values.get("smtp_security") or "starttls",
            username=values.get("smtp_username") or None,
            password=password,
            source="settings",
            password_unreadable=bool(token) and password is None,
        )
    if config.get("MAIL_URL"):
        security = "tls" if config.get("MAIL_USE_SSL") else "starttls" if config.get("MAIL_USE_TLS") else "none"
        return SmtpSettings(
            host=config.get("MAIL_SERVER") or "localhost",
            port=int(config.get("MAIL_PORT") or 25),
            security=security,
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            source="environment",
        )
    return None


def is_mail_configured() -> bool:
    return smtp_settings() is not None


def has_smtp_password() -> bool:
    return bool(value("smtp_password"))


def accent_color() -> str | None:
    return value("accent_color")


def logo() -> dict[str, str] | None:
    """The stored logo: {"key": storage key, "type": "png" or "jpeg", "version": short hash}, or None."""
    stored = value("logo")
    return stored if isinstance(stored, dict) and stored.get("key") else None


def welcome(locale: str) -> tuple[str, str]:
    """The portal home's heading and text in `locale`, as saved ("" where the built-in wording applies)."""
    return value(f"welcome_heading_{locale}", ""), value(f"welcome_text_{locale}", "")
