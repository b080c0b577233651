"""Passwords: the one rule every new password meets, reset links by email, the "password changed" notice.

Flushes, never commits: the view owns the transaction. Never logs a password or a token."""

import hashlib
import hmac
import logging
import re
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from zxcvbn import zxcvbn

from ..core.extensions import db
from ..core.logging import client_address
from ..core.models import utcnow
from ..core.urls import external_url
from ..customers.services import normalize_email
from .devices import device_name
from .models import User
from .outbox import queue_staff_email
from .queries import user_by_email
from .services import end_all_sessions, hash_password

log = logging.getLogger(__name__)
_NOT_WORD = re.compile(r"[\W_]+")

MIN_LENGTH = 12
MAX_LENGTH = 1000
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable: moderate protection from offline slow-hash scenario"
RESET_LINK_SECONDS = 3600
_RESET_PURPOSE = "helpdesk.password-reset"

# zxcvbn speaks English only: its warnings and suggestions are a fixed set, translated here.
_FEEDBACK = {
    "Use a few words, avoid common phrases.": _l("Use a few words, avoid common phrases."),
    "No need for symbols, digits, or uppercase letters.": _l("No need for symbols, digits, or uppercase letters."),
    "Add another word or two. Uncommon words are better.": _l("Add another word or two. Uncommon words are better."),
    "Straight rows of keys are easy to guess.": _l("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Short keyboard patterns are easy to guess."),
    "Use a longer keyboard pattern with more turns.": _l("Use a longer keyboard pattern with more turns."),
    'Repeats like "aaa" are easy to guess.': _l('Repeats like "aaa" are easy to guess.'),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
    ),
    "Avoid repeated words and characters.": _l("Avoid repeated words and characters."),
    'Sequences like "abc" or "6543" are easy to guess.': _l('Sequences like "abc" or "6543" are easy to guess.'),
    "Avoid sequences.": _l("Avoid sequences."),
    "Recent years are easy to guess.": _l("Recent years are easy to guess."),
    "Avoid recent years.": _l("Avoid recent years."),
    "Avoid years that are associated with you.": _l("Avoid years that are associated with you."),
    "Dates are often easy to guess.": _l("Dates are often easy to guess."),
    "Avoid dates and years that are associated with you.": _l("Avoid dates and years that are associated with you."),
    "This is a top-10 common password.": _l("This is one of the 10 most common passwords."),
    "This is a top-100 common password.": _l("This is one of the 100 most common passwords."),
    "This is a very common password.": _l("This is a very common password."),
    "This is similar to a commonly used password.": _l("This is similar to a commonly used password."),
    "A word by itself is easy to guess.": _l("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.": _l("Names and surnames by themselves are easy to guess."),
    "Common names and surnames are easy to guess.": _l("Common names and surnames are easy to guess."),
    "Capitalization doesn't help very much.": _l("Capital letters do not help very much."),
    "All-uppercase is almost as easy to guess as all-lowercase.": _l("All capitals are almost as easy to guess as all lower case."),
    "Reversed words aren't much harder to guess.": _l("Words spelt backwards are not much harder to guess."),
    "Predictable substitutions like '@' instead of 'a' don't help very much.": _l(
        "Predictable substitutions such as “@” for “a” do not help very much."
    ),
}


def _translated(feedback: str) -> str:
    known = _FEEDBACK.get(feedback)
    return str(known) if known is not None else feedback


def _personal_words(email: str, name: str) -> list[str]:
    """The email and name as zxcvbn should try them: whole, joined ("olgapetrova") and word by word, the most
    telling first (zxcvbn ranks earlier inputs as likelier)."""
    local = email.partition("@")[0]
    words = [word for word in _NOT_WORD.split(f"{local} {name}") if word]
    candidates = [email, local, _NOT_WORD.sub("", local), name, _NOT_WORD.sub("", name), *words]
    return list(dict.fromkeys(word for word in candidates if word))


