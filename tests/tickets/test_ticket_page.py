"""One ticket: replies, internal notes, properties with optimistic locking, and phone tickets."""

import re

from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Activity, Channel, Level, Priority, Ticket, TicketStatus
from tests import factories


def fresh_ticket(number: int) -> Ticket:
    db.session.commit()
    return db.session.scalar(select(Ticket).where(Ticket.number == number))


def props(ticket: Ticket, **changes) -> dict:
    data = {
        "version": ticket.version,
        "status": ticket.status.value,
        "impact": ticket.impact.value,
        "urgency": ticket.urgency.value,
        "priority": "",
        "assignee_id": ticket.assignee_id or 0,
        "category_id": 0,
    }
    data.update(changes)
    return data


def test_public_reply_is_emailed_threaded_under_the_auto_reply(client, jobs, inbox):
    agent = factories.agent("Olga")
    ticket = factories.ticket()
    factories.login(client, agent)
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "A technician is on the way."})
    assert response.status_code == 303
    assert jobs() == 2
    auto_reply, reply = inbox.messages
    assert reply["To"] == "carla@example.com"
    assert reply["Subject"] == f"[#{ticket.number}] Printer on fire"
    assert reply["In-Reply-To"] == auto_reply["Message-ID"]
    assert auto_reply["Message-ID"] in reply["References"]
    assert reply["Message-ID"] != auto_reply["Message-ID"]
    text = reply.get_body(("plain",)).get_content()
    assert "A technician is on the way." in text
    assert f"http://helpdesk.test/my/{ticket_token(fresh_ticket(ticket.number))}"[:40] in text
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is TicketStatus.PENDING and ticket.first_response_at is not None


def test_internal_note_is_never_emailed_nor_shown_to_the_customer(client, jobs, inbox):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.login(client, agent)
    client.post(f"/tickets/{ticket.number}/reply", data={"body": "Customer is a VIP, be nice", "is_internal": "y"})
    jobs()
    assert inbox.messages == []
    assert db.session.scalars(select(OutgoingEmail)).all() == []
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is TicketStatus.NEW and ticket.first_response_at is None
    assert "VIP" in client.get(f"/tickets/{ticket.number}").text
    assert "VIP" not in client.get(f"/my/{ticket_token(ticket)}").text


