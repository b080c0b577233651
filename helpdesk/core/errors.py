"""Domain errors and the handlers that turn every failure into a friendly page, never a bare 500."""

import contextlib
import logging
import math
import time

from flask import Flask, Response, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db, limiter

log = logging.getLogger(__name__)
BUSY_RETRY_SECONDS = 10


class HelpdeskError(Exception):
    """A rule of the domain was broken; the message is shown to the user."""

    status = 422


class InvalidTransition(HelpdeskError):
    status = 422


class StaleVersion(HelpdeskError):
    """Somebody saved the record after this form was loaded (optimistic locking)."""

    status = 409


def _retry_after(error: HTTPException) -> int:
    """Seconds until the rate limit that refused this request lets it through; a minute when unknown."""
    given = getattr(error, "retry_after", None)
    if isinstance(given, int | float) and given > 0:
        return math.ceil(given)
    with contextlib.suppress(Exception):  # the limiter's storage may be down: a guess beats a 500
        for current in limiter.current_limits:
            if current.breached:
                window = current.limit.get_expiry()  # Redis rounds its expiry up: never say more than the window
                return max(1, min(window, math.ceil(current.reset_at - time.time())))
    return 60


def _written(value: str) -> bool:
    """Text a person wrote (shown on the page), not a token or a short field (sent back hidden)."""
    return "\n" in value or (len(value) > 80 and " " in value)


def _form_to_resend() -> dict[str, object] | None:
    """The fields of a failed POST, to send again from the 503 page: short ones hidden, texts shown."""
    if request.method != "POST":
        return None
    fields = [(name, value) for name, value in request.form.items(multi=True) if "password" not in name.lower()]
    return {
        "action": request.full_path.rstrip("?"),
        "hidden": [(name, value) for name, value in fields if not _written(value)],
        "texts": [(name, value) for name, value in fields if _written(value)],
        "file_fields": sorted({name for name, upload in request.files.items(multi=True) if upload.filename}),
        "had_password": any("password" in name.lower() for name in request.form),
    }


def register_error_handlers(app: Flask) -> None:
    """Every failure becomes a page in the site's look (a fragment for htmx), never a bare 500."""

    def page(status: int, title: str, message: str) -> tuple[str, int]:
        template = "errors/fragment.html" if request.headers.get("HX-Request") else "errors/error.html"
        return render_template(template, status=status, title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return page(400, _("Your form expired"), _("The form was open too long or came from another site. Reload the page and try again."))

    @app.errorhandler(HelpdeskError)
    def domain_error(error: HelpdeskError) -> ResponseReturnValue:
        db.session.rollback()
        return page(error.status, _("That did not work"), str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if error.code == 429 and isinstance(error.response, Response):  # a limit's own page (on_breach), e.g. the form again
            return error.response
        titles = {
            400: (_("We could not read that"), _("Something in the request was not understood. Please go back and try again.")),
            404: (_("Page not found"), _("This page does not exist, or the link has expired.")),
            403: (_("Not allowed"), _("You do not have access to this page.")),
            405: (_("Not allowed"), _("This address does not accept that kind of request.")),
            413: (_("Too large"), _("What you sent is larger than we accept.")),
            429: (_("Slow down"), _("Too many attempts in a short time. Please wait a minute and try again.")),
        }
        title, message = titles.get(error.code or 500, (error.name, error.description or ""))
        if error.code == 400 and error.description != type(error).description:  # abort(400, "what was wrong")
            message = str(error.description)
        if error.code == 429:  # every 429 says when to come back (RFC 9110 §10.2.3)
            wait = _retry_after(error)
            if wait > 60:
                message = _("Too many attempts in a short time. Please try again in %(minutes)d minutes.", minutes=math.ceil(wait / 60))
            body, status = page(429, title, message)
            return body, status, {"Retry-After": str(wait)}
        return page(error.code or 500, title, message)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError) -> ResponseReturnValue:
        """A lock waited past its timeout ("database is locked", PostgreSQL's lock or statement timeout) or the
        database is unreachable: 503 with Retry-After, and the form's text handed back to send again."""
        log.warning("database unavailable: %s", error.orig, exc_info=error)
        db.session.expunge_all()  # what was loaded (the signed-in user) stays readable without the database
        db.session.rollback()
        if "_login_user" not in g:  # not loaded yet: do not wait on the database again to draw the page
            g._login_user = AnonymousUserMixin()
        headers = {"Retry-After": str(BUSY_RETRY_SECONDS)}
        title = _("We are very busy right now")
        try:
            if request.headers.get("HX-Request"):
                message = _("Nothing was saved. What you wrote is still here: please send it again in a few seconds.")
                return render_template("errors/fragment.html", title=title, message=message), 503, headers
            return render_template("errors/unavailable.html", title=title, resend=_form_to_resend()), 503, headers
        except Exception:  # even the page needs something that is unavailable: plain words, still a 503
            log.exception("could not render the 503 page")
            return f"<!doctype html><title>503</title><h1>{escape(title)}</h1>", 503, headers

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        log.exception("unhandled error")
        if app.config.get("PROPAGATE_EXCEPTIONS"):
            raise error
        return page(500, _("Something went wrong"), _("The error was logged. Please try again in a moment."))
