"""Mail jobs: deliver one outbox row (idempotent), sweep rows that never got or lost their job, and the settings
page's test email."""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import or_, select, update

from ..accounts.models import User
from ..core.extensions import db
from ..core.models import utcnow
from ..core.queue import enqueue_now, job
from ..core.storage import path_for
from ..core.urls import external_url
from ..settings.queries import SmtpSettings, smtp_settings
from . import smtp
from .models import EmailStatus, OutgoingEmail
from .outbound import DELIVERY_JOB, LEASE, blocked_domain, mark_not_enqueued, skip_reason

log = logging.getLogger(__name__)

# Waits before attempts 2, 3, …; after the last one the row is marked failed.
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360)]
MAX_ATTEMPTS = len(BACKOFF) + 1


def _claim(email_id: int) -> bool:
    """Move the row from queued to sending, atomically: of two runs of the same job only one wins."""
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == email_id, OutgoingEmail.status == EmailStatus.QUEUED)
        .values(status=EmailStatus.SENDING, attempts=OutgoingEmail.attempts + 1, next_attempt_at=utcnow() + LEASE)
    )
    return result.rowcount == 1


def _deliver(email: OutgoingEmail, settings: SmtpSettings) -> None:
    """One SMTP conversation for one row, with the stored SMTP settings (or MAIL_URL), from MAIL_FROM or the sender saved."""
    headers = {"Message-ID": email.email_message_id}
    if email.in_reply_to:
        headers["In-Reply-To"] = email.in_reply_to
    if email.references:
        headers["References"] = email.references
    if email.is_auto_submitted:  # RFC 3834: tell other robots not to answer us
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=current_app.config["MAIL_FROM"],
        to=[email.to_address],
        headers=headers,
    )
    message.attach_alternative(email.body_html, "text/html")
    for filename, path in _attachments(email):
        message.attach(filename, path.read_bytes(), "application/octet-stream")
    connection = smtp.connection(settings)
    try:
        connection.send_messages([message])
    finally:
        connection.close()  # also after a refusal, or the socket leaks in the worker


def _attachments(email: OutgoingEmail) -> list[tuple[str, Path]]:
    """The files the row names (a public message's, never an internal note's), those still on disk."""
    files = [(item["filename"], path_for(item["key"])) for item in email.attachments or []]
    return [(filename, path) for filename, path in files if path.exists()]


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600


@job(per_item=True)
def send_outgoing_email(email_id: int) -> Iterator[None]:
    """Deliver one outbox row. A second run, or a run for a row already sent, does nothing.

    The claim is committed (the `yield`) before the SMTP conversation, so that a second run waits out the lease.

    An SMTP failure is recorded on the row and retried by the sweeper after a back-off; a permanent
    refusal (5xx) or the last attempt marks the row failed.
    """
    if not _claim(email_id):
        return
    yield
    email = db.session.get(OutgoingEmail, email_id)
    blocked = blocked_domain(email.to_address)
    if blocked:  # queued before the domain was blocked (or by an older version): drop it, for good
        email.status = EmailStatus.SKIPPED
        email.last_error = skip_reason(blocked)
        email.attempts -= 1  # claimed, but never tried
        log.info("email skipped id=%s kind=%s reason=%s", email_id, email.kind, email.last_error)
        return
    settings = smtp_settings()
    if settings is None:
        email.status = EmailStatus.HELD
        log.info("email held id=%s kind=%s reason=no mail server configured", email_id, email.kind)
        return
    try:
        _deliver(email, settings)
    except (smtplib.SMTPException, OSError) as exc:
        email.last_error = smtp.scrub(f"{type(exc).__name__}: {exc}", settings)[:2000]
        if _is_permanent(exc) or email.attempts >= MAX_ATTEMPTS:
            email.status = EmailStatus.FAILED
            log.error("email failed permanently id=%s kind=%s attempt=%s error=%s", email_id, email.kind, email.attempts, email.last_error)
        else:
            email.status = EmailStatus.QUEUED
            email.next_attempt_at = utcnow() + BACKOFF[email.attempts - 1]
            log.warning(
                "email not delivered id=%s kind=%s attempt=%s retry_at=%s error=%s",
                email_id,
                email.kind,
                email.attempts,
                email.next_attempt_at.isoformat(timespec="seconds"),
                email.last_error,
            )
        return
    email.status = EmailStatus.SENT
    email.sent_at = utcnow()
    email.last_error = None
    log.info("email sent id=%s kind=%s attempt=%s", email_id, email.kind, email.attempts)


