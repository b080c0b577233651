"""`flask seed demo` (demo data on an empty database) and `flask ops …` (backups): parse, call, commit, echo."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.extensions import db
from .backup import ATTACHMENTS, create_backup, restore_archive, verify_archive
from .demo import seed_demo

seed_cli = AppGroup("seed", help="Demo data.")
ops_cli = AppGroup("ops", help="Operations: backup, verify, restore.")


@seed_cli.command("demo")
@click.option("--admin-email", default="admin@example.com", show_default=True)
def demo(admin_email: str) -> None:
    """Create the demo admin (password printed once) and demo tickets, if the database has no users yet."""
    password = seed_demo(admin_email)
    if password is None:
        click.echo("The database has users already; no demo data added.")
        return
    db.session.commit()
    base = current_app.config["BASE_URL"]
    click.echo(f"Demo admin: {admin_email}")
    click.echo(f"Password (shown once): {password}")
    click.echo(f"Sign in at {base}/login, then change this password at {base}/account/security")
    click.echo(f"and set your company name, logo and mail server at {base}/admin/settings")
    click.echo("The demo customers use reserved example domains: no email is ever sent to them.")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.1f} kB"


@ops_cli.command("backup")
@click.option("--keep", type=int, default=None, help="How many archives to keep (default BACKUP_KEEP).")
def backup_command(keep: int | None) -> None:
    """Write one archive (database snapshot, attachments, manifest) into BACKUP_DIR; safe while running."""
    result = create_backup(keep)
    tables = result.manifest["counts"]
    click.echo(
        f"Backed up to {result.path} ({_size(result.size)}; {tables.get('ticket', 0)} tickets, "
        f"{sum(1 for name in result.manifest['files'] if name.startswith(ATTACHMENTS))} attachments)."
    )


@ops_cli.command("verify")
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False))
def verify_command(archive: Path) -> None:
    """Check an archive (every checksum, its structure) without restoring it."""
    manifest = verify_archive(archive)
    click.echo(
        f"{archive.name} is sound: {len(manifest['files'])} files checked, taken {manifest.get('created_at')} "
        f"at revision {manifest.get('alembic_revision')}, {manifest['counts'].get('ticket', 0)} tickets."
    )


@ops_cli.command("restore")
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(archive: Path, force: bool) -> None:
    """Rebuild this (empty) instance from an archive, then run the migrations. Stop the web, worker and cron
    services first."""
    manifest = restore_archive(archive, force=force)
    click.echo(f"Restored {archive.name} (taken {manifest.get('created_at')}); migrations applied.")
