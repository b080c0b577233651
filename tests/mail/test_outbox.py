"""The outbox: idempotent delivery, retries with back-off, permanent failures, and the admin page."""

from datetime import timedelta

import time_machine
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.mail.jobs import send_outgoing_email, sweep_outbox
from helpdesk.mail.models import EmailStatus, OutgoingEmail
from tests import factories
from tests.conftest import free_port, run_jobs


def only_email() -> OutgoingEmail:
    db.session.commit()
    return db.session.scalars(select(OutgoingEmail)).one()


def test_running_the_delivery_job_twice_sends_once(app, inbox):
    factories.ticket()
    email_id = only_email().id
    send_outgoing_email(email_id)
    send_outgoing_email(email_id)
    run_jobs(app)  # and the job that was enqueued after commit
    assert len(inbox.messages) == 1
    email = only_email()
    assert email.status is EmailStatus.SENT and email.attempts == 1


def test_smtp_down_is_retried_with_back_off_until_it_works(make_app, app, inbox):
    down = make_app(MAIL_URL=f"smtp://127.0.0.1:{free_port()}")
    with down.app_context():
        factories.ticket()
        run_jobs(down)
    email = only_email()
    assert email.status is EmailStatus.QUEUED and email.attempts == 1
    assert "Connection refused" in email.last_error or "Errno" in email.last_error
    first_retry_at = email.next_attempt_at
    assert first_retry_at > utcnow() + timedelta(seconds=50)

    # still down at the first retry: the wait grows
    with down.app_context(), time_machine.travel(first_retry_at + timedelta(seconds=1), tick=False):
        sweep_outbox()
        run_jobs(down)
    email = only_email()
    assert email.attempts == 2 and email.next_attempt_at - first_retry_at > timedelta(minutes=4)

    with time_machine.travel(email.next_attempt_at + timedelta(seconds=1), tick=False):  # SMTP is back
        sweep_outbox()
        run_jobs(app)
    email = only_email()
    assert email.status is EmailStatus.SENT and email.attempts == 3 and email.last_error is None
    assert len(inbox.messages) == 1


def test_permanent_refusal_marks_the_email_failed(app, inbox):
    factories.ticket(email="bounce@example.com")
    run_jobs(app)
    email = only_email()
    assert email.status is EmailStatus.FAILED
    assert "550" in email.last_error
    assert inbox.messages == []


def test_abandoned_job_is_picked_up_again_by_the_sweeper(app, inbox):
    factories.ticket()
    email = only_email()
    email.status = EmailStatus.SENDING  # a worker claimed it, then died mid-job
    db.session.commit()
    from rq import Queue

    from helpdesk.core.queue import get_redis

    Queue("default", connection=get_redis()).empty()
    sweep_outbox()
    assert run_jobs(app) == 0
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        sweep_outbox()
        run_jobs(app)
    assert only_email().status is EmailStatus.SENT
    assert len(inbox.messages) == 1


def test_without_a_mail_server_mail_is_kept_and_shown_to_admins(make_app, app):
    demo = make_app(MAIL_URL="")
    with demo.app_context():
        factories.ticket()
    email = only_email()
    assert email.status is EmailStatus.HELD
    client = demo.test_client()
    factories.login(client, factories.admin())
    listing = client.get("/admin/outgoing-mail/")
    assert "No mail server is configured" in listing.text
    assert "We received your request [#1001]" in listing.text
    detail = client.get(f"/admin/outgoing-mail/{email.id}")
    assert '<a href="http://helpdesk.test/my/' in detail.text
    assert "Kept (not sent)" in detail.text


def test_outgoing_mail_page_is_for_admins_only(client):
    factories.login(client, factories.agent())
    assert client.get("/admin/outgoing-mail/").status_code == 403
    assert client.get("/admin/outgoing-mail/1").status_code == 403


def test_customer_email_is_written_in_the_customers_language(app, inbox):
    factories.ticket("Impresora en llamas", locale="es")
    run_jobs(app)
    [mail] = inbox.messages
    assert mail["Subject"] == "Hemos recibido su solicitud [#1001]: Impresora en llamas"
    assert "Siga su solicitud" in mail.get_body(("plain",)).get_content()
