"""The agents' monthly pulse: anonymous answers, one per agent and round, results only from 3 answers."""

import contextlib
import threading
from datetime import timedelta

import time_machine
from sqlalchemy import inspect, select

from helpdesk.accounts.models import Notification, User
from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.surveys import queries
from helpdesk.surveys.jobs import open_pulse_round
from helpdesk.surveys.models import PulseAnswer, PulseInvitation, PulseRound
from helpdesk.surveys.services import open_round, open_round_by_hand
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
    assert "You have answered this round." in client.get("/pulse/").text
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


def test_with_no_round_open_the_pulse_page_says_so_instead_of_thanking(client, app):
    factories.login(client, factories.agent())
    page = client.get("/pulse/").text
    assert "No pulse is open now." in page and "Thank you" not in page and "My workload is manageable" not in page
    assert "Open a pulse round now" not in page  # the button is for admins
    factories.login(client, factories.admin())
    assert 'action="/pulse/rounds"' in client.get("/pulse/").text


def test_an_admin_opens_a_round_by_hand_and_every_active_agent_is_asked(client, app):
    admin, agents = factories.admin(), [factories.agent() for _ in range(2)]
    admin_id = admin.id
    factories.login(client, agents[0])
    assert client.post("/pulse/rounds").status_code == 403  # agents cannot open one
    factories.login(client, admin)
    page = client.get("/pulse/results").text
    assert "No pulse is open now." in page and 'action="/pulse/rounds"' in page and "Open a pulse round now" in page
    assert client.get("/pulse/rounds").status_code == 405  # a GET never opens one
    assert db.session.scalars(select(PulseRound)).all() == []
    response = client.post("/pulse/rounds", follow_redirects=True)
    assert response.request.path == "/pulse/results"
    assert "The pulse round is open: every active agent has been asked in the app." in response.text
    assert "0 of 3 people have answered." in response.text and "Open a pulse round now" not in response.text
    assert "A pulse round is already open." in client.post("/pulse/rounds", follow_redirects=True).text
    assert len(db.session.scalars(select(PulseRound)).all()) == 1
    assert {n.user_id for n in db.session.scalars(select(Notification))} == {admin.id, agents[0].id, agents[1].id}
    factories.login(client, agents[1])
    assert "My workload is manageable" in client.get("/pulse/").text
    assert client.post("/pulse/", data=ANSWER).status_code == 303
    assert "You have answered this round." in client.get("/pulse/").text
    open_pulse_round()  # the monthly job does not open a second round on top of it
    assert len(db.session.scalars(select(PulseRound)).all()) == 1
    factories.login(client, db.session.get(User, admin_id))
    assert "1 of 3 people have answered." in client.get("/pulse/results").text


def test_an_agent_who_joined_after_the_round_opened_is_told_they_will_be_asked_next_time(client, app):
    open_round_now()
    newcomer = factories.agent()
    factories.login(client, newcomer)
    assert "You will be asked in the next one." in client.get("/pulse/").text
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        factories.login(client, newcomer)  # two weeks away: the idle session has ended; a fresh sign-in
        assert "No pulse is open now." in client.get("/pulse/").text


def rounds() -> list[PulseRound]:
    db.session.commit()  # see what the other sessions committed
    return db.session.scalars(select(PulseRound)).all()


def test_an_opener_that_read_before_another_committed_opens_no_second_round(client, app, monkeypatch):
    """Two admins (or the monthly job and an admin) both found no round; the later one must open nothing, kindly."""
    admin = factories.admin()
    factories.agent()
    open_round_now()
    monkeypatch.setattr(queries, "latest_round", lambda: None)  # what the later opener read before the first committed
    assert open_round_by_hand() is None
    assert open_round() is None
    factories.login(client, admin)
    response = client.post("/pulse/rounds", follow_redirects=True)
    assert response.status_code == 200 and "A pulse round is already open." in response.text
    open_pulse_round()  # the monthly job: no failure, nothing opened
    assert len(rounds()) == 1
    assert len(db.session.scalars(select(PulseInvitation)).all()) == 2
    assert len(db.session.scalars(select(Notification)).all()) == 2


def open_at_the_same_moment(monkeypatch, *openers) -> None:
    """Run the openers in threads that all read the newest round before any of them opens one (on PostgreSQL;
    SQLite lets one writer in at a time, so there the later ones read the round the first opened)."""
    all_read = threading.Barrier(len(openers))
    real_latest_round = queries.latest_round

    def read_together() -> PulseRound | None:
        newest = real_latest_round()
        with contextlib.suppress(threading.BrokenBarrierError):
            all_read.wait(timeout=2)
        return newest

    monkeypatch.setattr(queries, "latest_round", read_together)
    db.session.commit()  # the test's own session holds no lock while they run
    threads = [threading.Thread(target=opener) for opener in openers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def test_two_admins_opening_a_round_at_the_same_moment_open_one(make_app, app, monkeypatch):
    served = make_app()
    admin, agent = factories.admin(), factories.agent()
    staff_ids = sorted([admin.id, agent.id])
    clients = [served.test_client(), served.test_client()]
    for client in clients:
        factories.login(client, admin)
    outcomes: list[tuple[str, bool, bool]] = []

    def press_the_button(client) -> None:
        page = client.post("/pulse/rounds", follow_redirects=True)
        outcomes.append((page.request.path, "The pulse round is open" in page.text, "A pulse round is already open." in page.text))

    open_at_the_same_moment(monkeypatch, *(lambda c=c: press_the_button(c) for c in clients))
    assert sorted(outcomes) == [("/pulse/results", False, True), ("/pulse/results", True, False)]  # no error page
    assert len(rounds()) == 1
    assert sorted(i.user_id for i in db.session.scalars(select(PulseInvitation))) == staff_ids


def test_the_monthly_job_racing_an_admin_opens_one_round(make_app, app, monkeypatch):
    served, worker = make_app(), make_app(SQLITE_IMMEDIATE_OUTSIDE_REQUESTS=True)  # a worker, as in production
    client = served.test_client()
    factories.login(client, factories.admin())
    outcomes: list[str] = []

    def press_the_button() -> None:
        outcomes.append(client.post("/pulse/rounds", follow_redirects=True).request.path)

    def run_the_monthly_job() -> None:
        with worker.app_context():
            open_pulse_round()
            outcomes.append("job done")

    open_at_the_same_moment(monkeypatch, press_the_button, run_the_monthly_job)
    assert sorted(outcomes) == ["/pulse/results", "job done"]  # the job did not fail, the admin got no error page
    assert len(rounds()) == 1
    assert len(db.session.scalars(select(Notification)).all()) == 1
