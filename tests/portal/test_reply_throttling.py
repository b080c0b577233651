"""Customers' replies are throttled per link and per address, and their files per ticket; agents are not."""

import io
from datetime import timedelta
from pathlib import Path

import time_machine
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import EnvironBuilder

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.core.storage import store_uploads
from helpdesk.tickets import services
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Ticket, TicketMessage
from tests import factories

KB = 1024


def post(client, url: str, data: dict, files=(), ip: str = "127.0.0.1"):
    """POST a multipart form; the request body is closed afterwards (the test client would leave it open)."""
    uploads = [(io.BytesIO(content), name) for name, content in files]
    client.environ_base["REMOTE_ADDR"] = ip
    builder = EnvironBuilder(path=url, method="POST", data={**data, "attachments": uploads})
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


def customer_messages() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(TicketMessage).where(TicketMessage.author_customer_id.is_not(None)))


def files_on_disk(app) -> list[Path]:
    return [p for p in Path(app.config["ATTACHMENTS_DIR"]).rglob("*") if p.is_file()]


def test_a_flood_of_replies_through_one_link_is_stopped_with_a_friendly_429(make_app, app):
    client = make_app(REPLY_RATE_LIMIT_PER_LINK="5 per minute", REPLY_RATE_LIMIT="100 per minute").test_client()
    ticket = factories.ticket()
    token = ticket_token(ticket)
    codes = [post(client, f"/my/{token}", {"body": f"Reply {n}"}, ip=f"10.0.0.{n}").status_code for n in range(5)]
    assert codes == [303] * 5
    refused = post(client, f"/my/{token}", {"body": "Hello again, the printer still smokes."}, ip="10.0.1.1")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Please wait 1 minute and send it again." in refused.text
    assert "Hello again, the printer still smokes." in refused.text  # what was typed comes back
    assert "Printer on fire" in refused.text  # on the ticket's own page, not a bare error
    assert customer_messages() == 1 + 5


def test_replies_are_counted_per_ticket_whichever_of_its_links_they_use(make_app, app):
    client = make_app(REPLY_RATE_LIMIT_PER_LINK="2 per minute", REPLY_RATE_LIMIT="100 per minute").test_client()
    ticket = factories.ticket()
    tokens = [ticket_token(ticket)]
    ticket_id = ticket.id
    with time_machine.travel(utcnow() - timedelta(hours=1), tick=False):  # signed earlier: another string
        tokens.append(ticket_token(db.session.get(Ticket, ticket_id)))
    assert tokens[0] != tokens[1]
    codes = [post(client, f"/my/{tokens[n % 2]}", {"body": f"Reply {n}"}).status_code for n in range(3)]
    assert codes == [303, 303, 429]


def test_one_address_replying_on_many_tickets_is_limited(make_app, app):
    client = make_app(REPLY_RATE_LIMIT="3 per minute", REPLY_RATE_LIMIT_PER_LINK="100 per minute").test_client()
    tokens = [ticket_token(factories.ticket(f"Problem {n}", email=f"c{n}@example.com")) for n in range(4)]
    codes = [post(client, f"/my/{token}", {"body": "Me again"}).status_code for token in tokens]
    assert codes == [303, 303, 303, 429]
    assert post(client, f"/my/{tokens[3]}", {"body": "From elsewhere"}, ip="10.9.9.9").status_code == 303


def test_agents_keep_replying_while_a_customer_is_throttled(make_app, app):
    client = make_app(REPLY_RATE_LIMIT_PER_LINK="1 per minute").test_client()
    ticket = factories.ticket()
    agent = factories.agent()
    token = ticket_token(ticket)
    assert post(client, f"/my/{token}", {"body": "One"}).status_code == 303
    assert post(client, f"/my/{token}", {"body": "Two"}).status_code == 429
    factories.login(client, agent)
    for n in range(5):
        response = client.post(f"/tickets/{ticket.number}/reply", data={"body": f"Agent answer {n}", "version": "1"})
        assert response.status_code in (200, 303), response.text
    db.session.commit()
    bodies = [m.body for m in db.session.scalars(select(TicketMessage).where(TicketMessage.author_user_id == agent.id))]
    assert bodies == [f"Agent answer {n}" for n in range(5)]


def test_files_past_the_ticket_total_are_refused_and_nothing_is_kept(make_app, app):
    client = make_app(ATTACHMENT_MAX_TICKET_MB=1, ATTACHMENT_MAX_FILE_MB=1, REPLY_RATE_LIMIT_PER_LINK="100 per minute").test_client()
    ticket = factories.ticket()
    token = ticket_token(ticket)
    assert post(client, f"/my/{token}", {"body": "Photo one"}, [("one.jpg", b"x" * 600 * KB)]).status_code == 303
    refused = post(client, f"/my/{token}", {"body": "Photo two"}, [("two.jpg", b"y" * 600 * KB)])
    assert refused.status_code == 422
    assert "Files on one request may add up to 1 MB, and this request already has 0.6 MB." in refused.text
    assert "Photo two" in refused.text
    assert customer_messages() == 2 and len(files_on_disk(app)) == 1
    assert post(client, f"/my/{token}", {"body": "A small one"}, [("note.txt", b"z" * 100 * KB)]).status_code == 303
    assert customer_messages() == 3 and len(files_on_disk(app)) == 2


def test_agent_files_do_not_count_against_the_customers_total(make_app, app):
    client = make_app(ATTACHMENT_MAX_TICKET_MB=1, ATTACHMENT_MAX_FILE_MB=1).test_client()
    ticket = factories.ticket()
    stored = store_uploads([FileStorage(io.BytesIO(b"a" * 900 * KB), filename="manual.pdf")])
    services.add_reply(ticket, author=factories.agent(), body="The manual.", attachments=stored)
    db.session.commit()
    response = post(client, f"/my/{ticket_token(ticket)}", {"body": "My photo"}, [("photo.jpg", b"p" * 600 * KB)])
    assert response.status_code == 303
