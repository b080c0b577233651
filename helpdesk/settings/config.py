"""Stored settings read through app.config: the keys an owner can change in the browser answer from the database,
unless the environment set them (an environment variable always wins, and the settings page shows it read-only).

`install(app)` (called when the settings pages are registered) swaps the app's Config for `LiveConfig` and
records which of these variables the environment set. Every existing `current_app.config["COMPANY_NAME"]`,
`["BASE_URL"]`, `["DEFAULT_LOCALE"]`, `["TIMEZONE"]`, `["MAIL_FROM"]` (and `config.BASE_URL` in templates) then
sees the saved value, in requests, jobs and commands alike, with no change where they are read."""

import os
from email.utils import formataddr
from typing import Any

from flask import Config, Flask, current_app, has_app_context

from . import crypto
from .keys import ENVIRONMENT, LIVE_KEYS
from .queries import stored_values


def environment_variables() -> frozenset[str]:
    """Which of our variables the process environment sets now (NAME, or NAME_FILE for a secret in a file)."""
    return frozenset(name for name in set(ENVIRONMENT.values()) if os.environ.get(name) or os.environ.get(f"{name}_FILE"))


class LiveConfig(Config):
    """app.config whose owner-editable keys answer from the stored settings (see the module docstring)."""

    from_environment: frozenset[str] = frozenset()

    def __getitem__(self, key: str) -> Any:  # noqa: ANN401 (a Config maps names to any value)
        if key in LIVE_KEYS and (value := self._stored(key)) is not None:
            return value
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:  # noqa: ANN401 (as dict.get)
        if key in LIVE_KEYS and (value := self._stored(key)) is not None:
            return value
        return super().get(key, default)

    def _stored(self, key: str) -> object:
        if key in self.from_environment or not has_app_context() or current_app.config is not self:
            return None
        values = stored_values()
        if key == "MAIL_FROM":
            address = values.get("sender_address")
            return formataddr((values.get("sender_name") or "", address)) if address else None
        return values.get(LIVE_KEYS[key]) or None


def install(app: Flask) -> None:
    """Make app.config live (idempotent), note what the environment set, and check SETTINGS_KEY now."""
    if not isinstance(app.config, LiveConfig):
        app.config.__class__ = LiveConfig  # same object: Jinja's `config` and every extension keep it
    app.config.from_environment = environment_variables()  # type: ignore[attr-defined]
    with app.app_context():
        crypto.check_key()
