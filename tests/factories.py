"""Small builders for test data: sensible defaults, every one overridable."""

import itertools

from helpdesk.accounts.models import Role, User
from helpdesk.accounts.services import create_user
from helpdesk.core.extensions import db
from helpdesk.customers.services import find_or_create_customer
from helpdesk.tickets import services as tickets
from helpdesk.tickets.models import Channel, Ticket

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def agent(name: str | None = None, *, role: Role = Role.AGENT, email: str | None = None, locale: str | None = None) -> User:
    n = next(_seq)
    user = create_user(email=email or f"agent{n}@acme.test", name=name or f"Agent {n}", password=PASSWORD, role=role, locale=locale)
    db.session.commit()
    return user


def admin(name: str = "Ada Admin") -> User:
    return agent(name, role=Role.OWNER)


def ticket(
    subject: str = "Printer on fire",
    *,
    email: str = "carla@example.com",
    name: str = "Carla Customer",
    body: str = "It is really on fire.",
    locale: str | None = "en",
    channel: Channel = Channel.WEB,
    notify: bool = True,
) -> Ticket:
    customer = find_or_create_customer(email, name=name, locale=locale)
    result = tickets.open_ticket(customer=customer, subject=subject, body=body, channel=channel, notify_customer=notify)
    db.session.commit()
    return result


def set_status(ticket: Ticket, status, *, by: User | None = None) -> None:
    """Change a ticket's status as an agent would, through the properties service."""
    props = tickets.Properties(status, ticket.impact, ticket.urgency, None, ticket.assignee, ticket.category, ticket.team)
    tickets.update_properties(ticket, props, actor=by or agent(), expected_version=ticket.version)
    db.session.commit()


def login(client, user: User) -> None:
    with client.session_transaction() as session:
        session.clear()  # a fresh sign-in: nothing of an earlier one (its idle clock) carries over
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def category(name: str = "Billing", name_es: str = "Facturación", fields: list[dict] | None = None):
    """A category with custom fields given as dicts of CustomField columns (type as a string)."""
    from helpdesk.tickets.models import Category, CustomField, FieldType

    result = Category(name_en=name, name_es=name_es)
    for position, spec in enumerate(fields or []):
        spec = {"label_es": spec.get("label_en", "") + " (es)", **spec, "type": FieldType(spec["type"])}
        result.fields.append(CustomField(position=position, **spec))
    db.session.add(result)
    db.session.commit()
    return result


def every_type_category():
    """One optional field of each type, plus a required text field and an agent-only field."""
    return category(
        "Everything",
        "Todo",
        fields=[
            {"type": "text", "label_en": "Order number", "is_required": True, "help_en": "It is on your receipt."},
            {"type": "textarea", "label_en": "Steps"},
            {"type": "number", "label_en": "Amount", "min_value": 0, "max_value": 1000},
            {"type": "date", "label_en": "Since"},
            {
                "type": "select",
                "label_en": "Payment",
                "options": [{"value": "card", "en": "Card", "es": "Tarjeta"}, {"value": "cash", "en": "Cash", "es": "Efectivo"}],
            },
            {
                "type": "multiselect",
                "label_en": "Devices",
                "options": [{"value": "phone", "en": "Phone", "es": "Móvil"}, {"value": "laptop", "en": "Laptop", "es": "Portátil"}],
            },
            {"type": "checkbox", "label_en": "Subscribed"},
            {"type": "email", "label_en": "Other email"},
            {"type": "url", "label_en": "Screenshot link"},
            {"type": "textarea", "label_en": "Internal triage", "is_agent_only": True},
        ],
    )


def article(
    title: str = "How to return an item",
    body: str = "Send it back within **30 days**.",
    *,
    language: str = "en",
    published: bool = True,
    category=None,
    slug: str = "",
):
    from helpdesk.kb.models import ArticleStatus
    from helpdesk.kb.services import save_article

    status = ArticleStatus.PUBLISHED if published else ArticleStatus.DRAFT
    result = save_article(None, title=title, body=body, language=language, status=status, category=category, slug=slug)
    db.session.commit()
    return result
