"""The connection to the mail server, from the settings (or MAIL_URL), and the "send a test email" check.

A check's progress lives in Redis for an hour (queued → connecting → sending → sent, or failed with the reason):
it is a diagnosis, not a record. The password is never logged, never put in a check, never in an error text."""

import json
import secrets
import smtplib
import ssl
from typing import Any

from flask import current_app
from flask_mailman.backends.smtp import EmailBackend
from redis.exceptions import RedisError

from ..core.extensions import mail
from ..core.queue import enqueue_now, get_redis
from ..settings.queries import SmtpSettings

CHECK_JOB = "helpdesk.mail.jobs.send_test_email"
CHECK_TTL = 3600
FINAL = ("sent", "failed")


def connection(settings: SmtpSettings) -> EmailBackend:
    """An SMTP connection (not yet open) with an explicit timeout (MAIL_TIMEOUT)."""
    return mail.get_connection(
        fail_silently=False,
        host=settings.host,
        port=settings.port,
        username=settings.username or "",
        password=settings.password or "",
        use_tls=settings.security == "starttls",
        use_ssl=settings.security == "tls",
        timeout=current_app.config["MAIL_TIMEOUT"],
    )


def describe(exc: BaseException, settings: SmtpSettings) -> dict[str, Any]:
    """What went wrong, as data a page can say in the reader's language: a kind and its details. The server's
    own words are kept as it said them ("535 5.7.8 Authentication credentials invalid")."""
    timeout = current_app.config["MAIL_TIMEOUT"]
    where = {"host": settings.host, "port": settings.port}
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return {"kind": "timeout", "seconds": timeout, **where}
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return {"kind": "reply", "reply": f"{exc.smtp_code} {reply}".strip()}
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()))
        return {"kind": "reply", "reply": f"{code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply}"}
    if isinstance(exc, ConnectionRefusedError):
        return {"kind": "refused", **where}
    if isinstance(exc, ssl.SSLError):
        return {"kind": "tls", "detail": str(exc.reason or exc)}
    if isinstance(exc, OSError) and exc.__class__.__name__ == "gaierror":
        return {"kind": "unknown_host", **where}
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return {"kind": "no_starttls", **where}
    return {"kind": "other", "detail": f"{type(exc).__name__}: {exc}"}


def scrub(text: str, settings: SmtpSettings | None) -> str:
    """Never let the password through an error text, whatever a server echoes back."""
    if settings and settings.password:
        text = text.replace(settings.password, "•••")
    return text


def _key(check_id: str) -> str:
    return f"helpdesk:smtp-check:{check_id}"


def save_check(check_id: str, state: dict[str, Any]) -> None:
    get_redis().set(_key(check_id), json.dumps(state), ex=CHECK_TTL)


def load_check(check_id: str) -> dict[str, Any] | None:
    if not check_id.isascii() or not check_id.replace("-", "").replace("_", "").isalnum() or len(check_id) > 64:
        return None
    try:
        raw = get_redis().get(_key(check_id))
    except (RedisError, OSError):
        return {"state": "unknown"}
    return json.loads(raw) if raw else None


def start_check(user_id: int, to: str) -> str | None:
    """Queue a test email to `to` for the signed-in user; its id, or None when the job queue is unreachable."""
    check_id = secrets.token_urlsafe(12)
    try:
        save_check(check_id, {"state": "queued", "user_id": user_id, "to": to})
    except (RedisError, OSError):
        return None
    return check_id if enqueue_now(CHECK_JOB, check_id) else None
