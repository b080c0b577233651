"""`flask seed demo` (demo data on an empty database) and `flask ops …` (backups): parse, call, commit, echo."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.extensions import db
from .backup import backup_sqlite as write_backup
from .demo import seed_demo

seed_cli = AppGroup("seed", help="Demo data.")
ops_cli = AppGroup("ops", help="Operations: backups.")


@seed_cli.command("demo")
@click.option("--admin-email", default="admin@example.com", show_default=True)
def demo(admin_email: str) -> None:
    """Create the demo admin (password printed once) and demo tickets, if the database has no users yet."""
    password = seed_demo(admin_email)
    if password is None:
        click.echo("The database has users already; no demo data added.")
        return
    db.session.commit()
    click.echo(f"Demo admin: {admin_email}")
    click.echo(f"Password (shown once, change it after signing in): {password}")


@ops_cli.command("backup-sqlite")
@click.option("--keep", default=5, show_default=True, help="How many backups to keep.")
def backup_sqlite(keep: int) -> None:
    """Copy the SQLite database consistently (online backup API; safe while running) into instance/backups/."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException("backup-sqlite is for SQLite; use pg_dump -Fc for PostgreSQL.")
    source = Path(db.engine.url.database or "")
    if not source.exists():
        click.echo("No database file yet; nothing to back up.")
        return
    target = write_backup(source, Path(current_app.instance_path) / "backups", keep=keep)
    click.echo(f"Backed up the database to {target}")
