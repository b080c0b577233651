"""The agent's composer: reply or internal note, the status a reply leaves, Details saved with it, closed tickets."""

import pytest
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets.models import Activity, TicketMessage, TicketStatus
from helpdesk.tickets.services import AfterReply, _status_after_reply
from tests import factories
from tests.tickets.test_ticket_page import fresh_ticket

S = TicketStatus


@pytest.mark.parametrize(
    ("status", "after", "expected"),
    [
        (S.NEW, AfterReply.WAIT, S.PENDING),
        (S.OPEN, AfterReply.WAIT, S.PENDING),
        (S.RESOLVED, AfterReply.WAIT, S.PENDING),
        (S.CLOSED, AfterReply.WAIT, S.PENDING),
        (S.OPEN, AfterReply.RESOLVE, S.RESOLVED),
        (S.PENDING, AfterReply.RESOLVE, S.RESOLVED),
        (S.NEW, AfterReply.KEEP, S.NEW),
        (S.OPEN, AfterReply.KEEP, S.OPEN),
        (S.RESOLVED, AfterReply.KEEP, S.RESOLVED),
        (S.CLOSED, AfterReply.KEEP, S.OPEN),
        (S.NEW, None, S.PENDING),
        (S.RESOLVED, None, S.RESOLVED),
    ],
)
def test_status_a_reply_leaves_the_ticket_in(status, after, expected):
    assert _status_after_reply(status, after) is expected


def emails() -> list[OutgoingEmail]:
    return db.session.scalars(select(OutgoingEmail)).all()


def test_send_and_resolve_emails_the_customer_and_resolves(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.login(client, agent)
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "Fixed it.", "send": "resolved"})
    assert response.status_code == 303
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is S.RESOLVED and ticket.resolved_at is not None
    assert len(emails()) == 1


def test_send_and_keep_the_status_leaves_an_open_ticket_open(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.set_status(ticket, S.OPEN, by=agent)
    factories.login(client, agent)
    client.post(f"/tickets/{ticket.number}/reply", data={"body": "Still looking.", "send": "keep"})
    assert fresh_ticket(ticket.number).status is S.OPEN
    assert len(emails()) == 1


def test_the_composer_names_the_customer_and_offers_every_way_to_send(client):
    factories.login(client, factories.agent())
    ticket = factories.ticket(notify=False)
    page = client.get(f"/tickets/{ticket.number}").text
    assert 'type="radio" class="tab-radio" name="mode" value="reply"' in page
    assert "Reply to the customer" in page and "Internal note" in page
    assert "Send to Carla Customer" in page and "Add internal note" in page
    for text in ("Send and wait for the customer", "Send and resolve", "Send and keep the status (New)"):
        assert text in page


@pytest.mark.parametrize(
    "data",
    [
        {"mode": "note", "send": "pending"},  # the note tab, with a reply button pressed anyhow (no CSS)
        {"mode": "reply", "send": "note"},  # the note button pressed while the form said reply
        {"mode": "note"},  # Enter in a field: no button at all
        {"is_internal": "y"},  # a page loaded before the tabs existed
    ],
)
def test_anything_that_says_note_makes_a_note_that_is_never_emailed(client, data):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.login(client, agent)
    assert client.post(f"/tickets/{ticket.number}/reply", data={"body": "VIP, be nice", **data}).status_code == 303
    (note,) = [m for m in fresh_ticket(ticket.number).messages if m.author_user_id]
    assert note.is_internal
    assert emails() == []
    assert fresh_ticket(ticket.number).status is S.NEW


def test_after_a_note_the_composer_stays_on_the_note_tab_and_announces_it(client):
    factories.login(client, factories.agent())
    ticket = factories.ticket(notify=False)
    response = client.post(
        f"/tickets/{ticket.number}/reply", data={"body": "n", "mode": "note", "send": "note"}, headers={"HX-Request": "true"}
    )
    assert 'value="note" id="composer-mode-note" checked' in response.text
    assert '<div id="composer-announce" hx-swap-oob="innerHTML">Internal note added.</div>' in response.text
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "r", "mode": "reply"}, headers={"HX-Request": "true"})
    assert '<div id="composer-announce" hx-swap-oob="innerHTML">Reply sent to Carla Customer.</div>' in response.text


def sidebar(ticket, **changes) -> dict:
    return {"sidebar-version": ticket.version, **{f"sidebar-{name}": value for name, value in changes.items()}}


