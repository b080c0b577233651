"""Demo data for `flask seed demo`: a demo admin, categories with custom fields, realistic tickets in English
and Spanish, survey answers and the knowledge base. Flushes, never commits: the command commits."""

from datetime import timedelta

from sqlalchemy import func, select

from ..accounts import services as accounts
from ..accounts.models import Role, User
from ..core.extensions import db
from ..core.models import utcnow
from ..customers.services import find_or_create_customer
from ..surveys.models import SurveyInvitation, SurveyResponse
from ..tickets import services as tickets
from ..tickets.models import Activity, Category, Channel, CustomField, FieldType, Level, Priority, Ticket, TicketStatus
from .demo_kb import seed_knowledge_base

# A custom field: (type, label en, label es, help en, help es, required, agents only, extra column values)
DemoField = tuple[str, str, str, str, str, bool, bool, dict[str, object]]
# A ticket: (customer email, name, locale, subject, body, category index, channel, status, impact, urgency, assign)
DemoTicket = tuple[str, str, str, str, str, int | None, Channel, TicketStatus, Level, Level, bool]


def _options(*pairs: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"value": value, "en": en, "es": es} for value, en, es in pairs]


# (English, Spanish, [(type, label en, label es, help en, help es, required, agents only, extra)])
CATEGORIES: list[tuple[str, str, list[DemoField]]] = [
    (
        "Billing",
        "Facturación",
        [
            (
                "text",
                "Invoice or order number",
                "Número de factura o pedido",
                "It is at the top of the invoice.",
                "Está en la parte superior de la factura.",
                True,
                False,
                {},
            ),
            ("number", "Amount in question (€)", "Importe en cuestión (€)", "", "", False, False, {"min_value": 0}),
            (
                "select",
                "Payment method",
                "Forma de pago",
                "",
                "",
                False,
                False,
                {
                    "options": _options(
                        ("card", "Card", "Tarjeta"), ("transfer", "Bank transfer", "Transferencia"), ("paypal", "PayPal", "PayPal")
                    )
                },
            ),
            ("checkbox", "Refund already requested at the bank", "Devolución ya pedida al banco", "", "", False, True, {}),
        ],
    ),
    (
        "Technical problem",
        "Problema técnico",
        [
            (
                "select",
                "Product",
                "Producto",
                "",
                "",
                True,
                False,
                {
                    "options": _options(
                        ("web", "Online shop", "Tienda online"), ("app", "Mobile app", "App móvil"), ("pos", "Till (POS)", "Caja (TPV)")
                    )
                },
            ),
            (
                "multiselect",
                "Where does it happen?",
                "¿Dónde ocurre?",
                "Tick all that apply.",
                "Marque todas las que correspondan.",
                False,
                False,
                {
                    "options": _options(
                        ("windows", "Windows", "Windows"),
                        ("mac", "Mac", "Mac"),
                        ("android", "Android", "Android"),
                        ("iphone", "iPhone", "iPhone"),
                    )
                },
            ),
            ("date", "Since when?", "¿Desde cuándo?", "", "", False, False, {}),
            (
                "url",
                "Link to a screenshot",
                "Enlace a una captura",
                "Optional; you can also attach it.",
                "Opcional; también puede adjuntarla.",
                False,
                False,
                {},
            ),
            ("textarea", "Diagnosis notes", "Notas de diagnóstico", "", "", False, True, {}),
        ],
    ),
    (
        "Returns",
        "Devoluciones",
        [
            ("text", "Order number", "Número de pedido", "", "", True, False, {}),
            (
                "select",
                "Reason",
                "Motivo",
                "",
                "",
                True,
                False,
                {
                    "options": _options(
                        ("size", "Wrong size", "Talla incorrecta"),
                        ("damaged", "Arrived damaged", "Llegó dañado"),
                        ("changed", "Changed my mind", "He cambiado de opinión"),
                    )
                },
            ),
            ("checkbox", "The item is unused and in its box", "El artículo está sin usar y en su caja", "", "", False, False, {}),
            (
                "email",
                "Email for the return label",
                "Correo para la etiqueta de devolución",
                "If different from yours.",
                "Si es distinto del suyo.",
                False,
                False,
                {},
            ),
        ],
    ),
]

