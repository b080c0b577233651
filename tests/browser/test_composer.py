"""The agent's ticket page in a real browser: the composer, unsaved Details, leaving the page, focus and fit."""

import re

import pytest
from playwright.sync_api import expect

from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets.models import TicketStatus
from tests import factories
from tests.tickets.test_ticket_page import fresh_ticket

pytestmark = pytest.mark.browser


def signed_in(browser, live_server, email: str, *, width: int = 1366, locale: str = "en-US"):
    page = browser.new_context(viewport={"width": width, "height": 900}, locale=locale).new_page()
    page.goto(f"{live_server}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    return page


def test_details_chosen_before_send_are_saved_with_the_reply(browser, live_server):
    factories.agent("Olga Agent", email="olga@example.com")
    pedro = factories.agent("Pedro Agent")
    ticket = factories.ticket(notify=False)
    page = signed_in(browser, live_server, "olga@example.com")
    page.goto(f"{live_server}/tickets/{ticket.number}")
    page.get_by_label("Status").select_option("resolved")
    page.get_by_label("Assignee").select_option(label="Pedro Agent")
    expect(page.get_by_text("Unsaved changes: save them here")).to_be_visible()
    expect(page.locator("[data-sidebar-notice]")).to_have_text(
        "Your unsaved changes to Status, Assignee in Details will be saved with this message."
    )
    page.get_by_role("textbox", name="Reply", exact=True).fill("Done, Pedro follows up.")
    page.get_by_role("button", name="Send to Carla Customer").click()
    expect(page.locator(".message.from-agent")).to_contain_text("Done, Pedro follows up.")
    expect(page.get_by_label("Status")).to_have_value("resolved")
    expect(page.get_by_label("Assignee")).to_have_value(str(pedro.id))
    expect(page.get_by_text("Unsaved changes: save them here")).to_be_hidden()
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is TicketStatus.RESOLVED and ticket.assignee_id == pedro.id
    page.get_by_label("Status").select_option("open")  # the panel's version followed the reply: no false conflict
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert fresh_ticket(ticket.number).status is TicketStatus.OPEN


def test_an_internal_note_looks_different_sends_with_ctrl_enter_and_is_announced(browser, live_server):
    factories.agent("Olga Agent", email="olga@example.com")
    ticket = factories.ticket(notify=False)
    page = signed_in(browser, live_server, "olga@example.com")
    page.goto(f"{live_server}/tickets/{ticket.number}")
    panel = page.locator(".composer-panel")
    reply_background = panel.evaluate("e => getComputedStyle(e).backgroundColor")
    page.locator("label[for=composer-mode-note]").click()
    assert panel.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 248, 225)" != reply_background
    expect(page.get_by_role("button", name="Add internal note")).to_be_visible()
    expect(page.get_by_role("button", name="Send to Carla Customer")).to_be_hidden()
    page.get_by_role("textbox", name="Note", exact=True).fill("VIP customer, be quick")
    page.get_by_role("textbox", name="Note", exact=True).press("Control+Enter")
    expect(page.locator(".message.note")).to_contain_text("VIP customer, be quick")
    expect(page.locator("#composer-announce")).to_have_text("Internal note added.")
    expect(page.locator("#composer-announce")).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("textbox", name="Note", exact=True)).to_be_focused()  # still on the note tab, ready for the next one
    note = fresh_ticket(ticket.number).messages[-1]
    assert note.is_internal and db.session.query(OutgoingEmail).count() == 0


def test_without_javascript_the_note_tab_still_makes_a_note(browser, live_server):
    factories.agent("Olga Agent", email="olga@example.com")
    ticket = factories.ticket(notify=False)
    page = signed_in(browser, live_server, "olga@example.com")
    context = browser.new_context(java_script_enabled=False, storage_state=page.context.storage_state())
    plain = context.new_page()
    plain.goto(f"{live_server}/tickets/{ticket.number}")
    plain.locator("label[for=composer-mode-note]").click()
    expect(plain.get_by_role("button", name="Send to Carla Customer")).to_be_hidden()
    plain.get_by_role("textbox", name="Note", exact=True).fill("Only for agents")
    plain.get_by_role("button", name="Add internal note").click()
    expect(plain.get_by_text("Internal note added.")).to_be_visible()
    assert fresh_ticket(ticket.number).messages[-1].is_internal and db.session.query(OutgoingEmail).count() == 0


def test_leaving_with_a_written_reply_asks_first(browser, live_server):
    factories.agent("Olga Agent", email="olga@example.com")
    ticket = factories.ticket(notify=False)
    page = signed_in(browser, live_server, "olga@example.com")
    page.goto(f"{live_server}/tickets/{ticket.number}")
    asked = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator(".crumbs a").click()  # nothing written yet: leaves without asking
    expect(page).to_have_url(re.compile(r"/tickets/$"))
    assert asked == []
    page.goto(f"{live_server}/tickets/{ticket.number}")
    page.get_by_role("textbox", name="Reply", exact=True).fill("Half an answer")
    page.locator(".crumbs a").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.number}$"))
    expect(page.get_by_role("textbox", name="Reply", exact=True)).to_have_value("Half an answer")


def test_the_settings_menu_shows_where_the_keyboard_is(browser, live_server):
    factories.agent("Ada Admin", email="ada@example.com", role=factories.Role.OWNER)
    page = signed_in(browser, live_server, "ada@example.com")
    page.get_by_role("link", name="Knowledge base").focus()
    page.keyboard.press("Tab")
    summary = page.locator(".settings-menu summary")
    expect(summary).to_be_focused()
    style = summary.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    assert style == ["solid", "3px", "rgb(240, 180, 41)"]


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
@pytest.mark.parametrize("width", [390, 1366])
def test_ticket_page_and_queue_fit_phones_and_laptops(browser, live_server, shot, locale, width):
    factories.agent("Olga Agent", email="olga@example.com")
    ticket = factories.ticket(notify=False)
    closed = factories.ticket("Old invoice", notify=False)
    factories.set_status(closed, TicketStatus.CLOSED)
    page = signed_in(browser, live_server, "olga@example.com", width=width, locale=locale)
    name = f"{locale[:2]}-{width}"

    def fits() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    fits()
    shot(page, f"queue-{name}")
    page.goto(f"{live_server}/tickets/{ticket.number}")
    page.locator(".send-more summary").click()
    fits()
    shot(page, f"composer-reply-{name}")
    page.locator(".send-more summary").click()
    page.locator("label[for=composer-mode-note]").click()
    fits()
    shot(page, f"composer-note-{name}")
    factories.set_status(fresh_ticket(ticket.number), TicketStatus.OPEN)  # someone else saves meanwhile
    page.locator("[data-properties] select[name=status]").select_option("resolved")
    page.locator("[data-properties] button[type=submit]").click()
    expect(page.locator(".properties .form-error")).to_be_visible()
    fits()
    shot(page, f"conflict-{name}")
    page.goto(f"{live_server}/tickets/{closed.number}")
    expect(page.locator(".composer .notice")).to_be_visible()
    fits()
    shot(page, f"closed-{name}")
