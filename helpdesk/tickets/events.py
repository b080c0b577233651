"""What happens to a ticket, announced with blinker signals so other domains react without `tickets` importing them.

Signals are sent inside the request's (or job's) transaction, after the rows are flushed. Receivers only add rows
and outbox entries (never commit, never touch the network); they are connected in `create_app`, in one list.
"""

from blinker import Namespace

_signals = Namespace()

#: sender: the new Ticket; keyword `acknowledge`: whether the customer should get an acknowledgement email.
ticket_opened = _signals.signal("ticket-opened")
#: sender: the agent's public reply (a TicketMessage); internal notes are not announced here.
agent_replied = _signals.signal("agent-replied")
#: sender: the Ticket, already in its new status; keywords `old` and `new` (TicketStatus) and `actor`.
status_changed = _signals.signal("status-changed")