TICKETS: list[DemoTicket] = [
    # (customer email, name, locale, subject, body, category index, channel, status, impact, urgency, assign)
    (
        "lucia.fernandez@example.net",
        "Lucía Fernández",
        "es",
        "No puedo acceder a mi cuenta",
        "Desde ayer la página me dice que mi contraseña es incorrecta, pero no la he cambiado. ¿Me pueden ayudar?",
        1,
        Channel.WEB,
        TicketStatus.NEW,
        Level.MEDIUM,
        Level.HIGH,
        False,
    ),
    (
        "tom.baker@example.org",
        "Tom Baker",
        "en",
        "Charged twice for order 58213",
        "Hi, my card statement shows two charges of 49.90 for the same order. Could you refund one of them?",
        0,
        Channel.EMAIL,
        TicketStatus.OPEN,
        Level.LOW,
        Level.HIGH,
        True,
    ),
    (
        "marta.gil@example.com",
        "Marta Gil",
        "es",
        "Quiero devolver unas zapatillas",
        "Las zapatillas me quedan pequeñas. ¿Cómo hago la devolución y en cuánto tiempo me devuelven el dinero?",
        2,
        Channel.WEB,
        TicketStatus.PENDING,
        Level.LOW,
        Level.LOW,
        True,
    ),
    (
        "priya.shah@example.com",
        "Priya Shah",
        "en",
        "The export to CSV is empty",
        "When I export last month's invoices the CSV file only has the header row. It worked in September.",
        1,
        Channel.WEB,
        TicketStatus.OPEN,
        Level.HIGH,
        Level.MEDIUM,
        True,
    ),
    (
        "jorge.ramos@example.net",
        "Jorge Ramos",
        "es",
        "Factura con datos fiscales incorrectos",
        "En la factura de octubre aparece mal el CIF de la empresa. Necesito una factura rectificativa.",
        0,
        Channel.PHONE,
        TicketStatus.NEW,
        Level.MEDIUM,
        Level.MEDIUM,
        False,
    ),
    (
        "anna.kowalska@example.org",
        "Anna Kowalska",
        "en",
        "Site down for all our staff",
        "Nobody in our office can log in since 9:00. We get an error page. This is blocking all our work!",
        1,
        Channel.PHONE,
        TicketStatus.OPEN,
        Level.HIGH,
        Level.HIGH,
        True,
    ),
    (
        "david.lopez@example.com",
        "David López",
        "es",
        "¿Hacen envíos a Canarias?",
        "Quería saber si enviáis a Tenerife y cuánto cuesta el envío.",
        None,
        Channel.CHAT,
        TicketStatus.RESOLVED,
        Level.LOW,
        Level.LOW,
        True,
    ),
    (
        "sarah.oconnor@example.net",
        "Sarah O'Connor",
        "en",
        "Return label not received",
        "I requested a return a week ago but never got the label by email.",
        2,
        Channel.EMAIL,
        TicketStatus.CLOSED,
        Level.LOW,
        Level.MEDIUM,
        True,
    ),
]


def seed_demo(admin_email: str) -> str | None:
    """Create the demo admin, a second agent and the demo data, if the database has no users yet. Flushes.

    Returns the admin's generated password (to be shown once), or None when nothing was added.
    """
    if db.session.scalar(select(func.count()).select_from(User)):
        return None
    password = accounts.generate_password()
    admin = accounts.create_user(email=admin_email, name="Alex Admin", password=password, role=Role.OWNER)
    agent = accounts.create_user(email="sam@example.com", name="Sam Agent", password=accounts.generate_password())
    categories = [_demo_category(position, *row) for position, row in enumerate(CATEGORIES)]
    db.session.flush()
    seed_knowledge_base()
    for index, row in enumerate(TICKETS):  # oldest first, so that numbers follow time
        _demo_ticket(row, categories, assignee=agent if index % 2 else admin, hours_ago=(len(TICKETS) - index) * 5)
    _demo_survey_answers()
    db.session.flush()
    return password


