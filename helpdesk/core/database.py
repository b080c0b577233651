"""Database set-up: SQLite pragmas and locking, and the check that the schema is up to date."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, has_request_context, request
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def configure_sqlite(engine: Engine, *, immediate_outside_requests: bool = True, busy_timeout: float = 10) -> None:
    """WAL, a busy timeout, foreign keys; writers take the write lock at BEGIN so they wait instead of failing.

    Read-only GET requests begin a deferred transaction and never block each other (WAL readers). Jobs and
    CLI commands (no request) begin IMMEDIATE unless `immediate_outside_requests` is off (the test suite,
    whose own session must not hold the write lock while the app under test works).
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")  # a number we computed, not input
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get("readonly"):
            immediate = False
        elif has_request_context():
            immediate = request.method in _WRITE_METHODS
        else:
            immediate = immediate_outside_requests
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def configure_postgresql(engine: Engine, *, lock_timeout: float, statement_timeout: float) -> None:
    """A web request's transaction gives up waiting for a row lock after `lock_timeout` seconds and stops a
    runaway statement after `statement_timeout` (both raise, and become a 503 with Retry-After).

    Set per transaction (SET LOCAL, one round trip) and only inside requests: migrations, jobs and CLI
    commands may legitimately run longer. 0 turns a limit off.
    """

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        if has_request_context():
            connection.exec_driver_sql(
                "SELECT set_config('lock_timeout', %(lock)s, true), set_config('statement_timeout', %(statement)s, true)",
                {"lock": str(int(lock_timeout * 1000)), "statement": str(int(statement_timeout * 1000))},
            )


def schema_revisions(app: Flask, engine: Engine) -> tuple[str | None, str | None]:
    """(the database's Alembic revision, the code's head revision)."""
    script = ScriptDirectory(app.extensions["migrate"].directory)
    with engine.connect() as connection:
        connection = connection.execution_options(readonly=True)
        current = MigrationContext.configure(connection).get_current_revision()
    return current, script.get_current_head()
