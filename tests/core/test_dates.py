"""Dates on pages: the viewer's short date and time, in their language and time zone, exactly as Babel writes it."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import g
from flask_babel import force_locale, format_datetime

from helpdesk.core.dates import short_datetime

pytestmark = pytest.mark.fast

AFTERNOON = datetime(2026, 11, 22, 15, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "zone", "moment", "shown"),
    [
        ("en", "UTC", AFTERNOON, "11/22/26, 3:04\u202fPM"),
        ("es", "UTC", AFTERNOON, "22/11/26, 15:04"),
        ("en", "UTC", datetime(2026, 1, 5, 0, 7, tzinfo=UTC), "1/5/26, 12:07\u202fAM"),  # midnight is 12 AM
        ("en", "UTC", datetime(2026, 1, 5, 12, 0, tzinfo=UTC), "1/5/26, 12:00\u202fPM"),  # noon is 12 PM
        ("es", "UTC", datetime(2026, 1, 5, 0, 7, tzinfo=UTC), "5/1/26, 0:07"),
        ("es", "UTC", datetime(2009, 12, 31, 23, 59, tzinfo=UTC), "31/12/09, 23:59"),  # two-digit year keeps its zero
        ("es", "America/Mexico_City", datetime(2026, 11, 22, 3, 0, tzinfo=UTC), "21/11/26, 21:00"),  # the day before there
        ("en", "Asia/Tokyo", datetime(2026, 12, 31, 20, 30, tzinfo=UTC), "1/1/27, 5:30\u202fAM"),  # the year after there
        ("es", "Europe/Madrid", datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "29/3/26, 3:30"),  # summer time began at 01:00 UTC
        ("es", "UTC", datetime(2026, 11, 22, 10, 4, tzinfo=timezone(timedelta(hours=-5))), "22/11/26, 15:04"),  # any aware value
    ],
)
def test_a_moment_is_shown_in_the_viewers_language_and_time_zone(bare_app, locale, zone, moment, shown):
    with bare_app(BABEL_DEFAULT_LOCALE=locale, BABEL_DEFAULT_TIMEZONE=zone).app_context():
        assert short_datetime(moment) == shown


@pytest.mark.parametrize("locale", ["en", "es", "es_MX", "en_GB", "ar", "zh_Hant_TW", "yo"])
def test_the_fast_path_writes_what_babel_writes(bare_app, locale):
    """zh_Hant_TW ("B", a flexible day period) and yo ("m") use fields the fast path leaves to Babel."""
    with bare_app(BABEL_DEFAULT_TIMEZONE="America/Bogota").app_context(), force_locale(locale):
        for hour in (0, 6, 11, 12, 13, 18, 23):
            moment = datetime(2026, 7, 4, hour, 9, tzinfo=UTC)
            assert short_datetime(moment) == format_datetime(moment, "short"), hour


def test_switching_language_within_one_request_switches_the_format(bare_app):
    """The compiled pattern is kept per request, per language: an email in Spanish sent from an English page."""
    with bare_app(BABEL_DEFAULT_LOCALE="en", BABEL_DEFAULT_TIMEZONE="UTC").test_request_context():
        assert short_datetime(AFTERNOON) == "11/22/26, 3:04\u202fPM"
        with force_locale("es"):
            assert short_datetime(AFTERNOON) == "22/11/26, 15:04"
        assert short_datetime(AFTERNOON) == "11/22/26, 3:04\u202fPM"
        assert len(g._short_datetime) == 2
