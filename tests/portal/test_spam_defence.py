"""Spam and abuse defence on the public form: honeypot, minimum fill time, rate limits that spare agents."""

import re

import time_machine
from sqlalchemy import func, select

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.tickets.models import Ticket
from tests import factories

VALID = {"name": "Carla", "email": "carla@example.com", "subject": "Help", "message": "Please help."}


def tickets() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Ticket))


def started_token(client) -> str:
    return re.search(r'id="started" name="started" type="hidden" value="([^"]+)"', client.get("/requests/new").text).group(1)


def test_honeypot_filled_in_looks_like_success_but_creates_nothing(client):
    response = client.post("/requests/new", data={**VALID, "website": "http://spam.example"})
    assert response.status_code == 200 and "Thank you, we received your request" in response.text
    assert "Your reference is" not in response.text
    assert tickets() == 0


def test_honeypot_is_hidden_from_people(client):
    page = client.get("/requests/new").text
    assert re.search(r'<div class="hp" aria-hidden="true">', page)
    assert 'name="website" tabindex="-1"' in page


def test_a_form_sent_faster_than_a_person_can_type_is_refused_kindly(make_app, app):
    client = make_app(REQUEST_MIN_SECONDS=3).test_client()
    token = started_token(client)
    response = client.post("/requests/new", data={**VALID, "started": token})
    assert response.status_code == 422 and "That was quick!" in response.text
    assert 'value="Please help."' in response.text or "Please help." in response.text  # nothing typed is lost
    assert client.post("/requests/new", data=VALID).status_code == 422  # no token at all: a robot
    assert client.post("/requests/new", data={**VALID, "started": "forged"}).status_code == 422
    assert tickets() == 0
    with time_machine.travel(utcnow().timestamp() + 5):
        assert client.post("/requests/new", data={**VALID, "started": token}).status_code == 303
    assert tickets() == 1


def test_posts_from_one_address_are_limited_but_agents_are_not(make_app, app):
    client = make_app(REQUEST_RATE_LIMIT="3 per hour", REQUEST_RATE_LIMIT_PER_EMAIL="100 per hour").test_client()
    codes = [client.post("/requests/new", data={**VALID, "email": f"c{i}@example.com"}).status_code for i in range(4)]
    assert codes == [303, 303, 303, 429]
    refused = client.post("/requests/new", data=VALID)
    assert refused.status_code == 429 and "Please wait 1 hour and send it again." in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert 'value="carla@example.com"' in refused.text and "Please help." in refused.text  # nothing typed is lost
    factories.login(client, factories.agent())
    assert client.get("/tickets/").status_code == 200
    assert client.get(f"/tickets/{1001}").status_code == 200
    assert tickets() == 3


def test_posts_for_one_email_are_limited_from_any_address(make_app, app):
    client = make_app(REQUEST_RATE_LIMIT="100 per hour", REQUEST_RATE_LIMIT_PER_EMAIL="2 per hour").test_client()
    other_ip = {"REMOTE_ADDR": "127.0.0.2"}
    assert client.post("/requests/new", data=VALID).status_code == 303
    assert client.post("/requests/new", data={**VALID, "email": "CARLA@example.com"}, environ_base=other_ip).status_code == 303
    assert client.post("/requests/new", data=VALID, environ_base={"REMOTE_ADDR": "127.0.0.3"}).status_code == 429
    assert client.post("/requests/new", data={**VALID, "email": "dora@example.com"}).status_code == 303
    assert tickets() == 3
