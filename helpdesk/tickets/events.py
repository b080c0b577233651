"""What happens to a ticket, announced with blinker signals so that other domains (mail, surveys, and later SLA,
automation, metrics) react without `tickets` importing them.

Every signal's sender is the Ticket; every one carries `ticket_id` and `actor` (the User or Customer who did it,
None for the system) as keywords, plus what the signal names below. Signals are sent inside the request's (or
job's) transaction, after the rows are flushed, so a receiver sees the new state and its own writes commit or roll
back with the change. Receivers only add rows and outbox entries: they never commit and never touch the network.
They are connected in `create_app` (`_connect_ticket_events`), in one list, in a fixed order.
"""

from blinker import Namespace, Signal

from .models import Ticket

_signals = Namespace()

#: A new ticket (web form, phone, email). `acknowledge`: whether the customer should get an acknowledgement email.
ticket_opened = _signals.signal("ticket-opened")
#: A customer's message on an existing ticket. `message`: the TicketMessage.
customer_replied = _signals.signal("customer-replied")
#: An agent's public reply. `message`: the TicketMessage (never an internal note).
agent_replied = _signals.signal("agent-replied")
#: An agent's internal note. `message`: the TicketMessage.
note_added = _signals.signal("note-added")
#: Any status change. `old`, `new`: TicketStatus (the ticket already has `new`).
status_changed = _signals.signal("status-changed")
#: The ticket left the open statuses for resolved or closed. `old`, `new`: TicketStatus. Sent after status_changed.
ticket_resolved = _signals.signal("ticket-resolved")
#: A resolved or closed ticket is open again. `old`, `new`: TicketStatus. Sent after status_changed.
ticket_reopened = _signals.signal("ticket-reopened")
#: The assignee changed. `old`, `new`: the User or None.
ticket_assigned = _signals.signal("ticket-assigned")
#: Other properties changed (impact, urgency, priority, team, category, custom fields). `changes`: {name: (old, new)}
#: with plain values (enum values, names, lists of answers); custom fields are named "field:<id>".
properties_changed = _signals.signal("properties-changed")


def announce(signal: Signal, ticket: Ticket, **data: object) -> None:
    """Send `signal` for `ticket` with its id (flushed first, so the id exists): the one way tickets code sends."""
    if ticket.id is None:
        from ..core.extensions import db

        db.session.flush()
    signal.send(ticket, ticket_id=ticket.id, **data)
