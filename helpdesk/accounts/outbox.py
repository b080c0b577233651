"""How accounts emails a staff member without importing the mail domain (which sits above it in the layers):
`create_app` hands over the outbox's `queue_email` once; accounts calls `queue_staff_email` within its transaction."""

from collections.abc import Callable

from flask import current_app

_EXTENSION = "helpdesk_staff_outbox"


def connect_outbox(app_extensions: dict[str, object], queue_email: Callable[..., object]) -> None:
    """Called by create_app with `mail.outbound.queue_email` (writes the outbox row, delivery after commit)."""
    app_extensions[_EXTENSION] = queue_email


def queue_staff_email(*, to: str, subject: str, body_text: str, body_html: str, kind: str, idempotency_key: str) -> None:
    """Write one email to a staff member into the outbox (auto-submitted: no auto-replies back). Flushes."""
    queue_email = current_app.extensions.get(_EXTENSION)
    if queue_email is None:
        raise RuntimeError("no outbox connected: create_app connects mail.outbound.queue_email")
    queue_email(
        to=to, subject=subject, body_text=body_text, body_html=body_html, kind=kind, idempotency_key=idempotency_key, auto_submitted=True
    )
