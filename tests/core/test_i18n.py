"""Text an admin writes in both languages: the viewer's language first, the other one when that is empty."""

import pytest
from flask_babel import force_locale

from helpdesk.core.i18n import in_viewer_language

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("english", "spanish", "locale", "shown"),
    [
        ("Refunds", "Reembolsos", "en", "Refunds"),
        ("Refunds", "Reembolsos", "es", "Reembolsos"),
        ("Refunds", "Reembolsos", "es_MX", "Reembolsos"),
        ("Refunds", "Reembolsos", "en_GB", "Refunds"),
        ("Refunds", "", "es", "Refunds"),  # not translated yet: the other language rather than nothing
        ("Refunds", None, "es", "Refunds"),
        ("", "Reembolsos", "en", "Reembolsos"),
        (None, "Reembolsos", "en", "Reembolsos"),
        ("", "", "es", ""),
        (None, None, "en", ""),
        ("Refunds", "Reembolsos", "fr", "Refunds"),  # any other language reads English
    ],
)
def test_the_viewer_reads_their_language_else_the_other(english, spanish, locale, shown):
    assert in_viewer_language(english, spanish, locale) == shown


@pytest.mark.parametrize(("default", "shown"), [("en", "Refunds"), ("es", "Reembolsos")])
def test_without_a_locale_the_pages_language_decides(bare_app, default, shown):
    with bare_app(BABEL_DEFAULT_LOCALE=default).app_context():
        assert in_viewer_language("Refunds", "Reembolsos") == shown


def test_an_email_in_the_customers_language_reads_that_language(bare_app):
    with bare_app(BABEL_DEFAULT_LOCALE="en").test_request_context(), force_locale("es"):
        assert in_viewer_language("Your request", "Tu solicitud") == "Tu solicitud"
