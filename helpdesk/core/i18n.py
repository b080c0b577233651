"""Which language and time zone a page is shown in."""

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    """The user's preference, else the visitor's cookie choice, else Accept-Language, else DEFAULT_LOCALE."""
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        if g.get("survey_locale") in languages:  # a customer's page about their own ticket
            return g.survey_locale
        if current_user and current_user.is_authenticated and current_user.locale in languages:
            return current_user.locale
        cookie = request.cookies.get("lang")
        if cookie in languages:
            return cookie
        best = request.accept_languages.best_match(languages)
        if best:
            return best
    return current_app.config["DEFAULT_LOCALE"]


def select_timezone() -> str:
    if has_request_context() and current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["TIMEZONE"]


def in_viewer_language(english: str | None, spanish: str | None, locale: str | None = None) -> str:
    """The text in the viewer's language (or `locale`), else the other one: for admin-written text kept in both."""
    if locale is None:
        locale = str(get_locale() or current_app.config["DEFAULT_LOCALE"])
    first, second = (spanish, english) if locale.startswith("es") else (english, spanish)
    return first or second or ""
