"""Rules every request and response passes through: control characters in input, caching of private pages."""

import re

from flask import Flask, Request, abort, request, session
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.wrappers import Response

# C0 controls other than tab, line feed and carriage return, and DEL. PostgreSQL refuses NUL in text, and
# none of them belongs in anything a person typed or a link we made.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Pages only one person should see: never kept by the browser's or a proxy's cache.
PRIVATE_PREFIXES = ("/my/", "/requests/sent/", "/survey/")


class CleanFormMixin(Request):
    """Form fields lose control characters as they are parsed, so a pasted form feed or NUL never reaches a
    view or the database, and what the person typed is otherwise kept (no 400 for a stray character)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None and any(CONTROL.search(key) or CONTROL.search(value) for key, value in form.items(multi=True)):
            cleaned = [(CONTROL.sub("", key), CONTROL.sub("", value)) for key, value in form.items(multi=True)]
            self.__dict__["form"] = ImmutableMultiDict(cleaned)


def register_request_rules(app: Flask) -> None:
    """Call after the extensions that set their own request class (htmx-flask): this one extends it."""
    app.request_class = type("CleanRequest", (CleanFormMixin, app.request_class), {})

    @app.before_request
    def refuse_control_characters_in_the_address() -> None:
        """A link with NUL or another control character in its path or query is refused with a clear 400."""
        if CONTROL.search(request.path) or any(CONTROL.search(k) or CONTROL.search(v) for k, v in request.args.items(multi=True)):
            abort(400, _("The address contains characters that are not allowed. Please check the link and try again."))

    @app.after_request
    def no_store_for_private_pages(response: Response) -> Response:
        """Staff pages, a customer's ticket pages and attachment downloads are never cached (shared computers)."""
        if request.endpoint == "static":
            return response
        # The session cookie, not current_user: this also runs for error pages, when the database may be down.
        if request.path.startswith(PRIVATE_PREFIXES) or "_user_id" in session:
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
