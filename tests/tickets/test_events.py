"""Ticket events: what happens to a ticket is announced, in order, with ids and the actor, inside the transaction
that made it — the hook mail, surveys, SLA, automation and metrics react to."""

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets import events
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Ticket, TicketStatus
from tests import factories
from tests.tickets.test_ticket_page import props

SIGNALS = {
    "opened": events.ticket_opened,
    "customer_replied": events.customer_replied,
    "agent_replied": events.agent_replied,
    "note_added": events.note_added,
    "status_changed": events.status_changed,
    "resolved": events.ticket_resolved,
    "reopened": events.ticket_reopened,
    "assigned": events.ticket_assigned,
    "properties_changed": events.properties_changed,
}


@pytest.fixture
def heard(app) -> Iterator[list[tuple[str, dict]]]:
    """Every ticket event, as (name, keywords with objects reduced to what a receiver would keep)."""
    log: list[tuple[str, dict]] = []

    def listener(name: str):  # noqa: ANN202 (a test helper)
        def receive(ticket: Ticket, **data: object) -> None:
            assert data["ticket_id"] == ticket.id
            kept = {k: getattr(v, "value", None) or getattr(v, "name", None) or getattr(v, "body", None) or v for k, v in data.items()}
            log.append((name, kept))

        return receive

    receivers = {name: listener(name) for name in SIGNALS}
    for name, signal in SIGNALS.items():
        signal.connect(receivers[name])
    yield log
    for name, signal in SIGNALS.items():
        signal.disconnect(receivers[name])


def names(log: list[tuple[str, dict]]) -> list[str]:
    return [name for name, _ in log]


def test_a_tickets_life_is_announced_step_by_step_with_who_did_it(client, heard):
    olga = factories.agent("Olga")
    ticket = factories.ticket(notify=False)
    assert heard == [("opened", {"ticket_id": ticket.id, "actor": "Carla Customer", "acknowledge": False})]
    heard.clear()
    factories.login(client, olga)

    client.post(f"/tickets/{ticket.number}/reply", data={"body": "Checking the fuse.", "mode": "note", "send": "note"})
    assert heard == [("note_added", {"ticket_id": ticket.id, "actor": "Olga", "message": "Checking the fuse."})]
    heard.clear()

    client.post(f"/tickets/{ticket.number}/reply", data={"body": "Fixed it.", "send": "resolved"})
    assert names(heard) == ["status_changed", "resolved", "agent_replied"]
    assert heard[0][1] == {"ticket_id": ticket.id, "actor": "Olga", "old": "new", "new": "resolved"}
    assert heard[2][1]["message"] == "Fixed it."
    heard.clear()

    client.post(f"/my/{ticket_token(ticket)}", data={"body": "It broke again."})
    assert names(heard) == ["status_changed", "reopened", "customer_replied"]
    assert heard[1][1] == {"ticket_id": ticket.id, "actor": "Carla Customer", "old": "resolved", "new": "open"}
    assert heard[2][1]["message"] == "It broke again."


def test_assigning_and_reprioritising_are_announced_once_each_with_old_and_new(client, heard):
    olga = factories.agent("Olga")
    ticket = factories.ticket(notify=False)
    heard.clear()
    factories.login(client, olga)
    client.post(f"/tickets/{ticket.number}/properties", data=props(ticket, assignee_id=olga.id, impact="high", urgency="high"))
    assert names(heard) == ["assigned", "properties_changed"]
    assert heard[0][1] == {"ticket_id": ticket.id, "actor": "Olga", "old": None, "new": "Olga"}
    assert heard[1][1]["changes"] == {"impact": ("medium", "high"), "urgency": ("medium", "high"), "priority": ("medium", "critical")}
    heard.clear()
    db.session.expire_all()
    client.post(f"/tickets/{ticket.number}/properties", data=props(db.session.get(Ticket, ticket.id)))  # nothing changed
    assert heard == []


def test_an_event_is_part_of_the_change_a_receiver_that_fails_undoes_both(client, app):
    """Receivers run inside the transaction: if one fails, the reply and its outbox row are not half-written."""
    olga = factories.agent("Olga")
    ticket = factories.ticket(notify=False)
    factories.login(client, olga)

    def broken(ticket: Ticket, **_: object) -> None:
        raise RuntimeError("a receiver broke")

    events.agent_replied.connect(broken)
    try:
        app.config["PROPAGATE_EXCEPTIONS"] = False
        response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "Fixed it.", "send": "resolved"})
    finally:
        events.agent_replied.disconnect(broken)
    assert response.status_code == 500
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status is TicketStatus.NEW
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0
