"""The customer's pages in a real browser: a confirmed reply, a new link by email, one ticket per form, a calm 429."""

import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.customers.models import Customer
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Ticket
from tests import factories
from tests.conftest import free_port, run_jobs

pytestmark = pytest.mark.browser


@pytest.fixture
def serve(make_app, app) -> Iterator[Callable[..., str]]:
    """Like `live_server`, with settings of the test's choosing (rate limits)."""
    servers = []

    def start(**overrides) -> str:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        served = make_app(WTF_CSRF_ENABLED=True, BASE_URL=url, **overrides)
        server = make_server("127.0.0.1", port, served, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return url

    yield start
    for server, thread in servers:
        server.shutdown()
        thread.join(timeout=5)


def tickets() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Ticket))


def test_a_sent_reply_is_confirmed_where_the_customer_is_looking(browser, live_server, app, shot):
    ticket = factories.ticket("Printer on fire")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server}/my/{ticket_token(ticket)}")
    page.get_by_label("Your reply").fill("The serial number is PX-2231.")
    page.get_by_role("button", name="Send reply").click()
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^Reply sent\."))
    expect(status).to_be_in_viewport()
    expect(page.locator(".message.from-customer").last).to_contain_text("The serial number is PX-2231.")
    expect(page.get_by_label("Your reply")).to_have_value("")
    shot(page, "customer-reply-sent-en-phone")


def test_an_expired_link_gets_the_customer_a_new_one_by_email(browser, live_server, app, inbox, shot):
    ticket = factories.ticket("Printer on fire", locale="es", notify=False)
    with time_machine.travel(utcnow() - timedelta(days=91), tick=False):
        old_link = f"{live_server}/my/{ticket_token(ticket)}"
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES").new_page()
    page.goto(old_link)
    expect(page.get_by_role("heading", name="Este enlace ya no funciona")).to_be_visible()
    page.get_by_label("Su correo electrónico").fill("carla@example.com")
    page.get_by_role("button", name="Enviarme un enlace nuevo").click()
    expect(page.get_by_role("heading", name="Revise su correo")).to_be_visible()
    shot(page, "customer-check-email-es-phone")
    assert run_jobs(app) == 1
    [mail] = inbox.messages
    html = mail.get_body(("html",)).get_content()
    page.set_content(html)
    shot(page, "customer-links-email-es-phone")
    page.get_by_role("link", name="Printer on fire").click()
    expect(page.get_by_role("heading", name="Printer on fire")).to_be_visible()
    expect(page.get_by_label("Su respuesta")).to_be_visible()


def fill_request(page) -> None:
    page.get_by_label("Your name").fill("Carla Customer")
    page.get_by_label("Your email").fill("carla@example.com")
    page.get_by_label("Subject").fill("Printer on fire")
    page.get_by_label("How can we help?").fill("It is really on fire.")


def test_a_second_click_on_a_slow_answer_makes_no_second_ticket_with_or_without_javascript(browser, live_server, app, monkeypatch):
    from helpdesk.portal import views

    real_open_ticket = views.ticket_services.open_ticket

    def slow_open_ticket(**kwargs):
        time.sleep(0.6)  # a busy server: the impatient second click comes while the first post is on its way
        return real_open_ticket(**kwargs)

    monkeypatch.setattr(views.ticket_services, "open_ticket", slow_open_ticket)
    posts = {True: 0, False: 0}
    for scripts in (True, False):
        page = browser.new_context(java_script_enabled=scripts).new_page()
        page.on("request", lambda request, js=scripts: posts.__setitem__(js, posts[js] + (request.method == "POST")))
        page.goto(f"{live_server}/requests/new")
        fill_request(page)
        page.get_by_label("Your email").fill(f"carla{int(scripts)}@example.com")
        page.wait_for_timeout(800)  # the help-article suggestions (400 ms after typing) have come and moved the button
        button = page.get_by_role("button", name="Send request")
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        page.mouse.click(box["x"] + 10, box["y"] + 10)
        page.wait_for_timeout(200)
        page.mouse.click(box["x"] + 10, box["y"] + 10)
        expect(page.locator(".reference")).to_be_visible()
    assert posts[True] == 1  # the script disables the button after the first click
    assert posts[False] == 2  # without it the browser posts twice, and the one-time key makes one ticket of both
    db.session.commit()
    owners = db.session.scalars(select(Customer.email).join(Ticket, Ticket.customer_id == Customer.id).order_by(Customer.email))
    assert list(owners) == ["carla0@example.com", "carla1@example.com"]


def test_a_throttled_reply_keeps_what_was_typed(browser, serve, app, shot):
    url = serve(REPLY_RATE_LIMIT_PER_LINK="1 per minute")
    ticket = factories.ticket("Printer on fire")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{url}/my/{ticket_token(ticket)}")
    page.get_by_label("Your reply").fill("First.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Reply sent.")
    page.get_by_label("Your reply").fill("Second, a long and careful explanation.")
    response_codes: list[int] = []
    page.on("response", lambda response: response_codes.append(response.status) if response.request.method == "POST" else None)
    page.get_by_role("button", name="Send reply").click()
    # The page has two alert regions: the form's own message and the (empty) one htmx fills on a failed request.
    expect(page.get_by_role("alert").filter(has_text="Please wait 1 minute and send it again.")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_value("Second, a long and careful explanation.")
    assert response_codes == [429]
    shot(page, "customer-reply-throttled-en-phone")
