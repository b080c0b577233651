"""The one module that knows about htmx: page or fragment, and events for other regions."""

from flask import Response, render_template
from htmx_flask import make_response, request


def wants_fragment() -> bool:
    """Swaps get fragments; boosted navigation and history restores get full pages."""
    hx = request.htmx
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def render(page: str, fragment: str, /, *, status: int = 200, trigger: dict[str, object] | None = None, **context: object) -> Response:
    """Render the full page, or only the fragment for an htmx swap; same context for both."""
    if wants_fragment():
        response = make_response(render_template(fragment, **context), status, trigger=trigger)
    else:
        response = make_response(render_template(page, **context), status)
    response.vary.add("HX-Request")
    return response
