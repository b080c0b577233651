"""SQLite backups: a consistent copy while the app runs (SQLite's online backup API), owner-only, rotated."""

import logging
import os
import sqlite3
from contextlib import closing
from pathlib import Path

from ..core.models import utcnow

log = logging.getLogger(__name__)


def backup_sqlite(source: Path, folder: Path, *, keep: int) -> Path:
    """Copy the database file `source` into `folder` (made owner-only) and keep the newest `keep` copies.

    A failure (disk full, unreadable database) is logged and raised, and leaves no partial copy behind: a
    half-written file would pass for a backup and push a good one out of the rotation.
    """
    target = folder / f"{source.stem}-{utcnow():%Y%m%d-%H%M%S}.sqlite3"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner-only, like the database itself
        folder.chmod(0o700)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
    except (sqlite3.Error, OSError):
        log.exception("backup failed: database=%s target=%s", source, target)
        target.unlink(missing_ok=True)
        raise
    for old in sorted(folder.glob(f"{source.stem}-*.sqlite3"))[:-keep]:
        old.unlink()
    log.info("backup written: %s", target)
    return target