def test_details_changed_but_not_saved_are_saved_with_the_reply(client):
    me, other = factories.agent("Olga"), factories.agent("Pedro")
    ticket = factories.ticket(notify=False)
    factories.login(client, me)
    data = {"body": "All done.", **sidebar(ticket, status="resolved", assignee_id=other.id)}
    response = client.post(f"/tickets/{ticket.number}/reply", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is S.RESOLVED  # the Details choice wins over "Send" (wait for the customer)
    assert ticket.assignee_id == other.id
    assert [m.body for m in ticket.messages][-1] == "All done." and len(emails()) == 1
    assert '<option selected value="resolved">' in response.text  # the panel shows what was saved
    kinds = db.session.scalars(select(Activity.kind).where(Activity.ticket_id == ticket.id).order_by(Activity.id)).all()
    assert kinds == ["created", "status", "assignee", "reply"]


def test_a_reply_sent_with_details_set_to_closed_goes_out_and_then_closes_the_ticket(client):
    me = factories.agent("Olga")
    ticket = factories.ticket(notify=False)
    factories.login(client, me)
    data = {"body": "Last word from us.", **sidebar(ticket, status="closed")}
    response = client.post(f"/tickets/{ticket.number}/reply", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is S.CLOSED
    assert [m.body for m in ticket.messages][-1] == "Last word from us." and len(emails()) == 1
    kinds = db.session.scalars(select(Activity.kind).where(Activity.ticket_id == ticket.id).order_by(Activity.id)).all()
    assert kinds == ["created", "reply", "status"]


def test_details_saved_with_a_note_leave_the_status_the_reply_would_not_change(client):
    me, other = factories.agent("Olga"), factories.agent("Pedro")
    ticket = factories.ticket(notify=False)
    factories.login(client, me)
    client.post(f"/tickets/{ticket.number}/reply", data={"body": "For Pedro", "mode": "note", **sidebar(ticket, assignee_id=other.id)})
    ticket = fresh_ticket(ticket.number)
    assert ticket.assignee_id == other.id and ticket.status is S.NEW and emails() == []


def test_details_from_an_outdated_page_refuse_the_reply_and_keep_what_was_written(client, app):
    me = factories.agent("Olga")
    ticket = factories.ticket(notify=False)
    stale = sidebar(ticket, status="resolved")
    factories.set_status(ticket, S.OPEN, by=factories.agent("Someone"))  # saved by someone else meanwhile
    factories.login(client, me)
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "My careful answer", **stale}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "Someone else changed this ticket" in response.text
    assert "My careful answer</textarea>" in response.text
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is S.OPEN and len(ticket.messages) == 1 and emails() == []


def test_a_refused_reply_leaves_the_unsaved_details_alone(client):
    factories.login(client, factories.agent())
    ticket = factories.ticket(notify=False)
    response = client.post(
        f"/tickets/{ticket.number}/reply", data={"body": " ", **sidebar(ticket, status="resolved")}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert f'id="ticket-{ticket.id}-properties"' not in response.text  # not swapped: the agent's choices stay
    assert fresh_ticket(ticket.number).status is S.NEW


def test_a_closed_ticket_offers_reopen_and_reply_instead_of_send(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.set_status(ticket, S.CLOSED, by=agent)
    factories.login(client, agent)
    page = client.get(f"/tickets/{ticket.number}").text
    assert "Reopen and reply" in page and "This ticket is closed." in page
    assert "Send to Carla Customer" not in page
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "Reopening for you.", "send": "reopen"})
    assert response.status_code == 303
    ticket = fresh_ticket(ticket.number)
    assert ticket.status is S.PENDING and ticket.closed_at is None
    assert ticket.messages[-1].body == "Reopening for you." and len(emails()) == 1


def test_a_note_on_a_closed_ticket_does_not_reopen_it(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.set_status(ticket, S.CLOSED, by=agent)
    factories.login(client, agent)
    client.post(f"/tickets/{ticket.number}/reply", data={"body": "For the record", "mode": "note", "send": "note"})
    assert fresh_ticket(ticket.number).status is S.CLOSED
    assert db.session.scalar(select(TicketMessage).where(TicketMessage.body == "For the record")).is_internal


def test_an_unknown_send_button_is_refused(client):
    factories.login(client, factories.agent())
    ticket = factories.ticket(notify=False)
    response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "x", "send": "delete"})
    assert response.status_code == 422
    assert len(fresh_ticket(ticket.number).messages) == 1
