"""The queue's queries are served by indexes: their cost must not grow with the ticket table (SQLite plans)."""

import pytest
from sqlalchemy import text

from helpdesk.core.extensions import db
from helpdesk.tickets import queries
from helpdesk.tickets.models import Priority, TicketStatus
from tests import factories

CASES = [
    {"view": "open"},
    {"view": "all"},
    {"view": "mine"},
    {"view": "unassigned"},
    {"view": "open", "status": TicketStatus.PENDING},
    {"view": "all", "status": TicketStatus.CLOSED},
    {"view": "open", "priority": Priority.HIGH},
    {"view": "all", "assignee_id": 0},
    {"view": "all", "assignee_id": 7},
    {"view": "open", "assignee_id": 7},
    {"view": "all", "priority": Priority.LOW},
    {"view": "mine", "status": TicketStatus.OPEN},
    {"view": "unassigned", "priority": Priority.CRITICAL},
]


@pytest.mark.parametrize("oldest_first", [False, True])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_queue_query_uses_an_index_and_no_sort(app, case, oldest_first):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("plans are checked on SQLite; PostgreSQL has the same indexes")
    agent = factories.agent()
    filters = queries.QueueFilters(**case, oldest_first=oldest_first)
    query = queries.queue_query(filters, agent)
    order = queries._order(oldest_first, forward=True)
    compiled = queries.queue_columns(query).order_by(*order).limit(51).compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = " | ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort of the whole result: the index gives the order


def test_latest_change_is_one_index_lookup(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("plans are checked on SQLite")
    plan = " | ".join(row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN SELECT max(updated_at) FROM ticket")))
    assert "ix_ticket_updated" in plan, plan
