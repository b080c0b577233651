"""Ticket state changes. Functions flush, never commit: the caller (view, job, CLI) owns the transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Team, User
from ..core.errors import InvalidTransition, StaleVersion
from ..core.extensions import db
from ..core.models import utcnow
from ..core.storage import StoredFile
from ..customers.models import Customer
from . import events
from .models import (
    CHOICE_TYPES,
    OPEN_STATUSES,
    Activity,
    Attachment,
    Category,
    Channel,
    Level,
    Priority,
    Ticket,
    TicketCounter,
    TicketFieldValue,
    TicketMessage,
    TicketStatus,
    priority_for,
)


def next_ticket_number() -> int:
    """The next ticket number, from the counter row, inside the caller's transaction (the row lock serialises)."""
    stmt = update(TicketCounter).where(TicketCounter.id == 1).values(value=TicketCounter.value + 1)
    number = db.session.execute(stmt.returning(TicketCounter.value)).scalar()
    if number is None:  # a database created without the migration's seed row
        start = db.session.scalar(select(db.func.max(Ticket.number))) or 1000
        db.session.execute(insert(TicketCounter).values(id=1, value=start + 1))
        number = start + 1
    return number


def attach(message: TicketMessage, files: Sequence[StoredFile]) -> None:
    """Rows for files already complete on disk (see core.storage)."""
    for stored in files:
        message.attachments.append(
            Attachment(
                storage_key=stored.key,
                filename=stored.filename,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                image_type=stored.image_type,
            )
        )


def record(ticket: Ticket, kind: str, *, actor: User | Customer | None, old: object = None, new: object = None) -> None:
    db.session.add(
        Activity(
            ticket=ticket,
            kind=kind,
            actor_user=actor if isinstance(actor, User) else None,
            actor_customer=actor if isinstance(actor, Customer) else None,
            old=None if old is None else str(old)[:250],
            new=None if new is None else str(new)[:250],
        )
    )


def _new_ticket(*, customer: Customer, subject: str, channel: Channel, category: Category | None, now: datetime) -> Ticket:
    ticket = Ticket(
        number=next_ticket_number(),
        subject=subject.strip(),
        customer=customer,
        channel=channel,
        category=category,
        created_at=now,
        updated_at=now,
    )
    db.session.add(ticket)
    return ticket


def open_ticket(
    *,
    customer: Customer,
    subject: str,
    body: str,
    channel: Channel = Channel.WEB,
    created_by: User | None = None,
    category: Category | None = None,
    notify_customer: bool = True,
    answers: dict | None = None,
    attachments: Sequence[StoredFile] = (),
) -> Ticket:
    """Create a ticket with its first message, custom field answers and audit entry; the acknowledgement
    email goes to the outbox."""
    now = utcnow()
    ticket = _new_ticket(customer=customer, subject=subject, channel=channel, category=category, now=now)
    first = TicketMessage(ticket=ticket, author_customer=customer, body=body, channel=channel, created_at=now)
    attach(first, attachments)
    db.session.add(first)
    record(ticket, "created", actor=created_by or customer, new=channel.value)
    db.session.flush()
    if answers:
        set_field_values(ticket, answers, actor=customer, audit=False)
    events.announce(events.ticket_opened, ticket, actor=created_by or customer, acknowledge=notify_customer)
    return ticket


@dataclass
class TakenRequest:
    """What an agent writes down when a customer calls, chats or walks in."""

    customer: Customer
    subject: str  # the team's own words ("Called: printer jam")
    notes: str
    channel: Channel = Channel.PHONE
    notes_public: bool = False  # the customer may read the notes on their ticket page
    customer_subject: str | None = None  # what the customer's emails say; None: the subject
    notify_customer: bool = True
    category: Category | None = None
    answers: dict | None = None
    assignee: User | None = None
    priority: Priority | None = None  # None: from the impact × urgency matrix


def take_ticket(request: TakenRequest, *, agent: User) -> Ticket:
    """A ticket an agent opens for a customer. The notes are the agent's message, written on the customer's
    behalf (internal unless shared); the acknowledgement, if wanted, goes to the outbox with the subject the
    customer sees."""
    now = utcnow()
    ticket = _new_ticket(customer=request.customer, subject=request.subject, channel=request.channel, category=request.category, now=now)
    customer_subject = (request.customer_subject or "").strip()
    ticket.customer_subject = customer_subject if customer_subject and customer_subject != ticket.subject else None
    matrix = priority_for(Level.MEDIUM, Level.MEDIUM)  # a new ticket's impact and urgency
    ticket.priority = request.priority or matrix
    ticket.is_priority_overridden = ticket.priority != matrix
    ticket.assignee = request.assignee
    notes = TicketMessage(
        ticket=ticket,
        author_user=agent,
        on_behalf_of=request.customer,
        body=request.notes,
        channel=request.channel,
        is_internal=not request.notes_public,
        created_at=now,
    )
    db.session.add(notes)
    record(ticket, "created", actor=agent, new=request.channel.value)
    if request.assignee is not None:
        record(ticket, "assignee", actor=agent, new=request.assignee.name)
    db.session.flush()
    if request.answers:
        set_field_values(ticket, request.answers, actor=agent, audit=False)
    events.announce(events.ticket_opened, ticket, actor=agent, acknowledge=request.notify_customer)
    if request.assignee is not None:
        events.announce(events.ticket_assigned, ticket, actor=agent, old=None, new=request.assignee)
    return ticket


