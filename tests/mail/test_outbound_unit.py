"""Outgoing mail's pure rules: which addresses are never mailed, and Message-IDs that name their ticket."""

import re

import pytest

from helpdesk.mail.outbound import blocked_domain, mail_domain, new_rfc_message_id, skip_reason

# Pure, but not in the fast level: importing helpdesk.mail.outbound imports the extensions (Flask-Migrate with Alembic,
# Flask-Limiter, Flask-Mailman, RQ and Redis), a third of the fast level's two seconds.

RESERVED = "example.com example.net example.org example invalid"  # the default setting


@pytest.mark.parametrize(
    ("setting", "address", "blocked"),
    [
        (RESERVED, "carla@example.com", "example.com"),
        (RESERVED, "Carla Núñez <CARLA@Example.COM>", "example.com"),
        (RESERVED, "carla@mail.example.com", "example.com"),
        (RESERVED, "carla@example.com.", "example.com"),  # the root dot changes nothing
        (RESERVED, "shop@tienda.example", "example"),
        (RESERVED, "carla@example.com.mx", None),
        (RESERVED, "carla@notexample.com", None),
        (RESERVED, "carla@acme.test", None),
        (RESERVED, "not an address", None),
        (RESERVED, "", None),
        ("staging.acme.test, .INVALID.", "a@b.invalid", "invalid"),
        ("staging.acme.test, .INVALID.", "a@staging.acme.test", "staging.acme.test"),
        ("staging.acme.test, .INVALID.", "a@acme.test", None),
        (["acme.test"], "a@eu.acme.test", "acme.test"),  # a list in the config works too
        ("", "carla@example.com", None),
        (" , ", "carla@example.com", None),
        (None, "carla@example.com", None),
    ],
)
def test_only_addresses_under_a_blocked_domain_are_never_mailed(bare_app, setting, address, blocked):
    with bare_app(MAIL_BLOCKED_DOMAINS=setting).app_context():
        assert blocked_domain(address) == blocked


def test_a_skipped_email_says_which_setting_stopped_it():
    assert skip_reason("example.com") == "Not sent: example.com is in MAIL_BLOCKED_DOMAINS"


@pytest.mark.parametrize(
    ("sender", "domain"),
    [("Acme Support <support@acme.test>", "acme.test"), ("help@soporte.example.es", "soporte.example.es"), ("", "localhost")],
)
def test_message_ids_use_the_senders_domain(bare_app, sender, domain):
    with bare_app(MAIL_FROM=sender, SECRET_KEY="s3cret").app_context():
        assert mail_domain() == domain
        assert new_rfc_message_id(1042).endswith(f"@{domain}>")


def test_a_message_id_names_its_ticket_with_a_tag_only_our_secret_makes(bare_app):
    def tag(secret: str, ticket_id: int) -> str:
        with bare_app(MAIL_FROM="support@acme.test", SECRET_KEY=secret).app_context():
            first, second = new_rfc_message_id(ticket_id), new_rfc_message_id(ticket_id)
        assert first != second  # every email its own Message-ID
        found = [re.fullmatch(r"<\d+\.\d+\.\d+\.t(\d+)\.([0-9a-f]{8})@acme\.test>", mid) for mid in (first, second)]
        assert all(found), (first, second)
        assert {m.group(1) for m in found} == {str(ticket_id)}
        assert found[0].group(2) == found[1].group(2)
        return found[0].group(2)

    assert tag("s3cret", 1042) != tag("s3cret", 1043)
    assert tag("s3cret", 1042) != tag("other secret", 1042)