@job(per_item=True)
def sweep_outbox() -> Iterator[None]:
    """Enqueue every row that is due: never enqueued (Redis was down: due at once), backed off, or abandoned by a
    dead job (its lease ran out). A row whose job Redis took is leased for LEASE; one it refused is due again now."""
    now = utcnow()
    due = db.session.scalars(
        select(OutgoingEmail.id)
        .where(
            OutgoingEmail.status.in_([EmailStatus.QUEUED, EmailStatus.SENDING]),
            OutgoingEmail.next_attempt_at <= now,
        )
        .order_by(OutgoingEmail.next_attempt_at)
        .limit(500)
    ).all()
    for email_id in due:
        db.session.execute(
            update(OutgoingEmail)
            .where(
                OutgoingEmail.id == email_id,
                or_(OutgoingEmail.status == EmailStatus.QUEUED, OutgoingEmail.status == EmailStatus.SENDING),
            )
            .values(status=EmailStatus.QUEUED, next_attempt_at=now + LEASE)
        )
        yield  # leased (committed) before its job exists, so a fast worker finds it claimable
        if not enqueue_now(DELIVERY_JOB, email_id):
            mark_not_enqueued(email_id)  # due again at the next sweep, not after the lease
            break  # Redis is away: the other rows stay due for the next sweep


def _test_message(to: str, locale: str) -> EmailMultiAlternatives:
    company = current_app.config["COMPANY_NAME"]
    with force_locale(locale):
        subject = _("Test email from %(company)s", company=company)
        context = {"company": company, "subject": subject, "link": external_url("portal.home")}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_template("email/settings/test.txt", **context),
            from_email=current_app.config["MAIL_FROM"],
            to=[to],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_template("email/settings/test.html", **context), "text/html")
    return message


@job(per_item=True)
def send_test_email(check_id: str) -> Iterator[None]:
    """The settings page's "Send a test email": talk to the mail server now and record each step (connecting,
    sending, sent) or the exact failure in the check (Redis), for the page that polls it. Not an outbox row and
    never retried: it answers "does this configuration work?". A second run of a finished check does nothing."""
    check = smtp.load_check(check_id)
    if not check or check.get("state") != "queued":
        return
    user = db.session.get(User, check["user_id"])
    locale = (user.locale if user else None) or current_app.config["DEFAULT_LOCALE"]
    yield  # end the transaction: no lock is held while the mail server answers (or doesn't)

    def step(state: str, **details: object) -> None:
        smtp.save_check(check_id, {**check, "state": state, **details})

    settings = smtp_settings()
    blocked = blocked_domain(check["to"])
    if settings is None or settings.password_unreadable or blocked:
        kind = "not_configured" if settings is None else "password_unreadable" if settings.password_unreadable else "blocked"
        step("failed", error={"kind": kind, "domain": blocked})
        return
    step("connecting", server=f"{settings.host}:{settings.port}")
    connection = smtp.connection(settings)
    try:
        connection.open()
        step("sending", server=f"{settings.host}:{settings.port}")
        connection.send_messages([_test_message(check["to"], locale)])
    except (smtplib.SMTPException, OSError) as exc:
        error = smtp.describe(exc, settings)
        error = {k: smtp.scrub(v, settings) if isinstance(v, str) else v for k, v in error.items()}
        log.warning("test email failed check=%s server=%s:%s kind=%s", check_id, settings.host, settings.port, error["kind"])
        step("failed", error=error, server=f"{settings.host}:{settings.port}")
        return
    finally:
        with suppress(smtplib.SMTPException, OSError):
            connection.close()
    log.info("test email sent check=%s server=%s:%s", check_id, settings.host, settings.port)
    step("sent", server=f"{settings.host}:{settings.port}")
