"""The customer's link page: /my/<token>."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.tickets import services
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Ticket, TicketStatus
from tests import factories


def test_customer_sees_public_conversation_but_never_internal_notes(client):
    ticket = factories.ticket()
    agent = factories.agent("Olga")
    services.add_reply(ticket, author=agent, body="We are sending a technician.")
    services.add_reply(ticket, author=agent, body="SECRET: customer owes us money", is_internal=True)
    db.session.commit()
    page = client.get(f"/my/{ticket_token(ticket)}")
    assert page.status_code == 200
    assert "We are sending a technician." in page.text
    assert "SECRET" not in page.text
    assert "Pending" in page.text


def test_customer_reply_lands_on_ticket_and_reopens_it(client):
    ticket = factories.ticket()
    agent = factories.agent()
    services.add_reply(ticket, author=agent, body="Did you try turning it off?")
    db.session.commit()
    token = ticket_token(ticket)
    response = client.post(f"/my/{token}", data={"body": "Yes, twice."})
    assert response.status_code == 303
    db.session.commit()
    ticket = db.session.scalars(select(Ticket)).one()
    assert ticket.status is TicketStatus.OPEN
    assert ticket.messages[-1].body == "Yes, twice." and ticket.messages[-1].author_customer_id == ticket.customer_id
    assert "Yes, twice." in client.get(f"/my/{token}").text


def test_customer_reply_reopens_a_resolved_ticket(client):
    ticket = factories.ticket()
    factories.set_status(ticket, TicketStatus.RESOLVED)
    client.post(f"/my/{ticket_token(ticket)}", data={"body": "It broke again."})
    db.session.commit()
    assert db.session.scalars(select(Ticket)).one().status is TicketStatus.OPEN


def test_empty_customer_reply_is_refused(client):
    ticket = factories.ticket()
    response = client.post(f"/my/{ticket_token(ticket)}", data={"body": ""})
    assert response.status_code == 422
    assert "Please write your reply." in response.text
    assert len(db.session.scalars(select(Ticket)).one().messages) == 1


def test_tampered_token_is_a_friendly_404(client):
    ticket = factories.ticket()
    token = ticket_token(ticket)
    for bad in (token[:-2] + "xx", "nonsense", "a" * 600, str(ticket.number)):
        page = client.get(f"/my/{bad}")
        assert page.status_code == 404
        assert "This link does not work any more" in page.text and "Email me a new link" in page.text
        assert "Printer on fire" not in page.text
        assert client.post(f"/my/{bad}", data={"body": "hi"}).status_code == 404
    assert len(db.session.scalars(select(Ticket)).one().messages) == 1


def test_expired_link_explains_itself_and_offers_a_new_one(client):
    ticket = factories.ticket()
    with time_machine.travel(utcnow() - timedelta(days=91), tick=False):
        old_token = ticket_token(ticket)
    page = client.get(f"/my/{old_token}")
    assert page.status_code == 404
    assert "stop working after 90 days" in page.text
    assert 'action="/my/"' in page.text and 'autocomplete="email"' in page.text


def test_token_of_one_ticket_never_shows_another(client):
    first = factories.ticket("First problem")
    second = factories.ticket("Second problem", email="other@example.com")
    page = client.get(f"/my/{ticket_token(first)}")
    assert "First problem" in page.text and "Second problem" not in page.text
    assert second.id != first.id


def test_closed_ticket_does_not_take_replies(client):
    ticket = factories.ticket()
    factories.set_status(ticket, TicketStatus.CLOSED)
    token = ticket_token(ticket)
    page = client.get(f"/my/{token}").text
    assert "This request is closed" in page and '<a href="/requests/new">Send us a request</a>' in page
    response = client.post(f"/my/{token}", data={"body": "Hello?"})
    assert response.status_code == 409
    assert "send a new request" in response.text


def test_a_sent_reply_is_confirmed_once_next_to_the_conversation(client):
    ticket = factories.ticket()
    token = ticket_token(ticket)
    response = client.post(f"/my/{token}", data={"body": "Here is the serial number."})
    assert response.headers["Location"].endswith("#reply-sent")
    page = client.get(response.headers["Location"]).text
    assert re.search(r'role="status" id="reply-sent"[^>]*>Reply sent\.', page)
    assert page.index("Here is the serial number.") < page.index("Reply sent.")  # right under the reply itself
    assert "Reply sent." not in client.get(f"/my/{token}").text  # once, not on every later visit
