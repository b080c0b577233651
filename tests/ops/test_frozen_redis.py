"""A frozen Redis (process stopped, socket open) costs a request well under a second and loses no mail; /healthz
reports a schema behind the code as down."""

import time

from rq import SimpleWorker
from sqlalchemy import select, text

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.core.queue import get_queue, get_redis
from helpdesk.mail.jobs import sweep_outbox
from helpdesk.mail.models import EmailStatus, OutgoingEmail

VALID = {"name": "Carla Customer", "email": "carla@example.com", "subject": "Printer on fire", "message": "It is really on fire."}


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_request_form_and_healthz_answer_quickly_while_redis_is_frozen_and_the_mail_goes_out_at_the_next_sweep(
    make_app, app, own_redis, inbox
):
    frozen = make_app(REDIS_URL=own_redis.url, RATELIMIT_STORAGE_URI=own_redis.url)
    client = frozen.test_client()
    assert client.get("/healthz").json["status"] == "ok"
    assert client.post("/requests/new", data={**VALID, "subject": "Warm-up"}).status_code == 303  # templates compiled
    with make_app(REDIS_URL=own_redis.url).app_context():
        SimpleWorker([get_queue()], connection=get_redis()).work(burst=True)
    inbox.clear()
    own_redis.freeze()
    try:
        response, seconds = timed(lambda: client.post("/requests/new", data=VALID))
        assert response.status_code == 303 and seconds < 1.5, seconds
        health, seconds = timed(lambda: client.get("/healthz"))
        assert seconds < 1.5, seconds
        assert health.status_code == 200 and health.json["status"] == "degraded"
        assert health.json["checks"]["redis"].startswith("error")
    finally:
        own_redis.thaw()

    email_id = db.session.scalars(select(OutgoingEmail.id).where(OutgoingEmail.status == EmailStatus.QUEUED)).one()
    with make_app(REDIS_URL=own_redis.url).app_context():  # the worker, another process
        sweep_outbox()  # the cron's next minute: the row Redis never took is due at once, not in ten minutes
        SimpleWorker([get_queue()], connection=get_redis()).work(burst=True)
    assert [m["Subject"] for m in inbox.messages] == ["We received your request [#1002]: Printer on fire"]
    db.session.commit()
    assert db.session.get(OutgoingEmail, email_id).status is EmailStatus.SENT


def test_sweep_that_cannot_reach_redis_leaves_the_mail_due_for_the_next_sweep(make_app, app, own_redis, client):
    client.post("/requests/new", data=VALID)  # enqueued on the shared test Redis; this sweep uses ours
    db.session.execute(text("UPDATE outgoing_email SET next_attempt_at = created_at"))  # its lease ran out
    db.session.commit()
    own_redis.stop()
    with make_app(REDIS_URL=own_redis.url).app_context():
        sweep_outbox()
        email = db.session.scalars(select(OutgoingEmail)).one()
        assert email.status is EmailStatus.QUEUED
        assert email.next_attempt_at <= utcnow()  # due now, not in ten minutes


def test_healthz_reports_a_schema_behind_the_code_as_down_with_the_revisions(make_app, app):
    old = make_app()
    with old.app_context():
        revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        db.session.execute(text("UPDATE alembic_version SET version_num = 'old'"))
        db.session.commit()
        try:
            response = old.test_client().get("/healthz")
        finally:
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
            db.session.commit()
    assert response.status_code == 503
    assert response.json["status"] == "down"
    assert "at old" in response.json["checks"]["database"] and revision in response.json["checks"]["database"]
    assert "flask db upgrade" in response.json["checks"]["database"]
