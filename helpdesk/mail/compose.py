"""Pieces of the emails we write: plain text made safe HTML (escaped, links clickable), quotes, dates, the marker.

Pure functions, used as template filters (registered by the mail blueprint) and by the code that renders emails."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

# The id of the hidden element at the top of every HTML email: a customer's reply is what they write above it.
REPLY_MARKER_ID = "helpdesk-reply-above"

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*_"
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def _trim(url: str) -> str:
    """Leave sentence punctuation and an unmatched closing bracket outside the link: '(see https://x.test/a).'"""
    while url and (url[-1] in _TRAILING or (url[-1] in _CLOSERS and url.count(url[-1]) > url.count(_CLOSERS[url[-1]]))):
        url = url[:-1]
    return url


def reply_marker() -> str:
    """The visible line at the top of every email, in the current language (the customer's, when rendering)."""
    words = _("Reply above this line")
    return f"-- {words} --"


def reply_marker_lines() -> set[str]:
    """That line in every language we write: where email-in cuts a plain-text reply."""
    lines = set()
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            lines.add(reply_marker())
    return lines


def linkify(text: str | None) -> Markup:
    """Escape plain text and make its http(s) links clickable (without a referrer or a handle on our page)."""
    text = text or ""
    out, last = [], 0
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        if "://" not in url or url.endswith("://"):
            continue
        out.append(escape(text[last : match.start()]))
        out.append(Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url))
        last = match.start() + len(url)
    out.append(escape(text[last:]))
    return Markup("").join(out)


def paragraphs(text: str | None, style: str = "margin: 0 0 16px;") -> Markup:
    """Plain text as HTML paragraphs: blank lines part them, single newlines become <br> (white-space: pre-wrap
    is not kept by every email client)."""
    blocks = re.split(r"\n[ \t]*\n+", (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n"))
    return Markup("").join(
        Markup('<p style="{0}">{1}</p>').format(style, Markup("<br>\n").join(linkify(line) for line in block.split("\n")))
        for block in blocks
        if block.strip()
    )


def quoted(text: str | None) -> str:
    """Plain text quoted the email way: every line starts with '> '."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)


def written_at(moment: datetime) -> tuple[str, str]:
    """The date and the time of `moment` for the customer: their language, the company's time zone (TIMEZONE)."""
    local = moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    locale = get_locale() or current_app.config["DEFAULT_LOCALE"]
    return format_date(local, "medium", locale=locale), format_time(local, "short", locale=locale)
