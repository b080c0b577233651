"""When the database is busy (a lock held past its timeout) or the disk is full, the user gets a clear answer
that says when to retry and keeps what they typed; nothing is half-written. Runs on SQLite and PostgreSQL."""

import errno
import io
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text

from helpdesk.accounts.models import Notification
from helpdesk.core.extensions import db
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Ticket, TicketMessage
from tests import factories

REQUEST = {"name": "Ana", "email": "ana@example.com", "subject": "Printer jam", "message": "Page one\r\nPage two, " + "x" * 80}


@pytest.fixture
def busy_app(make_app, app):
    """The app with short lock waits, so a held lock turns into a 503 in a fraction of a second."""
    return make_app(SQLITE_BUSY_TIMEOUT=0.2, DATABASE_LOCK_TIMEOUT=0.3)


@contextmanager
def locked(ticket: Ticket | None = None) -> Iterator[None]:
    """Another process holds the lock a write needs: SQLite's write lock, or PostgreSQL's row locks on the ticket
    counter (every new ticket) and on `ticket` (every reply to it)."""
    db.session.commit()  # the test's own session must not hold anything
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        other = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
        other.execute("SELECT value FROM ticket_counter FOR UPDATE")
        if ticket is not None:
            other.execute("SELECT id FROM ticket WHERE id = %s FOR UPDATE", (ticket.id,))
    try:
        yield
    finally:
        other.rollback()
        other.close()


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_request_sent_while_the_database_is_locked_gets_a_503_that_keeps_the_text(busy_app):
    client = busy_app.test_client()
    with locked():
        response = client.post("/requests/new", data=REQUEST)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "We are very busy right now" in response.text
    assert 'name="email" value="ana@example.com"' in response.text
    assert re.search(r'<textarea name="message"[^>]*readonly>Page one\r?\nPage two', response.text)
    assert 'action="/requests/new"' in response.text
    assert count(Ticket) == 0
    assert client.post("/requests/new", data=REQUEST).status_code == 303  # "Send again", once the lock is gone
    assert count(Ticket) == 1


def test_an_agent_reply_while_the_database_is_locked_gets_a_503_that_keeps_the_reply(busy_app):
    ticket = factories.ticket(notify=False)
    client = busy_app.test_client()
    factories.login(client, factories.agent())
    before = count(TicketMessage)
    ticket = db.session.get(Ticket, ticket.id)
    with locked(ticket):
        response = client.post(f"/tickets/{ticket.number}/reply", data={"body": "We have sent a new part.\nIt arrives Monday."})
        htmx = client.post(f"/tickets/{ticket.number}/reply", data={"body": "Second try"}, headers={"HX-Request": "true", "HX-Target": "x"})
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert "We have sent a new part.\nIt arrives Monday.</textarea>" in response.text
    assert htmx.status_code == 503  # htmx leaves the form as it was (responseHandling): the text stays in it
    assert "Nothing was saved." in htmx.text
    assert count(TicketMessage) == before


def test_web_requests_on_postgresql_have_a_lock_and_statement_timeout(make_app, app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's timeouts")
    other = make_app(DATABASE_LOCK_TIMEOUT=5, DATABASE_STATEMENT_TIMEOUT=30)
    with other.test_request_context("/"):
        assert db.session.scalar(text("SHOW lock_timeout")) == "5s"
        assert db.session.scalar(text("SHOW statement_timeout")) == "30s"
        db.session.rollback()
    with other.app_context():  # jobs and migrations: no limit
        assert db.session.scalar(text("SHOW statement_timeout")) == "0"
        db.session.rollback()


@pytest.fixture
def full_disk(monkeypatch):
    """The attachments disk is full: writing a file fails with ENOSPC (a real full disk is beyond a test's reach)."""

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("helpdesk.core.storage.os.fsync", no_space)


def files_on_disk(app) -> list[Path]:
    return [path for path in Path(app.config["ATTACHMENTS_DIR"]).rglob("*") if path.is_file()]


def storage_notices() -> list[Notification]:
    db.session.rollback()
    return db.session.scalars(select(Notification).where(Notification.kind == "storage_full")).all()


def test_a_request_with_files_on_a_full_disk_keeps_the_form_and_tells_the_admins_once(client, app, full_disk):
    factories.admin()
    factories.agent()  # not an admin: not told
    data = {**REQUEST, "attachments": (io.BytesIO(b"%PDF-1.4 invoice"), "invoice.pdf")}
    response = client.post("/requests/new", data=data)
    assert response.status_code == 507
    assert "We could not store your files right now." in response.text
    assert 'value="Printer jam"' in response.text and "Page one\r\nPage two" in response.text
    assert count(Ticket) == 0 and files_on_disk(app) == []
    again = client.post("/requests/new", data={**REQUEST, "attachments": (io.BytesIO(b"%PDF-1.4 invoice"), "invoice.pdf")})
    assert again.status_code == 507
    notices = storage_notices()
    assert len(notices) == 1 and "attachments disk is full" in notices[0].text


def test_a_customer_reply_with_files_on_a_full_disk_keeps_the_reply(client, app, full_disk):
    ticket = factories.ticket(notify=False)
    before = count(TicketMessage)
    token = ticket_token(db.session.get(Ticket, ticket.id))
    data = {"body": "Here is the photo of the error.", "attachments": (io.BytesIO(b"\x89PNG\r\n\x1a\nrest"), "error.png")}
    response = client.post(f"/my/{token}", data=data)
    assert response.status_code == 507
    assert "We could not store your files right now." in response.text
    assert "Here is the photo of the error.</textarea>" in response.text
    assert count(TicketMessage) == before and files_on_disk(app) == []


def test_the_admins_are_told_in_spanish_when_that_is_their_language(client, app, full_disk):
    admin = factories.admin()
    admin.locale = "es"
    db.session.commit()
    client.post("/requests/new", data={**REQUEST, "attachments": (io.BytesIO(b"data"), "notes.txt")})
    assert "disco" in storage_notices()[0].text
