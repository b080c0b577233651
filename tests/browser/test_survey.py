"""The survey email in a real browser: a click on a number is the answer; scanners and reloads record nothing more."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.surveys.jobs import send_survey
from helpdesk.surveys.models import SurveyResponse, SurveySettings
from helpdesk.tickets.models import TicketStatus
from tests import factories
from tests.conftest import run_jobs

pytestmark = pytest.mark.browser


def surveyed_ticket(app, live_server, inbox, *, locale: str = "en"):
    """A resolved ticket whose survey email went out with links to the live server: (ticket number, the email)."""
    db.session.get(SurveySettings, 1).delay_minutes = 0
    agent = factories.agent("Olga Agent", email="olga@example.com")
    ticket = factories.ticket(locale=locale, notify=False)
    ticket.assignee = agent
    db.session.commit()
    factories.set_status(ticket, TicketStatus.RESOLVED, by=agent)
    ticket_id, number = ticket.id, ticket.number
    app.config["BASE_URL"] = live_server  # the links in the email point to the server the browser talks to
    send_survey(ticket_id)
    run_jobs(app)
    [mail] = [m for m in inbox.messages if m["To"] == "carla@example.com"]
    return number, mail


def rating_link(mail, n: int) -> str:
    return re.search(rf'href="(http://127\.0\.0\.1:\d+/survey/[^"?]+\?rating={n})"', mail.get_body(("html",)).get_content()).group(1)


def answers() -> list[SurveyResponse]:
    db.session.rollback()  # see what the server's requests committed
    return db.session.scalars(select(SurveyResponse)).all()


def test_a_click_on_a_number_in_the_email_records_the_rating_once(browser, live_server, app, inbox, client, shot):
    number, mail = surveyed_ticket(app, live_server, inbox)
    assert "Click a number and your rating is sent." in mail.get_body(("html",)).get_content()
    link = rating_link(mail, 4)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    email_view = context.new_page()
    email_view.set_content(mail.get_body(("html",)).get_content())
    shot(email_view, "survey-email-en-phone")

    assert context.request.get(link).status == 200  # the mail provider's link scanner fetches it first
    assert answers() == []

    page = context.new_page()
    page.goto(link)  # the customer clicks "4"
    expect(page.get_by_text("Thank you — saved.")).to_be_visible()
    expect(page.get_by_text("Your rating: 4 of 5.")).to_be_visible()
    assert page.url.endswith("?saved=1")
    [answer] = answers()
    recorded = (answer.id, answer.rating, answer.updated_at)
    assert answer.rating == 4
    shot(page, "survey-saved-en-phone")

    page.reload()
    page.go_back()
    page.goto(link)  # clicked again in the email
    expect(page.get_by_text("Thank you — saved.")).to_be_visible()
    assert [(a.id, a.rating, a.updated_at) for a in answers()] == [recorded]

    page.locator("fieldset", has_text="How capable").get_by_text("5", exact=True).click()
    page.get_by_label("Anything else you would like to tell us?").fill("Olga was patient.")
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_text("Thank you — saved.")).to_be_visible()
    [answer] = answers()
    assert (answer.rating, answer.agent_skill, answer.comment) == (4, 5, "Olga was patient.")

    factories.login(client, factories.agent())
    assert "4 of 5" in client.get(f"/tickets/{number}").text


def test_without_javascript_the_send_button_sits_right_under_the_chosen_number(browser, live_server, app, inbox, shot):
    _, mail = surveyed_ticket(app, live_server, inbox, locale="es")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES", java_script_enabled=False)
    email_view = context.new_page()
    email_view.set_content(mail.get_body(("html",)).get_content())
    shot(email_view, "survey-email-es-phone")
    page = context.new_page()
    page.goto(rating_link(mail, 2))
    expect(page.get_by_role("radio", name="2", exact=True).first).to_be_checked()
    assert answers() == []  # nothing sends itself without JavaScript
    shot(page, "survey-preselected-es-phone-nojs")

    rating = page.locator("fieldset.scale").first.bounding_box()
    button = page.get_by_role("button", name="Enviar mi valoración").bounding_box()
    details = page.get_by_role("heading", name="Y con más detalle (opcional)").bounding_box()
    assert rating["y"] + rating["height"] <= button["y"] < details["y"]
    assert button["y"] + button["height"] < 844  # on the first screen of a phone
    page.get_by_role("button", name="Enviar mi valoración").click()
    expect(page.get_by_text("Gracias, ya está guardada.")).to_be_visible()
    assert [a.rating for a in answers()] == [2]
    shot(page, "survey-saved-es-phone")
