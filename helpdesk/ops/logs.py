"""Logs never carry a customer's token: gunicorn's access log and our own log lines mask the secret part of
token links (`/my/<token>`, `/survey/<token>`, `/requests/sent/<token>`, `/password/reset/<token>`, and any `?token=`)."""

import re
from datetime import timedelta

from gunicorn.glogging import Logger
from gunicorn.http.message import Request
from gunicorn.http.wsgi import Response

# Every route with a <token> in the URL map starts with one of these (tests/ops checks the URL map).
TOKEN_PREFIXES = ("/my/", "/survey/", "/requests/sent/", "/invitation/", "/password/reset/")
_TOKEN_IN_PATH = re.compile(r"(?P<prefix>" + "|".join(re.escape(p) for p in TOKEN_PREFIXES) + r")[^/?#\s\"]+")
_TOKEN_IN_QUERY = re.compile(r"(?P<prefix>[?&](?:token|key|code)=)[^&#\s\"]+", re.IGNORECASE)
MASK = "…"


def mask_tokens(text: str) -> str:
    """`/my/eyJ0…/attachments/3` → `/my/…/attachments/3`; the rest of the line stays as it was."""
    text = _TOKEN_IN_PATH.sub(lambda m: m["prefix"] + MASK, text)
    return _TOKEN_IN_QUERY.sub(lambda m: m["prefix"] + MASK, text)


class TokenMaskingLogger(Logger):
    """gunicorn's logger with every access-log field that can hold a URL (request line, path, query,
    Referer, any header) masked."""

    def atoms(self, resp: Response, req: Request, environ: dict[str, object], request_time: timedelta) -> dict[str, object]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
