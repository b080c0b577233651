"""Logging: one line per event on stderr (systemd/journald keeps it), ISO timestamps, the request id on web lines,
the level from LOG_LEVEL. Never log a password, a token or a secret: log ids and outcomes."""

import logging
import re
import secrets
import sys
from typing import TextIO

from flask import Flask, Response, g, has_request_context, request

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test's capture, gunicorn's redirected stream)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


class _RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure_logging(app: Flask) -> None:
    """Our loggers ("helpdesk.*") get one stderr handler (replaced, not added, when another app is built)."""
    logger = logging.getLogger("helpdesk")
    for handler in [h for h in logger.handlers if isinstance(h, _StderrHandler)]:
        logger.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT))
    handler.addFilter(_RequestId())
    logger.addHandler(handler)
    logger.setLevel(app.config.get("LOG_LEVEL") or "INFO")
    logger.propagate = False  # one line per event, whatever the root logger has (alembic's console handler)

    @app.before_request
    def assign_request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _INCOMING_ID.fullmatch(incoming) else secrets.token_hex(6)

    @app.after_request
    def tell_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response


def client_address() -> str:
    """The client's address for a log line, '-' outside a request."""
    return (request.remote_addr or "-") if has_request_context() else "-"
