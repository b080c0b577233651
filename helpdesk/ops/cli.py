"""`flask seed demo`: a demo admin and a handful of realistic tickets, on an empty database only."""

from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..accounts import services as accounts
from ..accounts.models import Role, User
from ..core.models import utcnow
from ..customers.services import find_or_create_customer
from ..extensions import db
from ..tickets import services as tickets
from ..tickets.models import Activity, Category, Channel, Level, Priority, Ticket, TicketStatus

seed_cli = AppGroup("seed", help="Demo data.")

CATEGORIES = [("Billing", "Facturación"), ("Technical problem", "Problema técnico"), ("Returns", "Devoluciones")]

TICKETS = [
    # (customer email, name, locale, subject, body, category index, channel, status, impact, urgency, assign)
    ("lucia.fernandez@example.net", "Lucía Fernández", "es", "No puedo acceder a mi cuenta",
     "Desde ayer la página me dice que mi contraseña es incorrecta, pero no la he cambiado. ¿Me pueden ayudar?",
     1, Channel.WEB, TicketStatus.NEW, Level.MEDIUM, Level.HIGH, False),
    ("tom.baker@example.org", "Tom Baker", "en", "Charged twice for order 58213",
     "Hi, my card statement shows two charges of 49.90 for the same order. Could you refund one of them?",
     0, Channel.EMAIL, TicketStatus.OPEN, Level.LOW, Level.HIGH, True),
    ("marta.gil@example.com", "Marta Gil", "es", "Quiero devolver unas zapatillas",
     "Las zapatillas me quedan pequeñas. ¿Cómo hago la devolución y en cuánto tiempo me devuelven el dinero?",
     2, Channel.WEB, TicketStatus.PENDING, Level.LOW, Level.LOW, True),
    ("priya.shah@example.com", "Priya Shah", "en", "The export to CSV is empty",
     "When I export last month's invoices the CSV file only has the header row. It worked in September.",
     1, Channel.WEB, TicketStatus.OPEN, Level.HIGH, Level.MEDIUM, True),
    ("jorge.ramos@example.net", "Jorge Ramos", "es", "Factura con datos fiscales incorrectos",
     "En la factura de octubre aparece mal el CIF de la empresa. Necesito una factura rectificativa.",
     0, Channel.PHONE, TicketStatus.NEW, Level.MEDIUM, Level.MEDIUM, False),
    ("anna.kowalska@example.org", "Anna Kowalska", "en", "Site down for all our staff",
     "Nobody in our office can log in since 9:00. We get an error page. This is blocking all our work!",
     1, Channel.PHONE, TicketStatus.OPEN, Level.HIGH, Level.HIGH, True),
    ("david.lopez@example.com", "David López", "es", "¿Hacen envíos a Canarias?",
     "Quería saber si enviáis a Tenerife y cuánto cuesta el envío.",
     None, Channel.CHAT, TicketStatus.RESOLVED, Level.LOW, Level.LOW, True),
    ("sarah.oconnor@example.net", "Sarah O'Connor", "en", "Return label not received",
     "I requested a return a week ago but never got the label by email.",
     2, Channel.EMAIL, TicketStatus.CLOSED, Level.LOW, Level.MEDIUM, True),
]


@seed_cli.command("demo")
@click.option("--admin-email", default="admin@example.com", show_default=True)
def demo(admin_email: str) -> None:
    """Create the demo admin (password printed once) and demo tickets, if the database has no users yet."""
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database has users already; no demo data added.")
        return
    password = accounts.generate_password()
    admin = accounts.create_user(email=admin_email, name="Alex Admin", password=password, role=Role.OWNER)
    agent = accounts.create_user(email="sam@example.com", name="Sam Agent", password=accounts.generate_password())
    categories = []
    for position, (name_en, name_es) in enumerate(CATEGORIES):
        category = Category(name_en=name_en, name_es=name_es, position=position)
        db.session.add(category)
        categories.append(category)
    db.session.flush()
    for age, row in enumerate(reversed(TICKETS)):
        _demo_ticket(row, categories, assignee=agent if age % 2 else admin, hours_ago=age * 5 + 1)
    db.session.commit()
    click.echo(f"Demo admin: {admin_email}")
    click.echo(f"Password (shown once, change it after signing in): {password}")


def _demo_ticket(row, categories, *, assignee: User, hours_ago: int) -> Ticket:
    email, name, locale, subject, body, cat, channel, status, impact, urgency, assign = row
    customer = find_or_create_customer(email, name=name, locale=locale)
    ticket = tickets.open_ticket(
        customer=customer,
        subject=subject,
        body=body,
        channel=channel,
        category=categories[cat] if cat is not None else None,
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
        reply = "¡Hola! Claro: te enviamos la etiqueta de devolución por correo. ¿Nos confirmas la talla?" if locale == "es" else (
            "Thanks for writing. Could you tell us a bit more?"
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


ops_cli = AppGroup("ops", help="Operations: backups.")


@ops_cli.command("backup-sqlite")
@click.option("--keep", default=5, show_default=True, help="How many backups to keep.")
def backup_sqlite(keep: int) -> None:
    """Copy the SQLite database consistently (online backup API; safe while running) into instance/backups/."""
    import sqlite3
    from contextlib import closing
    from pathlib import Path

    from flask import current_app

    if db.engine.dialect.name != "sqlite":
        raise click.ClickException("backup-sqlite is for SQLite; use pg_dump -Fc for PostgreSQL.")
    source = Path(db.engine.url.database or "")
    if not source.exists():
        click.echo("No database file yet; nothing to back up.")
        return
    folder = Path(current_app.instance_path) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{source.stem}-{utcnow():%Y%m%d-%H%M%S}.sqlite3"
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    for old in sorted(folder.glob(f"{source.stem}-*.sqlite3"))[:-keep]:
        old.unlink()
    click.echo(f"Backed up the database to {target}")
