"""Translated names of outbox states."""

from flask_babel import lazy_gettext as _l

from .models import EmailStatus

_LABELS = {
    EmailStatus.QUEUED: _l("Queued"),
    EmailStatus.SENDING: _l("Sending"),
    EmailStatus.SENT: _l("Sent"),
    EmailStatus.HELD: _l("Kept (not sent)"),
    EmailStatus.FAILED: _l("Failed"),
    EmailStatus.SKIPPED: _l("Not sent (blocked domain)"),
}


def mail_status(status: EmailStatus) -> str:
    return str(_LABELS.get(status, status))
