"""Links: absolute ones for emails (from BASE_URL, never the Host header) and safe local redirect targets."""

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import current_app

# What a browser drops or rewrites inside a URL (C0/C1 controls, DEL, zero-width and bidi marks, line separators):
# "/\t/evil.example" is "//evil.example" to the browser, so any of these makes a target unsafe.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def external_url(endpoint: str, **values: object) -> str:
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def is_local_path(value: str | None) -> bool:
    """True for a path on this site ("/tickets/?view=mine"), false for anything a browser could take elsewhere.

    The whole value is checked as given; its path is also checked percent-decoded once (%09, %5C, %2F) and
    NFKC-folded (fullwidth "／", "＼" and other look-alikes), so no spelling of "//", "/\\" or "scheme:" gets
    through, while a query string may keep its encoded line breaks (a no-JavaScript form's text).
    """
    if not value or len(value) > 2000:
        return False
    path = unquote(re.split(r"[?#]", value, maxsplit=1)[0])
    for candidate in (value, path, unicodedata.normalize("NFKC", path)):
        if _INVISIBLE.search(candidate) or "\\" in candidate:
            return False
        if not candidate.startswith("/") or candidate.startswith("//"):
            return False
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(value: str | None, default: str) -> str:
    """The redirect target taken from the request if it stays on this site, else `default`."""
    return value if is_local_path(value) else default
