"""Staff forms in a real browser: a ticket taken by phone, the form builder's question settings and option
rows, and the time-zone picker's filter; each also without JavaScript."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.tickets.models import CustomField, Ticket
from tests import factories

pytestmark = pytest.mark.browser


def signed_in(browser, live_server, email: str, *, width: int = 1366, javascript: bool = True):
    page = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript).new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/tickets/")
    return page


def _admin_email() -> str:
    from helpdesk.accounts.models import User

    db.session.commit()
    return db.session.scalars(select(User.email)).one()


def test_an_agent_takes_a_call_sees_the_customer_subject_and_picks_category_questions(browser, live_server, app, shot):
    factories.agent("Olga Agent", email="olga@example.com")
    factories.agent("Bea Agent")
    factories.category("Printing", "Impresión", fields=[{"type": "text", "label_en": "Printer model", "is_required": True}])
    page = signed_in(browser, live_server, "olga@example.com")
    page.goto(f"{live_server}/tickets/new")
    page.get_by_label("Customer's email").fill("carla@example.com")
    page.get_by_label("Customer's name").fill("Carla Customer")
    page.locator("#subject").fill("Printer jam 2F")
    customer_subject = page.get_by_label("Subject the customer sees")
    expect(customer_subject).to_have_value("Printer jam 2F")  # copied as the agent types
    customer_subject.fill("Your printer on the second floor")
    page.locator("#subject").fill("Called: printer jam 2F")
    expect(customer_subject).to_have_value("Your printer on the second floor")  # the agent's edit is kept
    page.get_by_label("Email the customer a confirmation").uncheck()
    expect(customer_subject).to_be_hidden()
    page.get_by_label("Email the customer a confirmation").check()
    expect(customer_subject).to_be_visible()
    expect(page.get_by_label("Printer model")).to_have_count(0)
    page.get_by_label("Category").select_option(label="Printing")
    expect(page.get_by_label("Printer model")).to_be_visible()  # swapped in by htmx
    page.get_by_label("Printer model").fill("LaserJet 4")
    page.get_by_label("Assignee").select_option(label="Bea Agent")
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Your notes").fill("Jams on every job; third time this month.")
    shot(page, "phone-ticket-form-en-desktop")
    page.get_by_role("button", name="Create ticket", exact=True).click()
    expect(page.get_by_text("Taken by Olga Agent by phone for Carla Customer")).to_be_visible()
    expect(page.locator(".message.note")).to_contain_text("third time this month")
    db.session.commit()
    ticket = db.session.scalars(select(Ticket)).one()
    assert ticket.customer_subject == "Your printer on the second floor" and ticket.assignee.name == "Bea Agent"


def test_without_javascript_the_phone_form_shows_everything_and_category_questions_come_on_request(browser, live_server, app):
    factories.agent("Olga Agent", email="olga@example.com")
    factories.category("Printing", "Impresión", fields=[{"type": "text", "label_en": "Printer model"}])
    page = signed_in(browser, live_server, "olga@example.com", width=390, javascript=False)
    page.goto(f"{live_server}/tickets/new")
    page.locator("#subject").fill("Called: printer")
    expect(page.get_by_label("Subject the customer sees")).to_be_visible()
    page.get_by_label("Category").select_option(label="Printing")
    page.get_by_role("button", name="Show its questions").click()
    expect(page.get_by_label("Printer model")).to_be_visible()
    expect(page.locator("#subject")).to_have_value("Called: printer")


def test_the_form_builder_shows_each_types_settings_and_edits_options_as_rows(browser, live_server, app, shot):
    factories.admin()
    category = factories.category("Payments", "Pagos")
    page = signed_in(browser, live_server, _admin_email())
    page.goto(f"{live_server}/admin/categories/{category.id}")
    options = page.locator("#field-settings-new .option-row")
    expect(options).to_have_count(0)
    expect(page.get_by_label("Smallest number")).to_have_count(0)
    page.get_by_label("Type").select_option("number")
    expect(page.get_by_label("Smallest number")).to_be_visible()
    page.get_by_label("Type").select_option("select")
    expect(page.get_by_label("Smallest number")).to_have_count(0)
    expect(options).to_have_count(2)
    page.get_by_label("Label in English").fill("Payment method")
    page.get_by_label("Label in Spanish").fill("Forma de pago")
    page.get_by_label("Option 1 in English").fill("Card")
    page.get_by_label("Option 1 in Spanish").fill("Tarjeta")
    page.get_by_label("Option 2 in English").fill("Cash")
    page.get_by_label("Option 2 in Spanish").fill("Efectivo")
    page.get_by_role("button", name="Add an option").click()
    expect(options).to_have_count(3)
    expect(page.get_by_label("Option 3 in English")).to_be_focused()
    page.get_by_label("Option 3 in English").fill("Transfer")
    page.get_by_role("button", name="Move option 3 up").click()
    expect(page.get_by_label("Option 2 in English")).to_have_value("Transfer")
    page.get_by_role("button", name="Remove option 1").click()
    expect(options).to_have_count(2)
    expect(page.get_by_label("Option 1 in English")).to_have_value("Transfer")
    expect(page.get_by_label("Label in English")).to_have_value("Payment method")  # only the rows were swapped
    shot(page, "form-builder-options-en-desktop")
    page.get_by_label("Option 2 in Spanish").press("Enter")  # Enter saves the question, it moves no row
    expect(page.get_by_text("Question added.")).to_be_visible()
    db.session.commit()
    field = db.session.scalars(select(CustomField)).one()
    assert field.options == [
        {"value": "transfer", "en": "Transfer", "es": "Transfer"},
        {"value": "cash", "en": "Cash", "es": "Efectivo"},
    ]


def test_the_form_builder_without_javascript(browser, live_server, app):
    factories.admin()
    category = factories.category("Payments", "Pagos")
    page = signed_in(browser, live_server, _admin_email(), width=390, javascript=False)
    page.goto(f"{live_server}/admin/categories/{category.id}")
    page.get_by_label("Type").select_option("multiselect")
    page.get_by_role("button", name="Show the settings of this type").click()
    expect(page.locator("#field-settings-new .option-row")).to_have_count(2)
    page.get_by_label("Option 2 in English").fill("Cash")
    page.get_by_role("button", name="Move option 2 up").click()
    expect(page.get_by_label("Option 1 in English")).to_have_value("Cash")
    page.get_by_label("Label in English").fill("Pay with")
    page.get_by_label("Label in Spanish").fill("Pagar con")
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Question added.")).to_be_visible()
    db.session.commit()
    assert [o["en"] for o in db.session.scalars(select(CustomField)).one().options] == ["Cash"]


def test_the_time_zone_list_is_grouped_and_filtered_as_the_agent_types(browser, live_server, app, shot):
    user = factories.agent("Olga Agent", email="olga@example.com")
    page = signed_in(browser, live_server, "olga@example.com", width=390)
    page.goto(f"{live_server}/account")
    zone = page.get_by_label("Time zone", exact=True)
    expect(zone.locator("optgroup[label='Europe'] option[value='Europe/Madrid']")).to_have_text("Madrid")
    page.get_by_label("Find your time zone").fill("buenos")
    expect(zone).to_have_value("America/Argentina/Buenos_Aires")
    expect(zone.locator("option:not([hidden])")).to_have_count(1)
    expect(zone.locator("optgroup[label='Europe']")).to_be_hidden()
    shot(page, "preferences-timezone-filter-en-phone")
    page.get_by_label("Find your time zone").fill("atlantis")
    expect(page.get_by_text("No time zone matches")).to_be_visible()
    page.get_by_label("Find your time zone").fill("new york")
    expect(zone).to_have_value("America/New_York")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    db.session.refresh(user)
    assert user.timezone == "America/New_York"

    plain = signed_in(browser, live_server, "olga@example.com", javascript=False)
    plain.goto(f"{live_server}/account")
    expect(plain.get_by_label("Find your time zone")).to_be_hidden()
    plain.get_by_label("Time zone", exact=True).select_option("Europe/Madrid")
    plain.get_by_role("button", name="Save").click()
    expect(plain.get_by_text("Your preferences are saved.")).to_be_visible()