def password_problems(password: str, *, email: str, name: str) -> list[str]:
    """What is wrong with `password` as a new password for this person, translated; empty when it is fine.

    The one rule for every new password (change, reset, invitation): 12 to 1000 characters, and a zxcvbn score
    of at least 3 with the person's email and name given as words an attacker would try first."""
    if len(password) < MIN_LENGTH:
        return [_("A password has at least %(count)d characters.", count=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("A password has at most %(count)d characters.", count=MAX_LENGTH)]
    result = zxcvbn(password[:200], user_inputs=_personal_words(email, name))  # zxcvbn gets slow on very long input; 200 characters decide
    if result["score"] >= MIN_SCORE:
        return []
    problems = [_("This password is too easy to guess.")]
    if any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        problems.append(_("It contains your name or email address."))
    feedback = result["feedback"]
    if feedback.get("warning"):
        problems.append(_translated(feedback["warning"]))
    problems.extend(_translated(suggestion) for suggestion in feedback.get("suggestions", []))
    if len(problems) == 1:
        problems.append(_("Add another word or two. Uncommon words are better."))
    return problems


# Reset links ----------------------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_PURPOSE)


def _fingerprint(user: User) -> str:
    """Changes whenever the password does: a link works until the password it was made for is replaced (single
    use). An HMAC, so the link does not carry anything derived from the hash itself in the clear."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{user.id}:{user.password_hash}".encode(), hashlib.sha256).hexdigest()[:24]


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


class ResetLinkError(Exception):
    """The link cannot be used; `expired` tells a link past its hour from one that is used, broken or unknown."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def user_for_reset(token: str) -> User:
    """The active user a reset link is for. Raises ResetLinkError when it is expired, used, tampered or
    belongs to a deactivated account."""
    if not token or len(token) > 300:
        raise ResetLinkError(expired=False)
    try:
        payload = _serializer().loads(token, max_age=RESET_LINK_SECONDS)
    except SignatureExpired:
        raise ResetLinkError(expired=True) from None
    except BadData:
        raise ResetLinkError(expired=False) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) or not isinstance(payload.get("f"), str):
        raise ResetLinkError(expired=False)
    user = db.session.get(User, payload["u"])
    if user is None or not user.active or not hmac.compare_digest(_fingerprint(user), payload["f"]):
        raise ResetLinkError(expired=False)
    return user


def _email_context(user: User) -> dict[str, object]:
    config = current_app.config
    return {"user": user, "company": config["COMPANY_NAME"], "minutes": RESET_LINK_SECONDS // 60}


def request_reset(email: str) -> None:
    """Email a reset link to the active user with this address; otherwise do nothing visible.

    The caller answers the same either way. Both paths sign a token and render the email, so they take about
    the same time; only a real user gets an outbox row."""
    address = normalize_email(email)
    user = user_by_email(address)
    target = user if user is not None and user.active else User(id=0, email=address, name="", password_hash="-")  # noqa: S106 (a stand-in, never stored)
    locale = target.locale or current_app.config["DEFAULT_LOCALE"]
    with force_locale(locale):
        context = {**_email_context(target), "link": external_url("accounts.reset_password", token=reset_token(target))}
        subject = _("Reset your password for %(company)s", company=context["company"])
        body_text = render_template("email/accounts/password_reset.txt", **context)
        body_html = render_template("email/accounts/password_reset.html", **context)
    if target is not user:
        reason = "unknown-address" if user is None else "deactivated"
        log.info("password reset asked email=%r reason=%s ip=%s", address[:254], reason, client_address())
        return
    queue_staff_email(
        to=user.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind="password_reset",
        idempotency_key=f"password-reset:{user.id}:{secrets.token_hex(8)}",
    )
    log.info("password reset link sent user=%s ip=%s", user.id, client_address())


def change_password(user: User, password: str, *, keep_session: str | None = None, user_agent: str = "", ip: str = "") -> None:
    """Set a new password, end the user's sessions (all but `keep_session`, the key of the one in use) and
    email them that it changed, with when and from where. Flushes."""
    user.password_hash = hash_password(password)
    end_all_sessions(user, except_key=keep_session)
    _queue_changed_email(user, at=utcnow(), user_agent=user_agent, ip=ip)
    db.session.flush()
    log.info("password changed user=%s ip=%s", user.id, client_address())


def _queue_changed_email(user: User, *, at: datetime, user_agent: str, ip: str) -> None:
    config = current_app.config
    with force_locale(user.locale or config["DEFAULT_LOCALE"]):
        context = {
            **_email_context(user),
            "when": _format_for(user, at),
            "device": device_name(user_agent) if user_agent else "",
            "ip": ip,
            "forgot": external_url("accounts.forgot_password"),
        }
        queue_staff_email(
            to=user.email,
            subject=_("Your password for %(company)s was changed", company=context["company"]),
            body_text=render_template("email/accounts/password_changed.txt", **context),
            body_html=render_template("email/accounts/password_changed.html", **context),
            kind="password_changed",
            idempotency_key=f"password-changed:{user.id}:{secrets.token_hex(8)}",
        )


def _format_for(user: User, at: datetime) -> str:
    """The moment in the user's own time zone and language, with the zone named ("22 Nov 2026, 15:04 (Europe/Madrid)")."""
    zone_name = user.timezone or current_app.config["TIMEZONE"]
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError):
        zone_name, zone = "UTC", ZoneInfo("UTC")
    locale = user.locale or current_app.config["DEFAULT_LOCALE"]
    return f"{format_datetime(at, 'medium', tzinfo=zone, locale=locale)} ({zone_name})"
