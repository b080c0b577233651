"""Survey jobs: the scheduled send after a resolution, the sweep that sends whatever is due, and the monthly pulse.

The `@job` wrapper owns the transaction (see core/queue.py): nothing here commits.
"""

from collections.abc import Iterator

from ..core.queue import job
from . import queries
from .services import invite, open_round


@job
def send_survey(ticket_id: int) -> None:
    """Scheduled `delay` after the resolution; does nothing if reopened, already surveyed, opted out or switched off."""
    invite(ticket_id)


@job(per_item=True)
def send_due_surveys() -> Iterator[int]:
    """Every minute (rq cron): send the surveys whose scheduled job never ran (Redis lost it, the worker was down).
    Each ticket is committed on its own (`invite` is safe to redo): a failure costs only the ticket in flight."""
    for ticket_id in queries.due_survey_ticket_ids(limit=200):
        invite(ticket_id)
        yield ticket_id


@job
def open_pulse_round() -> None:
    """Monthly from rq cron (PULSE_CRON, default 09:00 UTC on the 1st); a second run the same month does nothing."""
    open_round()
