"""Changes to the stored settings. Flush, never commit: the caller owns the transaction.

A setting that the environment sets is never written (the environment wins, and the page shows it read-only).
Values are never logged, only the names of what changed."""

import logging
from collections.abc import Mapping
from typing import Any

from ..core.extensions import db
from ..core.storage import StoredFile, path_for
from ..core.transaction import after_commit
from . import crypto
from .keys import ENVIRONMENT
from .models import Setting
from .queries import environment_variable, forget_cached, logo

log = logging.getLogger(__name__)

NAMES = frozenset(
    {
        *ENVIRONMENT,
        "accent_color",
        "logo",
        "welcome_heading_en",
        "welcome_heading_es",
        "welcome_text_en",
        "welcome_text_es",
    }
)
SECRETS = frozenset({"smtp_password"})


def _write(name: str, value: object, actor_id: int | None) -> bool:
    """Store one value (None or "" removes it: back to the default). True when it changed."""
    if name not in NAMES:
        raise ValueError(f"unknown setting {name!r}")
    if environment_variable(name):
        return False
    row = db.session.get(Setting, name)
    if value in (None, ""):
        if row is None:
            return False
        db.session.delete(row)
        return True
    if row is not None and row.value == value:
        return False
    if row is None:
        db.session.add(Setting(key=name, value=value, updated_by_id=actor_id))
    else:
        row.value, row.updated_by_id = value, actor_id
    return True


def save_settings(values: Mapping[str, Any], *, actor_id: int | None) -> list[str]:
    """Store plain settings (not secrets); returns the names that changed. Takes effect once committed."""
    if SECRETS.intersection(values):
        raise ValueError("secrets go through set_secret")
    changed = [name for name, value in values.items() if _write(name, value, actor_id)]
    db.session.flush()
    if changed:
        log.info("settings changed names=%s by=user:%s", ",".join(sorted(changed)), actor_id)
        after_commit(forget_cached)
    return changed


def set_secret(name: str, plain: str | None, *, actor_id: int | None) -> bool:
    """Store a secret encrypted (None removes it). True when something was written; the value is never logged."""
    if name not in SECRETS:
        raise ValueError(f"{name!r} is not a secret setting")
    changed = _write(name, crypto.encrypt(plain) if plain else None, actor_id)
    db.session.flush()
    if changed:
        log.info("settings changed names=%s by=user:%s", name, actor_id)
        after_commit(forget_cached)
    return changed


def replace_logo(stored: StoredFile | None, image_type: str | None = None, *, actor_id: int | None) -> None:
    """Make `stored` (a checked PNG or JPEG already on disk) the logo, or remove the logo (None). The file it
    replaces is deleted once the change is committed."""
    previous = logo()
    value = {"key": stored.key, "type": image_type or "png", "version": stored.sha256[:12]} if stored else None
    if not _write("logo", value, actor_id):
        return
    db.session.flush()
    log.info("settings changed names=logo by=user:%s", actor_id)
    after_commit(forget_cached)
    if previous and (stored is None or previous["key"] != stored.key):
        after_commit(lambda: path_for(previous["key"]).unlink(missing_ok=True))
