"""The agents' monthly pulse: anonymous answers, one per agent and round, results only from 3 answers."""

from datetime import timedelta

import time_machine
from sqlalchemy import inspect, select

from helpdesk.accounts.models import Notification
from helpdesk.core.models import utcnow
from helpdesk.extensions import db
from helpdesk.surveys.models import PulseAnswer, PulseInvitation, PulseRound
from helpdesk.surveys.pulse import open_pulse_round, open_round
from tests import factories

ANSWER = {"workload": "2", "tools": "4", "support": "5", "comment": "Too many phone calls on Mondays"}


def open_round_now() -> None:
    open_round()
    db.session.commit()


def test_the_monthly_job_opens_one_round_and_invites_every_active_agent(app):
    agents = [factories.agent() for _ in range(3)]
    agents[2].active = False
    db.session.commit()
    active_ids = {agents[0].id, agents[1].id}
    open_pulse_round()
    open_pulse_round()  # a second run the same month does nothing
    assert len(db.session.scalars(select(PulseRound)).all()) == 1
    assert {i.user_id for i in db.session.scalars(select(PulseInvitation))} == active_ids
    assert {n.kind for n in db.session.scalars(select(Notification))} == {"pulse"}
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        open_pulse_round()
    assert len(db.session.scalars(select(PulseRound)).all()) == 2


def test_answers_are_never_linked_to_an_agent(client, app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("pulse_answer")}
    assert columns == {"key", "round_id", "workload", "tools", "support", "comment", "answered_on"}  # no user, no time
    agent = factories.agent()
    open_round_now()
    factories.login(client, agent)
    assert "My workload is manageable" in client.get("/pulse/").text
    assert client.post("/pulse/", data=ANSWER).status_code == 303
    assert client.post("/pulse/", data=ANSWER).status_code == 404  # answered already
    assert "no open pulse for you" in client.get("/pulse/").text
    [answer] = db.session.scalars(select(PulseAnswer)).all()
    assert (answer.workload, answer.tools, answer.support) == (2, 4, 5)
    assert len(answer.key) > 20 and not answer.key.isdigit()  # a random key, not an order of arrival


def test_results_are_hidden_below_three_answers(client, app):
    admin = factories.admin()
    agents = [factories.agent() for _ in range(3)]
    open_round_now()
    for n, agent in enumerate(agents[:2]):
        factories.login(client, agent)
        client.post("/pulse/", data={**ANSWER, "workload": str(n + 1)})
    factories.login(client, admin)
    page = client.get("/pulse/results").text
    assert "Shown once at least 3 people have answered." in page and "Too many phone calls" not in page
    factories.login(client, agents[2])
    client.post("/pulse/", data={**ANSWER, "workload": "3"})
    factories.login(client, admin)
    page = client.get("/pulse/results").text
    assert '<td class="num">2.0</td>' in page  # workload average of 1, 2, 3
    assert "Too many phone calls on Mondays" in page


def test_bad_pulse_answers_are_refused_and_results_are_for_admins(client, app):
    agent = factories.agent()
    open_round_now()
    factories.login(client, agent)
    response = client.post("/pulse/", data={"workload": "7", "tools": "", "support": "3"})
    assert response.status_code == 422 and "Please choose from 1 to 5." in response.text
    assert db.session.scalars(select(PulseAnswer)).all() == []
    assert client.get("/pulse/results").status_code == 403
