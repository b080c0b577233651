"""The knowledge base in a real browser: suggestions while writing a request, and links inserted into replies."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from helpdesk.extensions import db
from helpdesk.kb.models import Deflection
from tests import factories

pytestmark = pytest.mark.browser


def test_customer_gets_a_suggestion_while_typing_and_opens_it(browser, live_server, app, shot):
    factories.article("Reset your password", "On the sign-in page press **Forgot your password?**.")
    factories.article("Opening hours", "Nine to five.")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/requests/new")
    page.get_by_label("Subject").press_sequentially("I forgot my passw", delay=30)
    suggestion = page.locator("#suggestions").get_by_role("link", name="Reset your password")
    expect(suggestion).to_be_visible()
    expect(page.locator("#suggestions")).not_to_contain_text("Opening hours")
    shot(page, "request-suggestions-en-desktop")
    with context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    expect(article.get_by_role("heading", name="Reset your password")).to_be_visible()
    expect(article.locator("strong")).to_have_text("Forgot your password?")
    article.wait_for_load_state("networkidle")
    db.session.commit()
    [record] = db.session.scalars(select(Deflection)).all()
    assert record.submitted_at is None  # opened, and (so far) no request sent


def test_public_search_updates_as_you_type(browser, live_server, app):
    factories.article("Política de devolución", "Tiene 30 días para devolver.", language="es")
    page = browser.new_context(locale="es-ES").new_page()
    page.goto(f"{live_server}/kb/")
    page.get_by_placeholder("Buscar en los artículos de ayuda").press_sequentially("devolucion", delay=30)
    expect(page.locator("#kb-results mark").first).to_have_text("devolución")


def test_agent_inserts_an_article_link_into_the_reply(browser, live_server, app):
    factories.article("Reset your password", "Use the link.")
    factories.agent("Olga", email="olga@example.com")
    ticket = factories.ticket("Locked out", notify=False)
    page = browser.new_context().new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("olga@example.com")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/tickets/{ticket.number}")
    page.get_by_label("Reply").fill("Hello Carla,")
    page.get_by_text("Find a help article to link").click()
    page.get_by_role("searchbox", name="Search the help articles").press_sequentially("password", delay=30)
    page.get_by_role("button", name="Insert link").click()
    expect(page.get_by_label("Reply")).to_have_value(f"Hello Carla,\nReset your password: {live_server}/kb/reset-your-password\n")
