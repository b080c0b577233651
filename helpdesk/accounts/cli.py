"""`flask accounts …`: create the first admin from the command line."""

import click
from flask.cli import AppGroup

from ..core.extensions import db
from ..customers.services import normalize_email
from . import queries, services
from .models import Role

accounts_cli = AppGroup("accounts", help="Staff accounts.")


@accounts_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="Admin")
@click.option("--password", default=None, help="Generated and printed once when omitted.")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an admin (owner) account."""
    if queries.user_by_email(normalize_email(email)) is not None:
        raise click.ClickException(f"A user with the email {email} exists already.")
    generated = password is None
    password = password or services.generate_password()
    services.create_user(email=email, name=name, password=password, role=Role.OWNER)
    db.session.commit()
    click.echo(f"Admin created: {email}")
    if generated:
        click.echo(f"Password (shown once): {password}")
