"""Customer emails as a phone and a desktop show them, and a skipped email on the admin's Outgoing mail page."""

import pytest
from playwright.sync_api import expect

from helpdesk.accounts.models import Role
from helpdesk.core.extensions import db
from helpdesk.tickets import services as tickets
from tests import factories
from tests.conftest import run_jobs

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en", "es"])
def test_customer_emails_fit_a_phone_and_show_a_button_to_the_ticket(browser, app, inbox, shot, locale):
    ticket = factories.ticket(
        "My hiking boots arrived with a torn sole",
        body="The left sole is torn at the heel. Photos: https://photos.example.net/album/abc123def456?share=1&size=large",
        locale=locale,
    )
    tickets.add_reply(
        ticket,
        author=factories.agent("Sam Agent"),
        body="Sorry about that! Track the new pair here: https://track.example.com/parcel/ES1234567890123456789012345.",
    )
    db.session.commit()
    run_jobs(app)
    assert len(inbox.messages) == 2
    for width in (390, 1366):
        page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        for name, mail in zip(("acknowledgement", "reply"), inbox.messages, strict=True):
            page.set_content(mail.get_body(("html",)).get_content())
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the screen
            button = page.locator("a.helpdesk-button")
            expect(button).to_be_visible()
            box = button.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 40  # a thumb-sized target
            card = page.locator(".helpdesk-company")
            assert card.bounding_box()["width"] <= 600
            shot(page, f"email-{name}-{locale}-{width}")
        page.context.close()


@pytest.mark.parametrize(("locale", "badge"), [("en", "Not sent (blocked domain)"), ("es", "No enviado (dominio bloqueado)")])
def test_admin_sees_why_an_email_to_a_blocked_domain_was_not_sent(browser, live_server, app, shot, locale, badge):
    factories.ticket("Printer on fire", email="carla@shop.invalid")  # the suite blocks only .invalid
    factories.agent("Ada Admin", role=Role.OWNER, email="ada@acme.test", locale=locale)
    page = browser.new_context(viewport={"width": 1366, "height": 800}).new_page()
    page.goto(f"{live_server}/login")
    page.locator("input[name=email]").fill("ada@acme.test")
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto(f"{live_server}/admin/outgoing-mail/")
    row = page.locator("tr", has_text="carla@shop.invalid")
    expect(row.locator(".badge.mail-skipped")).to_have_text(badge)
    shot(page, f"outgoing-mail-skipped-{locale}")
    row.get_by_role("link").click()
    expect(page.locator(".email-view")).to_contain_text("shop.invalid")
    expect(page.locator(".email-view")).to_contain_text("MAIL_BLOCKED_DOMAINS")
    button = page.frame_locator("iframe.email-html").locator("a.helpdesk-button")
    expect(button).to_have_text("Follow your request")  # the customer's language, not the admin's
    shot(page, f"outgoing-mail-skipped-detail-{locale}")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, f"outgoing-mail-skipped-detail-{locale}-phone")
