"""Database set-up: SQLite pragmas and locking, and the check that the schema is up to date."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, has_request_context, request
from sqlalchemy import Engine, event

_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys; writers take the write lock at BEGIN so they wait instead of failing.

    Read-only GET requests begin a deferred transaction and never block each other (WAL readers).
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        reading = has_request_context() and request.method not in _WRITE_METHODS
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def schema_revisions(app: Flask, engine: Engine) -> tuple[str | None, str | None]:
    """(the database's Alembic revision, the code's head revision)."""
    script = ScriptDirectory(app.extensions["migrate"].directory)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, script.get_current_head()
