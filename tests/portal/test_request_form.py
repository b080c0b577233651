"""A customer submits the public request form."""

import re

from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.mail.models import EmailStatus, OutgoingEmail
from helpdesk.tickets.models import Channel, Ticket, TicketStatus
from tests.conftest import free_port, run_jobs

VALID = {"name": "Carla Customer", "email": "Carla@Example.com", "subject": "Printer on fire", "message": "It is really on fire."}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_submitted_request_becomes_a_ticket_and_shows_its_reference(client):
    response = client.post("/requests/new", data=VALID)
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    ticket = db.session.scalars(select(Ticket)).one()
    assert ticket.reference == "#1001"
    assert "#1001" in page.text
    assert ticket.status is TicketStatus.NEW and ticket.channel is Channel.WEB
    assert ticket.customer.email == "carla@example.com"
    assert [m.body for m in ticket.messages] == ["It is really on fire."]


def test_auto_reply_arrives_by_smtp_with_reference_and_link(client, jobs, inbox):
    client.post("/requests/new", data=VALID)
    assert jobs() == 1
    [mail] = inbox.messages
    assert mail["To"] == "carla@example.com"
    assert "[#1001]" in mail["Subject"]
    assert mail["Auto-Submitted"] == "auto-replied"
    text = mail.get_body(("plain",)).get_content()
    link = re.search(r"http://helpdesk\.test/my/\S+", text).group(0)
    page = client.get(link.removeprefix("http://helpdesk.test"))
    assert page.status_code == 200 and "Printer on fire" in page.text
    assert db.session.scalars(select(OutgoingEmail)).one().status is EmailStatus.SENT


def test_same_email_in_other_case_is_the_same_customer(client):
    client.post("/requests/new", data=VALID)
    client.post("/requests/new", data={**VALID, "email": "CARLA@example.COM", "subject": "Again"})
    tickets = db.session.scalars(select(Ticket).order_by(Ticket.id)).all()
    assert tickets[0].customer_id == tickets[1].customer_id
    assert [t.number for t in tickets] == [1001, 1002]


def _assert_refused(client, data, message):
    response = client.post("/requests/new", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert count(Ticket) == 0 and count(OutgoingEmail) == 0
    return response


def test_invalid_email_is_refused_with_a_message(client):
    response = _assert_refused(client, {**VALID, "email": "not-an-email"}, "does not look like an email address")
    assert 'value="Printer on fire"' in response.text  # what the customer typed is kept


def test_empty_message_is_refused(client):
    _assert_refused(client, {**VALID, "message": "   "}, "Please describe what you need.")


def test_100kb_subject_is_refused(client):
    _assert_refused(client, {**VALID, "subject": "x" * 100_000}, "The subject is at most 250 characters")


def test_missing_or_wrong_csrf_token_is_refused_kindly(make_app, app):
    guarded = make_app(WTF_CSRF_ENABLED=True).test_client()
    for data in (VALID, {**VALID, "csrf_token": "forged"}):
        response = guarded.post("/requests/new", data=data)
        assert response.status_code == 400
        assert "Reload the page and try again" in response.text
    assert count(Ticket) == 0


def test_form_with_valid_csrf_token_passes(make_app, app):
    guarded = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = guarded.get("/requests/new").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert guarded.post("/requests/new", data={**VALID, "csrf_token": token}).status_code == 303
    assert count(Ticket) == 1


def test_request_succeeds_while_redis_is_down_and_mail_goes_out_after(make_app, app, inbox):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    offline = make_app(REDIS_URL=dead_redis, RATELIMIT_STORAGE_URI=dead_redis).test_client()
    response = offline.post("/requests/new", data=VALID)
    assert response.status_code == 303
    assert "#1001" in offline.get(response.headers["Location"]).text
    assert count(Ticket) == 1
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert email.status is EmailStatus.QUEUED
    email_id = email.id

    from helpdesk.mail.jobs import sweep_outbox

    assert run_jobs(app) == 0  # Redis is back, but the job was never enqueued
    sweep_outbox()  # the next sweep: a row Redis never took is due at once (no ten-minute lease to wait out)
    assert run_jobs(app) == 1
    assert [m["Subject"] for m in inbox.messages] == ["We received your request [#1001]: Printer on fire"]
    db.session.commit()
    assert db.session.get(OutgoingEmail, email_id).status is EmailStatus.SENT


def test_confirmation_link_with_tampered_token_is_a_friendly_404(client):
    response = client.post("/requests/new", data=VALID)
    location = response.headers["Location"]
    tampered = location[:-3] + ("AAA" if not location.endswith("AAA") else "BBB")
    page = client.get(tampered)
    assert page.status_code == 404
    assert "Page not found" in page.text


def test_control_characters_are_dropped_not_a_server_error(client):
    data = {**VALID, "name": "Carla\x00 C", "subject": "Printer\x00 on\x07 fire", "message": "Line one\x00\nLine two\x1b"}
    assert client.post("/requests/new", data=data).status_code == 303
    ticket = db.session.scalars(select(Ticket)).one()
    assert ticket.subject == "Printer on fire"
    assert ticket.messages[0].body == "Line one\nLine two"
    assert ticket.customer.name == "Carla C"