def _set_status(ticket: Ticket, status: TicketStatus, *, actor: User | Customer | None) -> None:
    if status == ticket.status:
        return
    record(ticket, "status", actor=actor, old=ticket.status.value, new=status.value)
    now = utcnow()
    old = ticket.status
    ticket.status = status
    ticket.is_open = status in OPEN_STATUSES
    if status is TicketStatus.RESOLVED:
        ticket.resolved_at = now
    elif status is TicketStatus.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None
        ticket.closed_at = None
    events.announce(events.status_changed, ticket, actor=actor, old=old, new=status)
    was_open, is_open = old in OPEN_STATUSES, status in OPEN_STATUSES
    if was_open and not is_open:
        events.announce(events.ticket_resolved, ticket, actor=actor, old=old, new=status)
    elif is_open and not was_open:
        events.announce(events.ticket_reopened, ticket, actor=actor, old=old, new=status)


class AfterReply(StrEnum):
    """The status an agent's public reply leaves the ticket in (the composer's split button)."""

    WAIT = "pending"  # wait for the customer's answer
    RESOLVE = "resolved"
    CLOSE = "closed"  # the Details panel said Closed: the reply goes first, then the ticket closes
    KEEP = "keep"


def add_reply(
    ticket: Ticket,
    *,
    author: User,
    body: str,
    is_internal: bool = False,
    attachments: Sequence[StoredFile] = (),
    after: AfterReply | None = None,
    reopen: bool = False,
) -> TicketMessage:
    """An agent's public reply (emailed to the customer) or an internal note.

    A public reply leaves the ticket as `after` says; None keeps the old rule (new and open tickets then wait on
    the customer). A closed ticket takes a public reply only with `reopen` (else InvalidTransition, nothing written).
    """
    closed = ticket.status is TicketStatus.CLOSED
    if not is_internal and closed and not reopen:
        raise InvalidTransition(_("Ticket %(ref)s is closed; it cannot get new replies.", ref=ticket.reference))
    now = utcnow()
    message = TicketMessage(ticket=ticket, author_user=author, body=body, is_internal=is_internal, created_at=now)
    attach(message, attachments)
    db.session.add(message)
    if is_internal:
        record(ticket, "note", actor=author)
    else:
        record(ticket, "reply", actor=author)
        _set_status(ticket, _status_after_reply(ticket.status, after), actor=author)
        ticket.first_response_at = ticket.first_response_at or now
    ticket.updated_at = now
    db.session.flush()
    events.announce(events.note_added if is_internal else events.agent_replied, ticket, actor=author, message=message)
    return message


def _status_after_reply(status: TicketStatus, after: AfterReply | None) -> TicketStatus:
    if after is None:
        waiting = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.CLOSED)  # closed: only when reopening
        return TicketStatus.PENDING if status in waiting else status
    if after is AfterReply.KEEP:
        return TicketStatus.OPEN if status is TicketStatus.CLOSED else status  # "keep" never keeps a reply closed
    return TicketStatus(after.value)


def add_customer_reply(
    ticket: Ticket, *, customer: Customer, body: str, channel: Channel = Channel.WEB, attachments: Sequence[StoredFile] = ()
) -> TicketMessage:
    """A customer's reply; it reopens a ticket that was waiting on them or resolved."""
    if ticket.status is TicketStatus.CLOSED:
        raise InvalidTransition(_("This request is closed. Please send a new request instead."))
    now = utcnow()
    message = TicketMessage(ticket=ticket, author_customer=customer, body=body, channel=channel, created_at=now)
    attach(message, attachments)
    db.session.add(message)
    record(ticket, "customer_reply", actor=customer)
    if ticket.status in (TicketStatus.PENDING, TicketStatus.RESOLVED):
        _set_status(ticket, TicketStatus.OPEN, actor=customer)
    ticket.updated_at = now
    db.session.flush()
    events.announce(events.customer_replied, ticket, actor=customer, message=message)
    return message


@dataclass
class Properties:
    """What the properties panel edits; priority None means: follow the impact × urgency matrix."""

    status: TicketStatus
    impact: Level
    urgency: Level
    priority: Priority | None
    assignee: User | None
    category: Category | None
    team: Team | None = None


