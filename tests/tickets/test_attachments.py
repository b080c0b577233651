"""Attachments: stored safely, limited, downloaded only by who may see them, never rendered unless a real image."""

import hashlib
import io
import re
from pathlib import Path

from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from helpdesk.core.extensions import db
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Attachment, Ticket, TicketStatus
from tests import factories
from tests.conftest import run_jobs

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
FORM = {"name": "Carla", "email": "carla@example.com", "subject": "Broken", "message": "See attached."}


def upload(*files):
    return [(io.BytesIO(content), name) for name, content in files]


def files_on_disk(app) -> list[Path]:
    return [p for p in Path(app.config["ATTACHMENTS_DIR"]).rglob("*") if p.is_file()]


def submit(client, *files, **extra):
    # Build the request ourselves so that its spooled body file is closed (the test client leaves it open).
    builder = EnvironBuilder(path="/requests/new", method="POST", data={**FORM, **extra, "attachments": upload(*files)})
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


def fetch(client, url):
    """GET and close (a file response holds its file open until closed, as a server would)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def only_ticket() -> Ticket:
    db.session.commit()
    return db.session.scalars(select(Ticket)).one()


def test_request_with_files_stores_them_and_the_agent_downloads_them(client, app):
    content = b"invoice 58213\n" * 100
    assert submit(client, ("invoice.pdf", content), ("photo.png", PNG)).status_code == 303
    ticket = only_ticket()
    pdf, png = ticket.messages[0].attachments
    assert (pdf.filename, pdf.size, pdf.sha256) == ("invoice.pdf", len(content), hashlib.sha256(content).hexdigest())
    assert pdf.content_type == "application/pdf" and pdf.image_type is None and png.image_type == "png"
    assert len(files_on_disk(app)) == 2
    factories.login(client, factories.agent())
    page = client.get(f"/tickets/{ticket.number}").text
    assert "invoice.pdf" in page and f"/tickets/{ticket.number}/attachments/{png.id}/preview" in page
    download = fetch(client, f"/tickets/{ticket.number}/attachments/{pdf.id}")
    assert download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment;") and "invoice.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"] == "application/octet-stream"
    preview = fetch(client, f"/tickets/{ticket.number}/attachments/{png.id}/preview")
    assert preview.headers["Content-Type"] == "image/png" and preview.headers["Content-Disposition"] == "inline"


def test_oversized_file_is_refused_and_nothing_is_half_stored(make_app, app):
    client = make_app(ATTACHMENT_MAX_FILE_MB=1).test_client()
    response = submit(client, ("small.txt", b"ok"), ("big.dat", b"x" * (1024 * 1024 + 1)))
    assert response.status_code == 422
    assert "“big.dat” is larger than 1 MB." in response.text
    assert 'value="Broken"' in response.text  # what was typed comes back
    assert "please attach them again" in response.text
    assert db.session.scalars(select(Ticket)).all() == [] and db.session.scalars(select(Attachment)).all() == []
    assert files_on_disk(app) == []


def test_too_many_files_or_too_much_together_is_refused(make_app, app):
    client = make_app(ATTACHMENT_MAX_FILES=2, ATTACHMENT_MAX_MESSAGE_MB=1).test_client()
    assert "At most 2 files per message." in submit(client, ("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")).text
    response = submit(client, ("a.bin", b"a" * 700_000), ("b.bin", b"b" * 700_000))
    assert response.status_code == 422 and "The files together are larger than 1 MB." in response.text
    assert files_on_disk(app) == []


def test_a_path_in_the_file_name_is_stripped(client, app):
    submit(client, ("../../etc/passwd", b"root:x:0:0"))
    [attachment] = only_ticket().messages[0].attachments
    assert attachment.filename == "passwd"
    [stored] = files_on_disk(app)
    assert Path(app.config["ATTACHMENTS_DIR"]) in stored.parents and stored.name == attachment.storage_key


def test_html_and_svg_files_are_downloaded_never_rendered(client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    submit(client, ("page.html", b"<script>alert(1)</script>"), ("logo.svg", svg), ("fake.png", b"<html><script>x</script>"))
    ticket = only_ticket()
    factories.login(client, factories.agent())
    for attachment in ticket.messages[0].attachments:
        assert attachment.image_type is None
        download = fetch(client, f"/tickets/{ticket.number}/attachments/{attachment.id}")
        assert download.headers["Content-Type"] == "application/octet-stream"
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert fetch(client, f"/tickets/{ticket.number}/attachments/{attachment.id}/preview").status_code == 404


def test_programs_are_refused_by_name_and_by_content(client, app):
    assert "kind of file we do not accept" in submit(client, ("setup.exe", b"MZ\x90\x00")).text
    assert "kind of file we do not accept" in submit(client, ("notes.txt", b"MZ\x90\x00 pretending")).text
    assert "kind of file we do not accept" in submit(client, ("run.tar.sh", b"echo hi")).text
    assert files_on_disk(app) == [] and db.session.scalars(select(Ticket)).all() == []


def test_customer_downloads_with_the_link_but_never_another_tickets_file(client):
    submit(client, ("mine.txt", b"mine"))
    first = only_ticket()
    client.post("/requests/new", data={**FORM, "email": "other@example.com", "subject": "Other"})
    db.session.commit()
    second = db.session.scalars(select(Ticket).where(Ticket.id != first.id)).one()
    file_id = first.messages[0].attachments[0].id
    assert fetch(client, f"/my/{ticket_token(first)}/attachments/{file_id}").data == b"mine"
    assert fetch(client, f"/my/{ticket_token(second)}/attachments/{file_id}").status_code == 404
    assert fetch(client, f"/my/tampered/attachments/{file_id}").status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client):
    submit(client, ("mine.txt", b"mine"))
    ticket = only_ticket()
    response = fetch(client, f"/tickets/{ticket.number}/attachments/{ticket.messages[0].attachments[0].id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_internal_note_files_never_reach_the_customer(client):
    factories.ticket()
    ticket = only_ticket()
    factories.login(client, factories.agent())
    data = {"body": "Internal analysis", "is_internal": "y", "attachments": upload(("analysis.txt", b"secret"))}
    assert client.post(f"/tickets/{ticket.number}/reply", data=data, content_type="multipart/form-data").status_code == 303
    note_file = only_ticket().messages[-1].attachments[0]
    client.post("/logout")
    token = ticket_token(ticket)
    assert "analysis.txt" not in client.get(f"/my/{token}").text
    assert fetch(client, f"/my/{token}/attachments/{note_file.id}").status_code == 404


def test_agent_reply_files_are_emailed_to_the_customer(client, app, inbox):
    factories.ticket(notify=False)
    ticket = only_ticket()
    factories.login(client, factories.agent())
    data = {"body": "Here is the manual.", "attachments": upload(("manual.pdf", b"%PDF-1.4 manual"))}
    client.post(f"/tickets/{ticket.number}/reply", data=data, content_type="multipart/form-data")
    run_jobs(app)
    [mail] = inbox.messages
    [part] = list(mail.iter_attachments())
    assert part.get_filename() == "manual.pdf" and part.get_content() == b"%PDF-1.4 manual"


def test_customer_reply_with_a_file_and_a_failed_reply_leaves_no_file(client, app):
    factories.ticket(notify=False)
    ticket = only_ticket()
    token = ticket_token(ticket)
    data = {"body": "Photo of the error", "attachments": upload(("error.png", PNG))}
    assert client.post(f"/my/{token}", data=data, content_type="multipart/form-data").status_code == 303
    assert "error.png" in client.get(f"/my/{token}").text
    assert len(files_on_disk(app)) == 1
    factories.set_status(only_ticket(), TicketStatus.CLOSED)
    data = {"body": "One more", "attachments": upload(("late.png", PNG))}
    response = client.post(f"/my/{token}", data=data, content_type="multipart/form-data")
    assert response.status_code == 409
    assert len(files_on_disk(app)) == 1  # the refused reply's file was removed with its rows
    assert re.search(r"late\.png", response.text) is None
