"""The main journey in a real browser: customer submits → agent sees it live → replies → customer reads it."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.conftest import run_jobs

pytestmark = pytest.mark.browser


def test_request_reaches_the_agent_live_and_the_reply_reaches_the_customer(browser, live_server, app, inbox, shot):
    factories.agent("Olga Agent", email="olga@example.com")
    agent = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    customer = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES").new_page()

    agent.goto(f"{live_server}/login")
    agent.get_by_label("Email").fill("olga@example.com")
    agent.get_by_label("Password").fill(factories.PASSWORD)
    agent.get_by_role("button", name="Sign in").click()
    expect(agent.get_by_text("No tickets here.")).to_be_visible()
    agent.evaluate("window.stillTheSamePage = true")

    customer.goto(f"{live_server}/requests/new")
    customer.get_by_label("Su nombre").fill("Carla Cliente")
    customer.get_by_label("Su correo electrónico").fill("carla@example.com")
    customer.get_by_label("Asunto").fill("La impresora echa humo")
    customer.get_by_label("¿Cómo podemos ayudarle?").fill("Desde esta mañana.")
    customer.get_by_role("button", name="Enviar solicitud").click()
    expect(customer.locator(".reference")).to_contain_text("#1001")
    shot(customer, "customer-confirmation-es-phone")

    row = agent.get_by_role("link", name="La impresora echa humo")
    expect(row).to_be_visible(timeout=10_000)  # arrived by htmx polling, no reload
    assert agent.evaluate("window.stillTheSamePage") is True
    shot(agent, "agent-queue-en-desktop")

    row.click()
    agent.get_by_role("textbox", name="Reply", exact=True).fill("Apague la impresora, le enviamos un técnico.")
    agent.get_by_role("button", name="Send to Carla Cliente").click()
    expect(agent.locator(".message.from-agent")).to_contain_text("le enviamos un técnico")
    agent.get_by_label("Status").select_option("open")
    agent.get_by_role("button", name="Save changes").click()
    expect(agent.get_by_text("Saved.")).to_be_visible()
    shot(agent, "agent-ticket-en-desktop")

    run_jobs(app)
    reply = next(m for m in inbox.messages if "le enviamos un técnico" in m.get_body(("plain",)).get_content())
    link = re.search(r"http://127\.0\.0\.1:\d+/my/\S+", reply.get_body(("plain",)).get_content()).group(0)
    customer.goto(link)
    expect(customer.locator(".message.from-agent")).to_contain_text("le enviamos un técnico")
    expect(customer.get_by_text("Olga Agent")).to_be_visible()
    shot(customer, "customer-ticket-es-phone")
