"""Queue outgoing email: a row in the outbox now, delivery by a job after commit. Flushes, never commits."""

import hashlib
import hmac
from collections.abc import Sequence
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from flask import current_app
from sqlalchemy import update

from ..core.extensions import db
from ..core.models import utcnow
from ..core.queue import enqueue
from ..settings import queries as settings_queries
from .models import EmailStatus, OutgoingEmail

# While a job for a row is queued or running, the sweeper leaves the row alone for this long.
LEASE = timedelta(minutes=10)
DELIVERY_JOB = "helpdesk.mail.jobs.send_outgoing_email"


def is_mail_configured() -> bool:
    """A mail server is set: MAIL_URL in the environment, or the settings page's SMTP host."""
    return settings_queries.is_mail_configured()


def blocked_domain(address: str) -> str | None:
    """The entry of MAIL_BLOCKED_DOMAINS that `address` falls under (its domain or a parent), or None.

    'example' blocks 'shop.example'; 'example.com' blocks 'example.com' and 'mail.example.com'."""
    setting = current_app.config.get("MAIL_BLOCKED_DOMAINS") or ""
    entries = setting.replace(",", " ").split() if isinstance(setting, str) else list(setting)
    domain = parseaddr(address)[1].rpartition("@")[2].strip().rstrip(".").lower()
    for entry in entries:
        entry = entry.strip().strip(".").lower()
        if entry and (domain == entry or domain.endswith("." + entry)):
            return entry
    return None


def skip_reason(entry: str) -> str:
    """What the outbox row records (in English, like the SMTP errors beside it) for a blocked address."""
    return f"Not sent: {entry} is in MAIL_BLOCKED_DOMAINS"


def mail_domain() -> str:
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "localhost"


def new_rfc_message_id(ticket_id: int) -> str:
    """A fresh RFC 5322 Message-ID header value that names its ticket, with an HMAC so that a forged one can be told apart."""
    tag = hmac.new(current_app.config["SECRET_KEY"].encode(), f"t{ticket_id}".encode(), hashlib.sha256).hexdigest()[:8]
    return make_msgid(idstring=f"t{ticket_id}.{tag}", domain=mail_domain())


def queue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str,
    kind: str,
    idempotency_key: str,
    ticket_id: int | None = None,
    ticket_message_id: int | None = None,
    attachments: Sequence[tuple[str, str]] = (),
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    auto_submitted: bool = False,
) -> OutgoingEmail:
    """Write the outbox row; its delivery job is enqueued once the transaction commits.

    `ticket_message_id` is the row id of the ticket message the email carries; `attachments` its files as
    (filename, storage key); `message_id` the RFC Message-ID header (a fresh one when None).

    An address in a blocked domain gets a row marked skipped, with the reason, and no job."""
    blocked = blocked_domain(to)
    status = EmailStatus.QUEUED if is_mail_configured() else EmailStatus.HELD
    if blocked:
        status = EmailStatus.SKIPPED
    email = OutgoingEmail(
        kind=kind,
        ticket_id=ticket_id,
        ticket_message_id=ticket_message_id,
        attachments=[{"filename": name, "key": key} for name, key in attachments] or None,
        to_address=to,
        subject=subject.replace("\r", " ").replace("\n", " ")[:300],
        body_text=body_text,
        body_html=body_html,
        email_message_id=message_id or make_msgid(domain=mail_domain()),
        in_reply_to=in_reply_to,
        references=" ".join(references or []) or None,
        is_auto_submitted=auto_submitted,
        idempotency_key=idempotency_key,
        status=status,
        last_error=skip_reason(blocked) if blocked else None,
        next_attempt_at=utcnow() + LEASE,
    )
    db.session.add(email)
    db.session.flush()
    if email.status is EmailStatus.QUEUED:
        email_id = email.id  # read now: after the commit the object is expired
        enqueue(DELIVERY_JOB, email_id, on_failure=lambda: mark_not_enqueued(email_id))
    return email


def mark_not_enqueued(email_id: int) -> None:
    """Redis did not take the delivery job: make the row due at once, so that the next sweep (within a minute)
    enqueues it, instead of waiting out the lease that covers a job that is queued or running. Its own short
    transaction, after the request's commit."""
    with db.engine.begin() as connection:
        connection.execute(
            update(OutgoingEmail)
            .where(OutgoingEmail.id == email_id, OutgoingEmail.status == EmailStatus.QUEUED)
            .values(next_attempt_at=utcnow())
        )
