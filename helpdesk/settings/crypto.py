"""Secrets at rest: Fernet with a key from SETTINGS_KEY, or derived from SECRET_KEY with HKDF.

SETTINGS_KEY may hold several Fernet keys separated by commas: the first encrypts, all decrypt (rotation). The key
derived from SECRET_KEY always decrypts too, so setting SETTINGS_KEY later keeps the stored password readable.
Nothing here logs a value."""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_INFO = b"helpdesk stored settings v1"


class SettingsKeyError(RuntimeError):
    """SETTINGS_KEY is not a Fernet key; the message says how to make one."""


def derived_key(secret_key: str) -> bytes:
    """A Fernet key from SECRET_KEY (HKDF-SHA256): stable for one SECRET_KEY, unrelated to its other uses."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"helpdesk-settings", info=_INFO).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


def _fernet() -> MultiFernet:
    config = current_app.config
    keys: list[Fernet] = []
    for given in (config.get("SETTINGS_KEY") or "").split(","):
        if given.strip():
            try:
                keys.append(Fernet(given.strip().encode()))
            except ValueError as exc:
                raise SettingsKeyError(
                    "SETTINGS_KEY must be a Fernet key (32 url-safe base64-encoded bytes). Generate one with: "
                    "python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
                ) from exc
    keys.append(Fernet(derived_key(config["SECRET_KEY"])))
    return MultiFernet(keys)


def check_key() -> None:
    """Raise SettingsKeyError now (at start-up) rather than when an owner first saves a password."""
    _fernet()


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str | None:
    """The secret, or None when no key we have opens it (SECRET_KEY or SETTINGS_KEY changed since it was saved)."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError):
        return None
