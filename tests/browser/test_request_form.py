"""The request form in a real browser: category questions appear, errors show, files go through to the agent."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def test_customer_answers_category_questions_with_a_file_and_the_agent_gets_both(browser, live_server, app, tmp_path, shot):
    factories.category(
        "Returns",
        "Devoluciones",
        fields=[
            {"type": "text", "label_en": "Order number", "is_required": True},
            {"type": "select", "label_en": "Reason", "options": [{"value": "size", "en": "Wrong size", "es": "Talla incorrecta"}]},
            {"type": "textarea", "label_en": "Warehouse notes", "is_agent_only": True},
        ],
    )
    factories.agent("Olga Agent", email="olga@example.com")
    receipt = tmp_path / "receipt.txt"
    receipt.write_text("Order 77120, paid 49.90")

    customer = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    customer.goto(f"{live_server}/requests/new")
    expect(customer.get_by_label("Order number")).to_have_count(0)
    customer.get_by_label("What is your request about?").select_option(label="Returns")
    expect(customer.get_by_label("Order number")).to_be_visible()  # swapped in by htmx, no reload
    expect(customer.get_by_text("Warehouse notes")).to_have_count(0)
    customer.get_by_label("Reason").select_option("size")
    customer.get_by_label("Your name").fill("Carla")
    customer.get_by_label("Your email").fill("carla@example.com")
    customer.get_by_label("Subject").fill("Shoes too small")
    customer.get_by_label("How can we help?").fill("I would like to return them.")
    customer.get_by_label("Attach files").set_input_files(str(receipt))
    customer.get_by_role("button", name="Send request").click()
    expect(customer.get_by_text("This field is required.")).to_be_visible()
    shot(customer, "request-form-error-en-phone")
    expect(customer.get_by_label("Subject")).to_have_value("Shoes too small")
    customer.get_by_label("Order number").fill("77120")
    customer.get_by_label("Attach files").set_input_files(str(receipt))  # browsers never keep a file across pages
    customer.get_by_role("button", name="Send request").click()
    expect(customer.locator(".reference")).to_contain_text("#1001")

    agent = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    agent.goto(f"{live_server}/login")
    agent.get_by_label("Email").fill("olga@example.com")
    agent.get_by_label("Password").fill(factories.PASSWORD)
    agent.get_by_role("button", name="Sign in").click()
    agent.goto(f"{live_server}/tickets/1001")
    answers = agent.locator(".answers")
    expect(answers).to_contain_text("77120")
    expect(answers).to_contain_text("Wrong size")
    shot(agent, "agent-ticket-answers-en-desktop")
    with agent.expect_download() as download:
        agent.get_by_role("link", name="receipt.txt").click()
    assert download.value.suggested_filename == "receipt.txt"
    assert download.value.path().read_text(encoding="utf-8") == "Order 77120, paid 49.90"
