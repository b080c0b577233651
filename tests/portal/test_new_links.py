"""'Email me a new link': fresh links to every open request, by email, without telling who is a customer."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets.models import TicketStatus
from tests import factories


def outbox_rows() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(OutgoingEmail).where(OutgoingEmail.kind == "customer_links"))


def the_email(inbox):
    db.session.commit()
    rows = [(e.kind, e.to_address, e.status, e.last_error) for e in db.session.scalars(select(OutgoingEmail))]
    assert len(inbox.messages) == 1, rows
    return inbox.messages[0]


def links_in(mail) -> list[str]:
    return re.findall(r"http://helpdesk\.test/my/\S+", mail.get_body(("plain",)).get_content())


def ask(client, email: str, ip: str = "127.0.0.1"):
    return client.post("/my/", data={"email": email}, environ_base={"REMOTE_ADDR": ip})


def test_customer_gets_one_email_with_a_working_link_to_each_open_request(client, jobs, inbox):
    factories.ticket("Printer on fire", notify=False)
    factories.ticket("Invoice is wrong", notify=False)
    done = factories.ticket("Old question", notify=False)
    factories.set_status(done, TicketStatus.CLOSED)
    factories.ticket("Someone else's", email="other@example.com", notify=False)
    response = ask(client, "  Carla@Example.com ")
    assert response.status_code == 303 and response.headers["Location"] == "/my/check-email"
    assert "Check your email" in client.get("/my/check-email").text
    assert jobs() == 1
    mail = the_email(inbox)
    assert mail["To"] == "carla@example.com"
    assert mail["Subject"] == "Your links to follow your requests with Acme"
    text = mail.get_body(("plain",)).get_content()
    assert "Invoice is wrong" in text and "Printer on fire" in text
    assert "Old question" not in text and "Someone else" not in text
    assert "each works for 90 days" in text
    pages = [client.get(link.removeprefix("http://helpdesk.test")) for link in links_in(mail)]
    assert [page.status_code for page in pages] == [200, 200]
    assert "Invoice is wrong" in pages[0].text and "Printer on fire" in pages[1].text  # most recent first
    assert 'href="http://helpdesk.test/my/' in mail.get_body(("html",)).get_content()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, jobs, inbox):
    factories.ticket(notify=False)
    known = ask(client, "carla@example.com")
    unknown = ask(client, "nobody@example.com")
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert known.get_data() == unknown.get_data()
    jobs()
    assert [m["To"] for m in inbox.messages] == ["carla@example.com"]


def test_the_email_is_in_the_customers_language(client, jobs, inbox):
    factories.ticket("La impresora echa humo", locale="es", notify=False)
    ask(client, "carla@example.com")
    jobs()
    mail = the_email(inbox)
    assert mail["Subject"] == "Sus enlaces para seguir sus solicitudes con Acme"
    assert "cada uno funciona durante 90 días" in mail.get_body(("plain",)).get_content()


def test_a_customer_without_open_requests_is_told_so_and_pointed_to_the_form(client, jobs, inbox):
    ticket = factories.ticket(notify=False)
    factories.set_status(ticket, TicketStatus.CLOSED)
    ask(client, "carla@example.com")
    jobs()
    mail = the_email(inbox)
    text = mail.get_body(("plain",)).get_content()
    assert "you have no open requests with us right now" in text
    assert "http://helpdesk.test/requests/new" in text and links_in(mail) == []


def test_new_links_last_the_usual_period(client, jobs, inbox):
    factories.ticket(notify=False)
    ask(client, "carla@example.com")
    jobs()
    [link] = links_in(inbox.messages[0])
    path = link.removeprefix("http://helpdesk.test")
    with time_machine.travel(utcnow() + timedelta(days=89)):
        assert client.get(path).status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=91)):
        assert client.get(path).status_code == 404


def test_asking_is_limited_per_address_and_per_client_whether_or_not_the_address_is_known(make_app, app):
    factories.ticket(notify=False)
    client = make_app(LINK_REQUEST_RATE_LIMIT="3 per hour", LINK_REQUEST_RATE_LIMIT_PER_EMAIL="2 per hour").test_client()
    for email in ("carla@example.com", "nobody@example.com"):
        codes = [ask(client, email.upper() if n else email, ip=f"10.0.{n}.1").status_code for n in range(3)]
        assert codes == [303, 303, 429], email
    refused = ask(client, "dora@example.com", ip="10.0.0.1")
    assert refused.status_code == 303
    refused = ask(client, "erin@example.com", ip="10.0.0.1")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "Please wait 1 hour and send it again." in refused.text and 'value="erin@example.com"' in refused.text
    assert outbox_rows() == 2


def test_a_mistyped_address_is_explained_and_kept(client):
    response = ask(client, "carla@example")
    assert response.status_code == 422
    assert "That does not look like an email address" in response.text
    assert 'value="carla@example"' in response.text
    assert outbox_rows() == 0


def test_the_form_fills_in_the_address_by_itself(client):
    page = client.get("/my/").text
    assert re.search(r'<input[^>]*autocomplete="email"[^>]*name="email"|<input[^>]*name="email"[^>]*autocomplete="email"', page)
    assert "Links to your requests" in page


def test_a_phone_ticket_is_listed_under_the_subject_the_customer_sees_not_the_agents_note(client, jobs, inbox):
    ticket = factories.ticket("Called: printer jam, angry", notify=False)
    ticket.customer_subject = "Your printer on the second floor"
    db.session.commit()
    ask(client, "carla@example.com")
    assert jobs() == 1
    mail = the_email(inbox)
    for part in (mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()):
        assert "Your printer on the second floor" in part
        assert "Called: printer jam" not in part
    assert (
        "Acme" in mail.get_body(("html",)).get_content().split("helpdesk-company", 1)[1]
    )  # in the shared layout, under the company's name
