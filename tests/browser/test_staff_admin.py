"""Staff admin in Chromium: the owner invites an agent from /admin/users, the agent opens the emailed link (read
from the SMTP inbox), sets a password and lands in the queue. Screenshots of the staff list, a user's page and
the invitation page on a phone and a laptop, in English and Spanish."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from helpdesk.accounts import services as accounts
from helpdesk.accounts.models import Role, Team, User
from helpdesk.core.extensions import db
from tests import factories
from tests.conftest import run_jobs

pytestmark = pytest.mark.browser
PASSWORD = "velvet harbour tangerine 42"


def signed_in(browser, live_server, email: str, *, width: int = 1366, password: str = factories.PASSWORD):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/tickets/")
    return page


def test_the_owner_invites_an_agent_who_sets_a_password_and_lands_in_the_queue(browser, live_server, app, inbox, shot):
    factories.agent("Olga Owner", role=Role.OWNER, email="olga@example.com")
    andy = factories.agent("Andy Agent", email="andy@example.com")
    db.session.add(Team(name="Billing", members=[andy]))
    ticket = factories.ticket("Printer on fire", notify=False)
    ticket.assignee = andy
    db.session.commit()
    andy_id = andy.id

    owner = signed_in(browser, live_server, "olga@example.com")
    owner.get_by_role("link", name="Settings").or_(owner.locator("summary", has_text="Settings")).first.click()
    owner.get_by_role("link", name="Staff").click()
    owner.wait_for_url("**/admin/users")
    invite = owner.locator("#invite")
    invite.get_by_label("Name").fill("Nina Navarro")
    invite.get_by_label("Email").fill("nina@example.com")
    invite.get_by_label("Role").select_option("agent")
    invite.get_by_label("Billing").check()
    invite.get_by_role("button", name="Send invitation").click()
    expect(owner.get_by_text("Invitation sent to nina@example.com. The link works for 72 hours.")).to_be_visible()
    expect(owner.locator("#invitations + .table-wrap")).to_contain_text("Nina Navarro")
    shot(owner, "staff-users-en-laptop")

    run_jobs(app)
    [mail] = [m for m in inbox.messages if m["To"] == "nina@example.com"]
    link = re.search(r'href="(http://127\.0\.0\.1:\d+/invitation/[A-Za-z0-9_-]+)"', mail.get_body(("html",)).get_content()).group(1)
    email_view = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    email_view.set_content(mail.get_body(("html",)).get_content())
    shot(email_view, "staff-invitation-email-en-phone")

    nina = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    nina.goto(link)
    expect(nina.get_by_role("heading", name="Join Acme")).to_be_visible()
    shot(nina, "staff-invitation-en-phone")
    nina.get_by_label("Choose a password").fill("short")
    nina.get_by_label("The same password again").fill("short")
    nina.get_by_role("button", name="Create my account").click()
    expect(nina.get_by_text("A password has at least 12 characters.")).to_be_visible()
    expect(nina.get_by_label("Your name")).to_have_value("Nina Navarro")
    nina.get_by_label("Choose a password").fill(PASSWORD)
    nina.get_by_label("The same password again").fill(PASSWORD)
    nina.get_by_role("button", name="Create my account").click()
    nina.wait_for_url("**/tickets/")
    expect(nina.get_by_text("Welcome, Nina Navarro. Your account is ready and you are signed in.")).to_be_visible()
    # The link is used up.
    nina.goto(link)
    expect(nina.get_by_role("heading", name="This invitation was already used")).to_be_visible()

    # The owner sees Nina on the staff list, and Andy's page with his open ticket.
    owner.goto(f"{live_server}/admin/users")
    expect(owner.locator(".staff-list").first).to_contain_text("nina@example.com")
    owner.goto(f"{live_server}/admin/users/{andy_id}")
    owner.get_by_role("button", name="Deactivate Andy Agent").click()
    expect(owner.get_by_text("Andy Agent is deactivated and signed out everywhere.")).to_be_visible()
    expect(owner.locator(".staff-tickets")).to_contain_text("Printer on fire")
    shot(owner, "staff-user-en-laptop")
    owner.set_viewport_size({"width": 390, "height": 844})
    shot(owner, "staff-user-en-phone")
    owner.goto(f"{live_server}/admin/users")
    shot(owner, "staff-users-en-phone")
    owner.goto(f"{live_server}/admin/users/{andy_id}")
    owner.get_by_role("button", name="Unassign").click()
    expect(owner.get_by_text(f"Ticket {ticket.reference} is now unassigned.")).to_be_visible()

    db.session.rollback()
    user = db.session.scalars(select(User).where(User.email == "nina@example.com")).one()
    assert user.role is Role.AGENT and [t.name for t in user.teams] == ["Billing"]


def test_the_staff_pages_in_spanish(browser, live_server, app, shot):
    owner = factories.agent("Olga Owner", role=Role.OWNER, email="olga@example.com", locale="es")
    andy = factories.agent("Andy Agent", email="andy@example.com")
    ticket = factories.ticket("Impresora en llamas", notify=False)
    ticket.assignee = andy
    _, token = accounts.invite(email="nina@example.com", name="Nina Navarro", role=Role.AGENT, team_ids=[], by=owner)
    db.session.commit()
    for width, device in ((1366, "laptop"), (390, "phone")):
        page = signed_in(browser, live_server, "olga@example.com", width=width)
        page.goto(f"{live_server}/admin/users")
        expect(page.get_by_role("heading", name="Personal", exact=True)).to_be_visible()
        shot(page, f"staff-users-es-{device}")
        page.goto(f"{live_server}/admin/users/{andy.id}")
        expect(page.get_by_text("Tickets abiertos asignados a Andy Agent")).to_be_visible()
        shot(page, f"staff-user-es-{device}")
        visitor = browser.new_context(viewport={"width": width, "height": 900}, locale="es-ES").new_page()
        visitor.goto(f"{live_server}/invitation/{token}")
        expect(visitor.get_by_role("heading", name="Únase a Acme")).to_be_visible()
        shot(visitor, f"staff-invitation-es-{device}")
        if device == "laptop":
            shot(page, "staff-user-es-laptop")
            english = browser.new_context(viewport={"width": width, "height": 900}).new_page()
            english.goto(f"{live_server}/invitation/{token}")
            shot(english, "staff-invitation-en-laptop")
            english.goto(f"{live_server}/invitation/{token}x")
            shot(english, "staff-invitation-invalid-en-laptop")
