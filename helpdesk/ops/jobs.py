"""Ops jobs: the nightly backup (BACKUP_CRON, registered in jobs/cron.py)."""

import logging

from flask_babel import gettext as _

from ..accounts.services import notify_admins
from ..core.queue import job
from .backup import BackupError, create_backup

log = logging.getLogger(__name__)
BACKUP_FAILED = "backup_failed"  # Notification.kind


@job
def nightly_backup() -> None:
    """The cron's nightly backup. A failure is logged, recorded for last_backup() and told to the admins in the
    app; the job itself then ends normally, so that the notices are committed."""
    try:
        result = create_backup()
    except BackupError as exc:
        error = exc.message
        log.error("nightly backup failed: %s", error)
        notify_admins(BACKUP_FAILED, lambda: _("The nightly backup failed: %(error)s", error=error))
        return
    log.info("backup written path=%s size=%d", result.path, result.size)
