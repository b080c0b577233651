"""A customer submits the public request form."""

import contextlib
import re
import threading

from sqlalchemy import func, select

from helpdesk.core.extensions import db
from helpdesk.customers.services import find_or_create_customer
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


def submission_key(page: str) -> str:
    return re.search(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', page).group(1)


def test_each_showing_of_the_form_carries_its_own_one_time_key(client):
    first, second = client.get("/requests/new"), client.get("/requests/new")
    assert submission_key(first.text) != submission_key(second.text)
    assert first.headers["Cache-Control"] == "private"  # never one key handed to two people by a shared cache
    refused = client.post("/requests/new", data={**VALID, "message": "", "submission_key": submission_key(first.text)})
    assert submission_key(refused.text) == submission_key(first.text)  # a corrected form is still the same submission


def test_a_resent_form_leads_to_the_first_ticket_and_its_confirmation(client):
    data = {**VALID, "submission_key": submission_key(client.get("/requests/new").text)}
    first = client.post("/requests/new", data=data)
    again = client.post("/requests/new", data=data)
    third = client.post("/requests/new", data={**data, "message": "Edited after pressing Back."})
    assert first.status_code == again.status_code == third.status_code == 303
    pages = [client.get(r.headers["Location"]).text for r in (first, again, third)]
    assert all("Your reference is <strong>#1001</strong>" in page for page in pages)
    assert count(Ticket) == 1 and count(OutgoingEmail) == 1
    another = client.post("/requests/new", data={**VALID, "submission_key": submission_key(client.get("/requests/new").text)})
    assert "#1002" in client.get(another.headers["Location"]).text


def test_someone_elses_address_with_a_used_key_never_sees_the_first_ticket(client):
    key = submission_key(client.get("/requests/new").text)
    client.post("/requests/new", data={**VALID, "submission_key": key})
    other = client.post("/requests/new", data={**VALID, "email": "mallory@example.com", "submission_key": key})
    page = client.get(other.headers["Location"]).text
    assert "#1002" in page and "mallory@example.com" in page and "carla@example.com" not in page
    assert count(Ticket) == 2


def test_two_posts_of_one_form_at_the_same_moment_make_one_ticket(make_app, app, monkeypatch):
    from helpdesk.portal import views

    served = make_app()
    find_or_create_customer(VALID["email"], name=VALID["name"])  # a returning customer: nothing else to wait for
    db.session.commit()
    data = {**VALID, "submission_key": "ab" * 16}
    both_inside = threading.Barrier(2)
    real_open_ticket = views.ticket_services.open_ticket

    def open_ticket_together(**kwargs):
        # On PostgreSQL both posts get this far before either commits; SQLite lets one writer in at a time.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_inside.wait(timeout=3)
        return real_open_ticket(**kwargs)

    monkeypatch.setattr(views.ticket_services, "open_ticket", open_ticket_together)
    locations: list[str] = []

    def send() -> None:
        response = served.test_client().post("/requests/new", data=data)
        locations.append(f"{response.status_code} {response.headers.get('Location', '')}")

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.commit()
    assert count(Ticket) == 1 and count(OutgoingEmail) == 1
    assert [location.split()[0] for location in locations] == ["303", "303"]
    client = served.test_client()
    assert all("#1001" in client.get(location.split()[1]).text for location in locations)


def test_name_and_email_fields_let_the_browser_fill_them_in(client):
    page = client.get("/requests/new").text
    assert re.search(r'<input autocomplete="name"[^>]*name="name"', page)
    assert re.search(r'<input autocomplete="email"[^>]*name="email"', page)