def test_htmx_reply_returns_the_conversation_and_refreshes_the_details(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.login(client, agent)
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "Hello"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="ticket-{ticket.id}-conversation"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    new_version = fresh_ticket(ticket.number).version
    assert f'name="version" type="hidden" value="{new_version}"' in response.text


def test_empty_reply_is_refused_with_a_message(client):
    factories.login(client, factories.agent())
    ticket = factories.ticket(notify=False)
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Write something before sending." in response.text
    assert len(fresh_ticket(ticket.number).messages) == 1


def test_priority_follows_impact_and_urgency_and_can_be_overridden(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.login(client, agent)
    client.post(f"/tickets/{ticket.number}/properties", data=props(ticket, impact="high", urgency="high"))
    ticket = fresh_ticket(ticket.number)
    assert ticket.priority is Priority.CRITICAL and not ticket.is_priority_overridden
    client.post(f"/tickets/{ticket.number}/properties", data=props(ticket, priority="low"))
    ticket = fresh_ticket(ticket.number)
    assert ticket.priority is Priority.LOW and ticket.is_priority_overridden
    client.post(f"/tickets/{ticket.number}/properties", data=props(ticket, impact="low", urgency="low", priority=""))
    ticket = fresh_ticket(ticket.number)
    assert (ticket.impact, ticket.urgency, ticket.priority) == (Level.LOW, Level.LOW, Priority.PLANNING)


def test_status_assignee_and_category_changes_are_in_the_activity_trail(client):
    agent = factories.agent("Olga")
    ticket = factories.ticket(notify=False)
    factories.login(client, agent)
    response = client.post(
        f"/tickets/{ticket.number}/properties",
        data=props(ticket, status="resolved", assignee_id=agent.id),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Saved." in response.text
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is TicketStatus.RESOLVED and ticket.resolved_at is not None and not ticket.is_open
    assert ticket.assignee_id == agent.id
    kinds = db.session.scalars(select(Activity.kind).where(Activity.ticket_id == ticket.id).order_by(Activity.id)).all()
    assert kinds == ["created", "status", "assignee"]
    page = client.get(f"/tickets/{ticket.number}").text
    assert "changed the status from New to Resolved" in page
    assert "changed the assignee from nobody to Olga" in page


def test_saving_over_a_newer_version_is_refused_and_nothing_is_overwritten(client, app):
    first, second = factories.agent("First"), factories.agent("Second")
    ticket = factories.ticket(notify=False)
    loaded = props(ticket)  # both agents opened the ticket at this version
    factories.login(client, first)
    assert client.post(f"/tickets/{ticket.number}/properties", data={**loaded, "impact": "high"}).status_code == 303
    other = app.test_client()
    factories.login(other, second)
    response = other.post(f"/tickets/{ticket.number}/properties", data={**loaded, "status": "closed"}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "Someone else changed this ticket" in response.text
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is TicketStatus.NEW and ticket.impact is Level.HIGH
    plain = other.post(f"/tickets/{ticket.number}/properties", data={**loaded, "status": "closed"})
    assert plain.status_code == 409


def test_properties_form_without_javascript_redirects_back(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.login(client, agent)
    response = client.post(f"/tickets/{ticket.number}/properties", data=props(ticket, status="open"))
    assert response.status_code == 303 and response.headers["Location"] == f"/tickets/{ticket.number}"
    assert "Ticket updated." in client.get(response.headers["Location"]).text


def test_unknown_choice_in_properties_is_refused(client):
    factories.login(client, factories.agent())
    ticket = factories.ticket(notify=False)
    response = client.post(f"/tickets/{ticket.number}/properties", data=props(ticket, status="deleted", assignee_id="x"))
    assert response.status_code == 422
    assert fresh_ticket(ticket.number).status is TicketStatus.NEW


def test_unknown_ticket_number_is_404(client):
    factories.login(client, factories.agent())
    assert client.get("/tickets/99999").status_code == 404


def test_agent_creates_a_ticket_for_a_phone_call(client, jobs, inbox):
    agent = factories.agent("Olga")
    factories.login(client, agent)
    response = client.post(
        "/tickets/new",
        data={
            "email": "caller@example.com",
            "name": "Carl Caller",
            "channel": "phone",
            "subject": "Cannot print",
            "body": "Called at 10:00, printer shows E05.",
            "notify_customer": "y",
        },
    )
    ticket = db.session.scalars(select(Ticket)).one()
    assert response.headers["Location"] == f"/tickets/{ticket.number}"
    assert ticket.channel is Channel.PHONE and ticket.customer.name == "Carl Caller"
    assert "created the ticket via Phone" in client.get(response.headers["Location"]).text
    assert "Olga" in client.get(response.headers["Location"]).text
    jobs()
    assert [m["To"] for m in inbox.messages] == ["caller@example.com"]


def test_phone_ticket_with_bad_email_is_refused(client):
    factories.login(client, factories.agent())
    response = client.post("/tickets/new", data={"email": "nope", "channel": "phone", "subject": "x", "body": "y"})
    assert response.status_code == 422
    assert db.session.scalars(select(Ticket)).all() == []


def test_ticket_page_shows_the_conversation(client):
    factories.login(client, factories.agent())
    ticket = factories.ticket(body="Line one\nLine <b>two</b>")
    page = client.get(f"/tickets/{ticket.number}").text
    assert "Line one\nLine &lt;b&gt;two&lt;/b&gt;" in page
    assert re.search(r"Carla Customer", page)


def test_a_save_racing_another_write_is_refused_not_a_500(app):
    """Both saves passed the version check; the second write finds the row changed under it."""
    import pytest
    from sqlalchemy import update

    from helpdesk.core.errors import StaleVersion
    from helpdesk.tickets import services

    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE, before the read: this race exists on PostgreSQL")
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    loaded_version = ticket.version
    with db.engine.begin() as other:  # another request commits in between
        other.execute(update(Ticket).where(Ticket.id == ticket.id).values(version=loaded_version + 1, impact="high"))
    props = services.Properties(TicketStatus.CLOSED, ticket.impact, ticket.urgency, None, None, None)
    with pytest.raises(StaleVersion):
        services.update_properties(ticket, props, actor=agent, expected_version=loaded_version)
    db.session.rollback()
    assert fresh_ticket(ticket.number).status is TicketStatus.NEW


def test_reply_to_a_closed_ticket_is_refused_and_nothing_is_written(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.set_status(ticket, TicketStatus.CLOSED, by=agent)
    factories.login(client, agent)
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "Too late"}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "is closed" in response.text
    assert [m.body for m in fresh_ticket(ticket.number).messages] == ["It is really on fire."]
    assert db.session.scalars(select(OutgoingEmail)).all() == []