def _demo_survey_answers() -> None:
    """The resolved and closed demo tickets were surveyed and answered, so ratings show on first run."""
    answers = [(5, 5, 5, 4, "Muy amables y rápidos, gracias."), (2, 1, 3, 4, "It took almost a week to get the label.")]
    closed = db.session.scalars(select(Ticket).where(Ticket.resolved_at.is_not(None)).order_by(Ticket.id)).all()
    for ticket, (rating, speed, skill, ease, comment) in zip(closed, answers, strict=False):
        ticket.survey_due_at = None
        invitation = SurveyInvitation(ticket_id=ticket.id, resolved_at=ticket.resolved_at, expires_at=utcnow() + timedelta(days=14))
        db.session.add(invitation)
        db.session.add(
            SurveyResponse(
                invitation=invitation, rating=rating, resolution_time=speed, agent_skill=skill, channel_ease=ease, comment=comment
            )
        )


def _demo_category(position: int, name_en: str, name_es: str, fields: list[DemoField]) -> Category:
    category = Category(name_en=name_en, name_es=name_es, position=position)
    for index, (kind, label_en, label_es, help_en, help_es, required, agents_only, extra) in enumerate(fields):
        category.fields.append(
            CustomField(
                type=FieldType(kind),
                label_en=label_en,
                label_es=label_es,
                help_en=help_en,
                help_es=help_es,
                is_required=required,
                is_agent_only=agents_only,
                position=index,
                **extra,
            )
        )
    db.session.add(category)
    return category


# Demo answers by subject: {label_en: [values]}
DEMO_ANSWERS: dict[str, dict[str, list[str]]] = {
    "Charged twice for order 58213": {"Invoice or order number": ["58213"], "Amount in question (€)": ["49.9"], "Payment method": ["card"]},
    "The export to CSV is empty": {"Product": ["web"], "Where does it happen?": ["windows", "mac"], "Since when?": ["2026-10-01"]},
    "Quiero devolver unas zapatillas": {"Order number": ["77120"], "Reason": ["size"], "The item is unused and in its box": ["yes"]},
    "No puedo acceder a mi cuenta": {"Product": ["app"], "Where does it happen?": ["android"]},
}


def _demo_ticket(row: DemoTicket, categories: list[Category], *, assignee: User, hours_ago: int) -> Ticket:
    email, name, locale, subject, body, cat, channel, status, impact, urgency, assign = row
    customer = find_or_create_customer(email, name=name, locale=locale)
    ticket = tickets.open_ticket(
        customer=customer,
        subject=subject,
        body=body,
        channel=channel,
        category=categories[cat] if cat is not None else None,
        answers={
            f: DEMO_ANSWERS[subject][f.label_en]
            for f in (categories[cat].fields if cat is not None else [])
            if f.label_en in DEMO_ANSWERS.get(subject, {})
        },
    )
    props = tickets.Properties(
        status=TicketStatus.OPEN if status is TicketStatus.PENDING else status,
        impact=impact,
        urgency=urgency,
        priority=None if impact is not Level.LOW or urgency is not Level.LOW else Priority.LOW,
        assignee=assignee if assign else None,
        category=ticket.category,
    )
    tickets.update_properties(ticket, props, actor=assignee, expected_version=ticket.version)
    if status is TicketStatus.PENDING:
        reply = (
            "¡Hola! Claro: te enviamos la etiqueta de devolución por correo. ¿Nos confirmas la talla?"
            if locale == "es"
            else ("Thanks for writing. Could you tell us a bit more?")
        )
        tickets.add_reply(ticket, author=assignee, body=reply)
        tickets.add_reply(ticket, author=assignee, body="Check stock of size 38 before answering.", is_internal=True)
    stamp = utcnow() - timedelta(hours=hours_ago)
    ticket.created_at = stamp
    ticket.updated_at = stamp + timedelta(minutes=30)
    db.session.flush()
    for minutes, entry in enumerate([*ticket.messages, *db.session.scalars(select(Activity).where(Activity.ticket_id == ticket.id))]):
        entry.created_at = stamp + timedelta(minutes=min(minutes * 5, 30))
    return ticket
