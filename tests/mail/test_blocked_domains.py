"""Reserved example domains (RFC 2606 / 6761) never get email: the row says why, and nothing is retried."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from helpdesk.accounts.models import Role
from helpdesk.config import Config
from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.mail.jobs import sweep_outbox
from helpdesk.mail.models import EmailStatus, OutgoingEmail
from helpdesk.mail.outbound import blocked_domain
from tests import factories
from tests.conftest import run_jobs

DEFAULT = Config().MAIL_BLOCKED_DOMAINS


def emails() -> list[OutgoingEmail]:
    db.session.commit()
    return list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("carla@example.com", "example.com"),
        ("Carla <CARLA@Example.COM>", "example.com"),
        ("carla@mail.example.com", "example.com"),
        ("tom@example.net", "example.net"),
        ("anna@example.org", "example.org"),
        ("shop@shop.example", "example"),
        ("x@host.invalid", "invalid"),
        ("carla@examplecom.com", None),
        ("carla@example.com.au", None),
        ("carla@myexample.com", None),
        ("carla@example.co", None),
        ("carla@acme.test", None),
    ],
)
def test_the_default_list_blocks_the_reserved_example_domains_and_nothing_else(make_app, address, blocked):
    with make_app(MAIL_BLOCKED_DOMAINS=DEFAULT).app_context():
        assert blocked_domain(address) == blocked


@pytest.mark.parametrize("setting", ["", "  ", ","])
def test_an_empty_list_blocks_nothing(make_app, setting):
    with make_app(MAIL_BLOCKED_DOMAINS=setting).app_context():
        assert blocked_domain("carla@example.com") is None


def test_a_custom_list_may_be_comma_separated(make_app):
    with make_app(MAIL_BLOCKED_DOMAINS="staging.acme.test, .invalid").app_context():
        assert blocked_domain("a@staging.acme.test") == "staging.acme.test"
        assert blocked_domain("a@b.invalid") == "invalid"
        assert blocked_domain("a@acme.test") is None


def test_mail_to_a_reserved_domain_is_never_sent_nor_retried(make_app, app, inbox):
    blocked = make_app(MAIL_BLOCKED_DOMAINS=DEFAULT)
    with blocked.app_context():
        factories.ticket("Printer on fire", email="carla@example.com")
        factories.ticket("Paper jam", email="pat@shop.test")
        run_jobs(blocked)
        skipped, sent = emails()
        assert skipped.status is EmailStatus.SKIPPED and skipped.attempts == 0
        assert skipped.last_error == "Not sent: example.com is in MAIL_BLOCKED_DOMAINS"
        assert sent.status is EmailStatus.SENT
        assert [m["To"] for m in inbox.messages] == ["pat@shop.test"]

        with time_machine.travel(utcnow() + timedelta(days=2), tick=False):
            sweep_outbox()
            assert run_jobs(blocked) == 0
        assert emails()[0].status is EmailStatus.SKIPPED
        assert len(inbox.messages) == 1


def test_mail_queued_before_the_domain_was_blocked_is_dropped_at_delivery(make_app, app, inbox):
    factories.ticket(email="carla@example.com")  # the suite's own list lets example.com through
    [email] = emails()
    assert email.status is EmailStatus.QUEUED
    run_jobs(make_app(MAIL_BLOCKED_DOMAINS=DEFAULT))
    [email] = emails()
    assert email.status is EmailStatus.SKIPPED and "example.com" in email.last_error and email.attempts == 0
    assert inbox.messages == []


def test_the_demo_data_emails_nobody_even_with_a_mail_server(make_app, app, inbox):
    demo = make_app(MAIL_BLOCKED_DOMAINS=DEFAULT)
    with demo.app_context():
        result = demo.test_cli_runner().invoke(args=["seed", "demo"])
        assert result.exit_code == 0, result.output
        run_jobs(demo)
        rows = emails()
    assert len(rows) >= 9  # the acknowledgements and a reply
    assert {row.status for row in rows} == {EmailStatus.SKIPPED}
    assert inbox.messages == []


@pytest.mark.parametrize(
    ("locale", "badge", "reason"),
    [
        ("en", "Not sent (blocked domain)", "example.com is a blocked domain (MAIL_BLOCKED_DOMAINS"),
        ("es", "No enviado (dominio bloqueado)", "example.com es un dominio bloqueado (MAIL_BLOCKED_DOMAINS"),
    ],
)
def test_admins_see_a_skipped_email_and_why_in_their_language(make_app, app, locale, badge, reason):
    blocked = make_app(MAIL_BLOCKED_DOMAINS=DEFAULT)
    with blocked.app_context():
        factories.ticket(email="carla@example.com")
        [email] = emails()
        client = blocked.test_client()
        factories.login(client, factories.agent("Ada Admin", role=Role.OWNER, locale=locale))
        listing = client.get("/admin/outgoing-mail/")
        assert badge in listing.text and "carla@example.com" in listing.text
        detail = client.get(f"/admin/outgoing-mail/{email.id}")
        assert badge in detail.text and reason in detail.text


def test_the_first_run_message_names_the_password_and_settings_pages(make_app, app):
    demo = make_app(MAIL_BLOCKED_DOMAINS=DEFAULT)
    with demo.app_context():
        result = demo.test_cli_runner().invoke(args=["seed", "demo"])
        assert result.exit_code == 0, result.output
    assert "http://helpdesk.test/account/security" in result.output
    assert "http://helpdesk.test/admin/settings" in result.output
    with demo.app_context():  # the pages it names exist (signed out: the sign-in page)
        client = demo.test_client()
        for path in ("/account/security", "/admin/settings"):
            assert client.get(path).status_code == 302