def update_properties(ticket: Ticket, props: Properties, *, actor: User, expected_version: int) -> bool:
    """Apply the panel's values, each change audited. Refused if the ticket changed since the form was loaded.

    Returns whether anything changed. Raises StaleVersion (nothing written) on a version mismatch.
    """
    if ticket.version != expected_version:
        raise StaleVersion(_STALE_MESSAGE())
    status_before = ticket.status
    _set_status(ticket, props.status, actor=actor)
    changes: dict[str, tuple[object, object]] = {}
    for field in ("impact", "urgency"):
        old, new = getattr(ticket, field), getattr(props, field)
        if old != new:
            record(ticket, field, actor=actor, old=old.value, new=new.value)
            changes[field] = (old.value, new.value)
            setattr(ticket, field, new)
    matrix = priority_for(ticket.impact, ticket.urgency)
    priority = props.priority or matrix
    ticket.is_priority_overridden = priority != matrix
    if priority != ticket.priority:
        record(ticket, "priority", actor=actor, old=ticket.priority.value, new=priority.value)
        changes["priority"] = (ticket.priority.value, priority.value)
        ticket.priority = priority
    old_assignee = ticket.assignee
    if props.assignee != old_assignee:
        record(ticket, "assignee", actor=actor, old=_name(old_assignee), new=_name(props.assignee))
        ticket.assignee = props.assignee
    if props.team != ticket.team:
        old_team, new_team = (ticket.team.name if ticket.team else None), (props.team.name if props.team else None)
        record(ticket, "team", actor=actor, old=old_team, new=new_team)
        changes["team"] = (old_team, new_team)
        ticket.team = props.team
    if props.category != ticket.category:
        record(ticket, "category", actor=actor, old=_cat(ticket.category), new=_cat(props.category))
        changes["category"] = (_cat(ticket.category), _cat(props.category))
        ticket.category = props.category
    changed = bool(changes) or props.assignee != old_assignee or status_before != ticket.status
    if changed:
        ticket.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError as exc:  # saved by someone else between our read and our write
        raise StaleVersion(_STALE_MESSAGE()) from exc
    if props.assignee != old_assignee:
        events.announce(events.ticket_assigned, ticket, actor=actor, old=old_assignee, new=props.assignee)
    if changes:
        events.announce(events.properties_changed, ticket, actor=actor, changes=changes)
    return changed


def _STALE_MESSAGE() -> str:  # noqa: N802 (reads as the constant it is, translated when raised)
    return _("Someone else changed this ticket while you were editing it. Nothing was saved: check the current values and try again.")


def _name(user: User | None) -> str | None:
    return user.name if user else None


def _cat(category: Category | None) -> str | None:
    return category.name_en if category else None


def set_field_values(ticket: Ticket, answers: dict, *, actor: User | Customer | None, audit: bool = True) -> bool:
    """Store the answers ({CustomField: [text values]}) of these fields, replacing their earlier answers.

    Answers to other fields (retired ones, another category's) are kept. Each changed field is audited.
    Returns whether anything changed.
    """
    existing: dict[int, list[TicketFieldValue]] = {}
    for row in ticket.field_values:
        existing.setdefault(row.field_id, []).append(row)
    changes: dict[str, tuple[object, object]] = {}
    for field, values in answers.items():
        old_rows = existing.get(field.id, [])
        old = [row.value for row in old_rows]
        if old == values:
            continue
        changes[f"field:{field.id}"] = (old, list(values))
        for row in old_rows:
            ticket.field_values.remove(row)
        for value in values:
            option = value if field.type in CHOICE_TYPES else None
            ticket.field_values.append(TicketFieldValue(field=field, value=value, option=option))
        if audit:
            record(ticket, "field", actor=actor, old=field.label_en, new=", ".join(values) or None)
    if changes:
        ticket.updated_at = utcnow()
    db.session.flush()
    if changes and audit:
        events.announce(events.properties_changed, ticket, actor=actor, changes=changes)
    return bool(changes)


def update_field_values(ticket: Ticket, answers: dict, *, actor: User, expected_version: int, loaded: dict[int, list[str]] | None) -> bool:
    """Save the answers an agent edited in a form loaded at `expected_version`, showing the `loaded` answers.

    Only the fields the agent changed are written: a field left as it was never overwrites a newer answer someone
    else saved meanwhile. If the ticket changed since and someone else also changed one of the agent's fields to a
    different answer, StaleVersion names the fields and nothing is written. Without `loaded`, any newer version
    is a conflict. Returns whether anything changed.
    """
    mine = {field: values for field, values in answers.items() if loaded is None or loaded.get(field.id, []) != values}
    if ticket.version != expected_version:
        if loaded is None:
            raise StaleVersion(_STALE_MESSAGE())
        current: dict[int, list[str]] = {}
        for row in ticket.field_values:
            current.setdefault(row.field_id, []).append(row.value)
        clashes = [
            field
            for field, values in mine.items()
            if current.get(field.id, []) != loaded.get(field.id, []) and current.get(field.id, []) != values
        ]
        if clashes:
            names = ", ".join(f"“{field.label(str(get_locale()))}”" for field in clashes)
            raise StaleVersion(
                _(
                    "Someone else changed %(fields)s while you were editing. Nothing was saved: the form now shows the current answers.",
                    fields=names,
                )
            )
    try:
        return set_field_values(ticket, mine, actor=actor)
    except StaleDataError as exc:  # saved by someone else between our read and our write
        raise StaleVersion(_STALE_MESSAGE()) from exc
