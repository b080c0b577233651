"""Ticket reads: the agent queues with keyset pagination (fast at any depth), and one ticket's page."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, Select, func, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import User
from ..core.extensions import db
from ..core.models import MAX_INT, id_from
from ..customers.models import Customer
from .models import CHOICE_TYPES, Activity, Category, CustomField, Priority, Ticket, TicketFieldValue, TicketMessage, TicketStatus

PAGE_SIZE = 50
VIEWS = ("mine", "unassigned", "open", "all")


@dataclass
class QueueFilters:
    view: str = "open"
    status: TicketStatus | None = None
    priority: Priority | None = None
    assignee_id: int | None = None  # 0 means: nobody
    category_id: int | None = None
    field_option: tuple[int, str] | None = None  # (custom field id, chosen option) of a select field
    oldest_first: bool = False


@dataclass
class Page:
    tickets: list  # rows of queue_columns()
    next_cursor: str | None = None
    prev_cursor: str | None = None


def queue_query(filters: QueueFilters, agent: User) -> Select:
    """Tickets of one view and its filters; every combination is served by an index on (…, updated_at, id)."""
    query = select(Ticket)
    if filters.view == "mine":
        query = query.where(Ticket.assignee_id == agent.id, Ticket.is_open.is_(True))
    elif filters.view == "unassigned":
        query = query.where(Ticket.assignee_id.is_(None), Ticket.is_open.is_(True))
    elif filters.view == "open":
        query = query.where(Ticket.is_open.is_(True))
    if filters.status is not None:
        query = query.where(Ticket.status == filters.status)
    if filters.priority is not None:
        query = query.where(Ticket.priority == filters.priority)
    if filters.assignee_id == 0:
        query = query.where(Ticket.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        query = query.where(Ticket.assignee_id == filters.assignee_id)
    if filters.category_id is not None:
        query = query.where(Ticket.category_id == filters.category_id)
    if filters.field_option is not None:
        field_id, option = filters.field_option
        answered = select(TicketFieldValue.ticket_id).where(TicketFieldValue.field_id == field_id, TicketFieldValue.option == option)
        query = query.where(Ticket.id.in_(answered))  # read through ix_ticket_field_value_option
    return query


def queue_columns(query: Select) -> Select:
    """Only what a queue row shows, as plain rows (no ORM objects: a 50-row page is the agent's hot path)."""
    return (
        query.with_only_columns(
            Ticket.id,
            Ticket.number,
            Ticket.subject,
            Ticket.status,
            Ticket.priority,
            Ticket.updated_at,
            Customer.name.label("customer_name"),
            Customer.email.label("customer_email"),
            User.name.label("assignee_name"),
        )
        .join_from(Ticket, Customer, Ticket.customer_id == Customer.id)
        .outerjoin(User, Ticket.assignee_id == User.id)
    )


def encode_cursor(ticket: Row | Ticket) -> str:
    raw = json.dumps([ticket.updated_at.isoformat(), ticket.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The (updated_at, id) position, or None for a missing or garbled cursor (then: the first page)."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        stamp, ticket_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position = datetime.fromisoformat(stamp), int(ticket_id)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None
    if position[0].tzinfo is None or not 0 < position[1] <= MAX_INT:
        return None
    return position


def queue_page(query: Select, *, oldest_first: bool, after: str | None = None, before: str | None = None) -> Page:
    """One page of the queue by keyset: `after` pages forward, `before` back; no OFFSET, so depth costs nothing."""
    key = tuple_(Ticket.updated_at, Ticket.id)
    forward_order, backward_order = _order(oldest_first, forward=True), _order(oldest_first, forward=False)
    position_after, position_before = decode_cursor(after), decode_cursor(before)
    backwards = position_before is not None and position_after is None
    if position_after is not None:
        query = query.where(key > position_after if oldest_first else key < position_after).order_by(*forward_order)
    elif backwards:
        query = query.where(key < position_before if oldest_first else key > position_before).order_by(*backward_order)
    else:
        query = query.order_by(*forward_order)
    rows = list(db.session.execute(queue_columns(query).limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if backwards:
        rows.reverse()
        has_next, has_prev = True, more
    else:
        has_next, has_prev = more, position_after is not None
    return Page(
        tickets=rows,
        next_cursor=encode_cursor(rows[-1]) if rows and has_next else None,
        prev_cursor=encode_cursor(rows[0]) if rows and has_prev else None,
    )


def _order(oldest_first: bool, *, forward: bool) -> tuple:
    ascending = oldest_first == forward
    if ascending:
        return Ticket.updated_at.asc(), Ticket.id.asc()
    return Ticket.updated_at.desc(), Ticket.id.desc()


def latest_change() -> datetime | None:
    """When any ticket last changed: one index lookup, cheap enough to poll."""
    return db.session.scalar(select(func.max(Ticket.updated_at)))


def ticket_by_number(number: int, *, for_update: bool = False) -> Ticket | None:
    """One ticket with what its page shows. `for_update` locks the row (PostgreSQL) so that concurrent
    changes queue up instead of failing; on SQLite the write transaction's BEGIN IMMEDIATE does the same."""
    query = select(Ticket).where(Ticket.number == number)
    if for_update:
        query = query.with_for_update(of=Ticket)
    return db.session.scalar(
        query.options(
            joinedload(Ticket.customer),
            joinedload(Ticket.assignee),
            joinedload(Ticket.category),
            selectinload(Ticket.messages).joinedload(TicketMessage.author_user),
            selectinload(Ticket.messages).joinedload(TicketMessage.author_customer),
            selectinload(Ticket.messages).selectinload(TicketMessage.attachments),
            selectinload(Ticket.field_values).joinedload(TicketFieldValue.field),
        )
    )


def ticket_activity(ticket: Ticket) -> list[Activity]:
    return list(
        db.session.scalars(
            select(Activity)
            .where(Activity.ticket_id == ticket.id)
            .options(joinedload(Activity.actor_user), joinedload(Activity.actor_customer))
            .order_by(Activity.id)
        )
    )


def public_messages(ticket: Ticket) -> list[TicketMessage]:
    """What a customer may see: the public messages of this one ticket, never internal notes."""
    return list(
        db.session.scalars(
            select(TicketMessage)
            .where(TicketMessage.ticket_id == ticket.id, TicketMessage.is_internal.is_(False))
            .options(
                joinedload(TicketMessage.author_user),
                joinedload(TicketMessage.author_customer),
                selectinload(TicketMessage.attachments),
            )
            .order_by(TicketMessage.id)
        )
    )


def active_categories() -> list[Category]:
    query = select(Category).where(Category.active.is_(True)).options(selectinload(Category.fields))
    return list(db.session.scalars(query.order_by(Category.position, Category.id)))


def chosen_category(raw: str | None, categories: list[Category]) -> Category | None:
    """The active category whose id the visitor sent, if any (anything else counts as no choice)."""
    chosen = id_from(raw)
    return next((c for c in categories if c.id == chosen), None) if chosen is not None else None


def customer_fields(category: Category | None) -> list[CustomField]:
    """The questions a customer sees: active, not agent-only, in order."""
    if category is None:
        return []
    return [f for f in category.fields if f.is_active and not f.is_agent_only]


def choice_fields() -> list[CustomField]:
    """Select and multi-select fields of every category, for the queue's filter."""
    query = select(CustomField).join(Category).where(CustomField.type.in_(list(CHOICE_TYPES)))
    return list(db.session.scalars(query.options(selectinload(CustomField.category)).order_by(Category.position, CustomField.position)))


def field_values(ticket: Ticket) -> dict[int, list[str]]:
    values: dict[int, list[str]] = {}
    for row in ticket.field_values:
        values.setdefault(row.field_id, []).append(row.value)
    return values


def ticket_fields(ticket: Ticket) -> list[CustomField]:
    """The fields an agent edits on this ticket: the active ones of its category, agent-only included."""
    if ticket.category is None:
        return []
    return [f for f in ticket.category.fields if f.is_active]


def other_answers(ticket: Ticket) -> list[tuple[CustomField, list[str]]]:
    """Answers to fields not editable now (retired, or from the ticket's earlier category): shown, kept."""
    editable = {f.id for f in ticket_fields(ticket)}
    seen: dict[int, tuple[CustomField, list[str]]] = {}
    for row in ticket.field_values:
        if row.field_id not in editable:
            seen.setdefault(row.field_id, (row.field, []))[1].append(row.value)
    return list(seen.values())


def all_categories(*, with_fields: bool = False) -> list[Category]:
    """Every ticket category, retired ones too, in the admin's order (position, then id); `with_fields` loads
    each one's custom fields in the same round trip."""
    query = select(Category).order_by(Category.position, Category.id)
    if with_fields:
        query = query.options(selectinload(Category.fields))
    return list(db.session.scalars(query))
