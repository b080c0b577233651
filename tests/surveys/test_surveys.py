"""Satisfaction surveys: scheduled after resolution, once per resolution, answered by POST only."""

import re
from datetime import timedelta

import pytest
import time_machine
from redis import Redis
from rq import Queue
from rq.registry import ScheduledJobRegistry
from rq.scheduler import RQScheduler
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.core.queue import get_redis
from helpdesk.surveys.jobs import send_due_surveys, send_survey
from helpdesk.surveys.models import SurveyInvitation, SurveyResponse, SurveySettings
from helpdesk.tickets.models import Ticket, TicketStatus
from tests import factories
from tests.conftest import TEST_REDIS_URL, run_jobs


def resolve(client, ticket_id: int, status: str = "resolved") -> None:
    db.session.commit()
    ticket = db.session.get(Ticket, ticket_id)
    data = {
        "version": ticket.version,
        "status": status,
        "impact": ticket.impact.value,
        "urgency": ticket.urgency.value,
        "priority": "",
        "assignee_id": ticket.assignee_id or 0,
        "category_id": ticket.category_id or 0,
    }
    assert client.post(f"/tickets/{ticket.number}/properties", data=data).status_code == 303


def run_scheduled(app) -> int:
    """What the worker's scheduler does when the time comes: move due scheduled jobs to the queue, run them."""
    with app.app_context():
        scheduler = RQScheduler([Queue("default", connection=get_redis())], connection=get_redis())
        scheduler.acquire_locks()  # as the worker started --with-scheduler does
        try:
            scheduler.enqueue_scheduled_jobs()
        finally:
            scheduler.release_locks()
    return run_jobs(app)


def survey_mails(inbox) -> list:
    return [m for m in inbox.messages if m["Subject"].startswith("How did we do?") or m["Subject"].startswith("¿Qué tal")]


def setup_ticket(client, **kwargs) -> Ticket:
    agent = factories.agent("Olga")
    ticket = factories.ticket(notify=False, **kwargs)
    factories.login(client, agent)
    return ticket


def test_resolve_schedule_email_answer_and_see_it_on_the_ticket(client, app, inbox):
    ticket = setup_ticket(client)
    resolve(client, ticket.id)
    with app.app_context():
        registry = ScheduledJobRegistry(queue=Queue("default", connection=get_redis()))
        assert len(registry.get_job_ids()) == 1  # waiting for the worker's scheduler, not run yet
    assert run_scheduled(app) == 0
    assert survey_mails(inbox) == []
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        assert run_scheduled(app) == 1
        run_jobs(app)  # the email the survey job wrote to the outbox
    [mail] = survey_mails(inbox)
    assert mail["To"] == "carla@example.com" and "[#1001]" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    links = re.findall(r"http://helpdesk\.test(/survey/[^\s?]+)\?rating=(\d)", text)
    assert [n for _, n in links] == ["1", "2", "3", "4", "5"]
    path = links[3][0]
    with time_machine.travel(utcnow() + timedelta(minutes=90), tick=False):  # the customer reads the mail later
        page = client.get(f"{path}?rating=4")
        assert page.status_code == 200 and re.search(r'<input checked id="rating-3"[^>]*value="4"', page.text)
        assert db.session.scalars(select(SurveyResponse)).all() == []  # a GET (a mail scanner) records nothing
        response = client.post(path, data={"rating": "4", "resolution_time": "3", "agent_skill": "5", "comment": "Quick and kind"})
        assert response.status_code == 303
        ticket_page = client.get(f"/tickets/{ticket.number}").text  # (cookies signed in the future stay there)
    db.session.commit()
    answer = db.session.scalars(select(SurveyResponse)).one()
    assert (answer.rating, answer.resolution_time, answer.agent_skill, answer.channel_ease) == (4, 3, 5, None)
    assert "4 of 5" in ticket_page and "Quick and kind" in ticket_page


def test_reopening_before_the_delay_sends_nothing(client, app, inbox):
    ticket = setup_ticket(client)
    resolve(client, ticket.id)
    resolve(client, ticket.id, status="open")
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        run_scheduled(app)
        send_due_surveys()
        run_jobs(app)
    assert survey_mails(inbox) == []
    assert db.session.scalars(select(SurveyInvitation)).all() == []


def test_each_resolution_is_surveyed_once_even_when_the_job_runs_twice(client, app, inbox):
    ticket = setup_ticket(client)
    resolve(client, ticket.id)
    resolve(client, ticket.id, status="open")
    resolve(client, ticket.id)
    ticket_id = ticket.id
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        send_survey(ticket_id)
        send_survey(ticket_id)
        send_due_surveys()
        run_scheduled(app)
        run_jobs(app)
    assert len(survey_mails(inbox)) == 1
    assert len(db.session.scalars(select(SurveyInvitation)).all()) == 1
    resolve(client, ticket_id, status="open")  # a later, second resolution gets its own survey
    resolve(client, ticket_id)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        run_scheduled(app)
        run_jobs(app)
    assert len(survey_mails(inbox)) == 2


def test_a_lost_scheduled_job_is_made_up_by_the_sweep(client, app, inbox):
    ticket = setup_ticket(client)
    resolve(client, ticket.id)
    with Redis.from_url(TEST_REDIS_URL) as redis:
        redis.flushdb()  # Redis lost everything
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        send_due_surveys()
        run_jobs(app)
    assert len(survey_mails(inbox)) == 1


def test_a_survey_failing_in_the_sweep_keeps_the_ones_sent_before_it(client, app, inbox, monkeypatch):
    from helpdesk.surveys import jobs

    tickets = [setup_ticket(client), factories.ticket("Second", email="dora@example.com", notify=False)]
    for ticket in tickets:
        resolve(client, ticket.id)
    ticket_ids = sorted(ticket.id for ticket in tickets)
    real_invite, calls = jobs.invite, []

    def invite_then_fail(ticket_id: int) -> SurveyInvitation | None:
        calls.append(ticket_id)
        if len(calls) == 2:
            raise RuntimeError("the second survey breaks")
        return real_invite(ticket_id)

    monkeypatch.setattr(jobs, "invite", invite_then_fail)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        with pytest.raises(RuntimeError):
            send_due_surveys()
        assert [i.ticket_id for i in db.session.scalars(select(SurveyInvitation))] == calls[:1]  # committed before the failure
        monkeypatch.setattr(jobs, "invite", real_invite)
        send_due_surveys()  # the next sweep sends the one that failed
    assert sorted(i.ticket_id for i in db.session.scalars(select(SurveyInvitation))) == ticket_ids


def test_zero_delay_and_spanish_customers(client, app, inbox):
    settings = db.session.get(SurveySettings, 1)
    settings.delay_minutes = 0
    db.session.commit()
    ticket = setup_ticket(client, locale="es")
    resolve(client, ticket.id)
    run_scheduled(app)
    run_jobs(app)
    [mail] = survey_mails(inbox)
    assert mail["Subject"] == "¿Qué tal lo hicimos? [#1001]"
    assert "¿Cómo valoraría la ayuda que ha recibido?" in mail.get_body(("plain",)).get_content()


def test_opted_out_customers_and_categories_without_surveys_get_none(client, app, inbox):
    ticket = setup_ticket(client)
    category = factories.category("Spam", "Spam")
    category.is_surveyed = False
    quiet = factories.ticket("Quiet one", email="quiet@example.com", notify=False)
    quiet.category = category
    db.session.commit()
    ticket.customer.is_survey_opt_out = True
    db.session.commit()
    resolve(client, ticket.id)
    resolve(client, quiet.id)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        run_scheduled(app)
        send_due_surveys()
        run_jobs(app)
    assert survey_mails(inbox) == []


def invited(client, app, inbox) -> str:
    ticket = setup_ticket(client)
    resolve(client, ticket.id)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        send_survey(ticket.id)
    db.session.commit()
    from helpdesk.surveys.services import survey_token

    return survey_token(db.session.scalars(select(SurveyInvitation)).one())


def test_a_second_answer_changes_the_first(client, app, inbox):
    token = invited(client, app, inbox)
    client.post(f"/survey/{token}", data={"rating": "2", "comment": "Slow"})
    page = client.post(f"/survey/{token}", data={"rating": "5", "comment": "Actually great"}, follow_redirects=True)
    assert "Thank you — saved." in page.text and "Your rating: 5 of 5." in page.text
    db.session.commit()
    [answer] = db.session.scalars(select(SurveyResponse)).all()
    assert (answer.rating, answer.comment) == (5, "Actually great")


def test_bad_answers_and_bad_links_are_refused_kindly(client, app, inbox):
    token = invited(client, app, inbox)
    for data in ({}, {"rating": "9"}, {"rating": "3", "agent_skill": "0"}, {"rating": "3", "comment": "x" * 5001}):
        assert client.post(f"/survey/{token}", data=data).status_code == 422
    assert db.session.scalars(select(SurveyResponse)).all() == []
    for bad in (token[:-3] + "xyz", "nonsense"):
        page = client.get(f"/survey/{bad}")
        assert page.status_code == 404 and "Page not found" in page.text
        assert client.post(f"/survey/{bad}", data={"rating": "5"}).status_code == 404


def test_an_expired_survey_says_so(client, app, inbox):
    token = invited(client, app, inbox)
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        page = client.get(f"/survey/{token}")
        assert page.status_code == 410 and "This survey has closed" in page.text
        assert client.post(f"/survey/{token}", data={"rating": "5"}).status_code == 410
    assert db.session.scalars(select(SurveyResponse)).all() == []


def test_opting_out_needs_a_post_and_stops_future_surveys(client, app, inbox):
    token = invited(client, app, inbox)
    page = client.get(f"/survey/{token}/opt-out")
    assert "Stop the surveys" in page.text
    db.session.commit()
    assert not db.session.scalars(select(Ticket)).one().customer.is_survey_opt_out
    assert "We will not send you satisfaction surveys any more." in client.post(f"/survey/{token}/opt-out").text
    db.session.commit()
    assert db.session.scalars(select(Ticket)).one().customer.is_survey_opt_out
    ticket_id = db.session.scalars(select(Ticket.id)).one()
    resolve(client, ticket_id, status="open")
    resolve(client, ticket_id)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        send_survey(ticket_id)
    assert len(db.session.scalars(select(SurveyInvitation)).all()) == 1


def test_survey_page_speaks_the_customers_language(client, app, inbox):
    token = invited(client, app, inbox)
    db.session.scalars(select(Ticket)).one().customer.locale = "es"
    db.session.commit()
    page = client.get(f"/survey/{token}?rating=5", headers={"Accept-Language": "en"}).text
    assert "¿Cómo valoraría la ayuda que ha recibido?" in page and "Enviar mi respuesta" in page
    client.get("/lang/en")  # unless they choose another language
    assert "How would you rate the help you received?" in client.get(f"/survey/{token}").text
    assert TicketStatus.RESOLVED.value == "resolved"


def test_admin_sets_delay_expiry_questions_and_categories(client, app, inbox):
    billing, returns = factories.category("Billing", "Facturación"), factories.category("Returns", "Devoluciones")
    factories.login(client, factories.admin())
    data = {
        "is_enabled": "y",
        "delay_minutes": "0",
        "expiry_days": "3",
        "question_en": "Happy with us?",
        "question_es": "¿Contento con nosotros?",
        "surveyed_category": [str(billing.id)],
    }
    assert client.post("/admin/surveys", data=data).status_code == 303
    db.session.commit()
    settings = db.session.get(SurveySettings, 1)
    assert (settings.delay_minutes, settings.expiry_days, settings.question_en) == (0, 3, "Happy with us?")
    assert billing.is_surveyed and not returns.is_surveyed
    ticket = factories.ticket(notify=False)
    resolve(client, ticket.id)
    run_scheduled(app)
    run_jobs(app)
    [mail] = survey_mails(inbox)
    assert "Happy with us?" in mail.get_body(("plain",)).get_content()
    bad = client.post("/admin/surveys", data={**data, "delay_minutes": "-5", "expiry_days": "0", "question_en": ""})
    assert bad.status_code == 422 and "Between 1 and 365 days." in bad.text
    factories.login(client, factories.agent())
    assert client.get("/admin/surveys").status_code == 403


def test_a_low_rating_notifies_the_assignee_and_the_team_lead_once(client, app, inbox):
    from helpdesk.accounts.models import Notification, Team

    assignee, lead = factories.agent("Olga", email="olga@example.com"), factories.agent("Lena Lead", email="lena@example.com")
    team = Team(name="Returns", lead=lead, members=[assignee, lead])
    db.session.add(team)
    ticket = factories.ticket(notify=False)
    ticket.assignee, ticket.team = assignee, team
    db.session.commit()
    assignee_id, lead_id, ticket_id = assignee.id, lead.id, ticket.id
    factories.login(client, assignee)
    resolve(client, ticket_id)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        send_survey(ticket_id)
    db.session.commit()
    from helpdesk.surveys.services import survey_token

    token = survey_token(db.session.scalars(select(SurveyInvitation)).one())
    client.post(f"/survey/{token}", data={"rating": "4"})
    assert db.session.scalars(select(Notification)).all() == []  # a good rating bothers nobody
    client.post(f"/survey/{token}", data={"rating": "1", "comment": "Nobody answered for days"})
    client.post(f"/survey/{token}", data={"rating": "2", "comment": "Still bad"})  # still low: no second alarm
    db.session.commit()
    notes = db.session.scalars(select(Notification).order_by(Notification.user_id)).all()
    assert [(n.user_id, n.kind) for n in notes] == [(assignee_id, "low_rating"), (lead_id, "low_rating")]
    assert notes[0].text == "#1001 was rated 1 of 5 by Carla Customer."
    run_jobs(app)
    alerts = [m for m in inbox.messages if m["Subject"] == "Low rating on #1001"]
    assert sorted(m["To"] for m in alerts) == ["lena@example.com", "olga@example.com"]
    assert "Nobody answered for days" in alerts[0].get_body(("plain",)).get_content()
    page = client.get("/notifications").text
    assert "#1001 was rated 1 of 5" in page and 'href="/tickets/1001"' in page
    assert '<span class="badge priority-critical">1</span>' in client.get("/tickets/").text
    client.post("/notifications/read")
    assert '<span class="badge priority-critical">' not in client.get("/tickets/").text


def test_the_agent_sees_ratings_in_the_customers_history(client, app, inbox):
    token = invited(client, app, inbox)
    client.post(f"/survey/{token}", data={"rating": "5"})
    newer = factories.ticket("Another question", notify=False)
    page = client.get(f"/tickets/{newer.number}").text
    assert "Earlier requests from Carla Customer" in page
    row = r'#1001 Printer on fire</a>\s*<span class="badge status-resolved">Resolved</span>\s*<span class="rating rating-5">5 of 5'
    assert re.search(row, page)


def low_rating_setup(client) -> str:
    """A resolved ticket of Olga's in Lena's team, surveyed: the survey link's token."""
    from helpdesk.accounts.models import Team
    from helpdesk.surveys.services import survey_token

    assignee, lead = factories.agent("Olga", email="olga@example.com"), factories.agent("Lena Lead", email="lena@example.com")
    team = Team(name="Returns", lead=lead, members=[assignee, lead])
    db.session.add(team)
    ticket = factories.ticket(notify=False)
    ticket.assignee, ticket.team = assignee, team
    db.session.commit()
    ticket_id = ticket.id
    factories.login(client, assignee)
    resolve(client, ticket_id)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        send_survey(ticket_id)
    db.session.commit()
    return survey_token(db.session.scalars(select(SurveyInvitation)).one())


def low_rating_alerts(app, inbox) -> tuple[list[str], list[str]]:
    """Who got an in-app notice and who got an email about a low rating, so far."""
    from helpdesk.accounts.models import Notification, User

    run_jobs(app)
    notes = db.session.scalars(
        select(User.email).join(Notification, Notification.user_id == User.id).where(Notification.kind == "low_rating")
    )
    mails = [m["To"] for m in inbox.messages if m["Subject"] == "Low rating on #1001"]
    return sorted(notes), sorted(mails)


def test_a_first_answer_of_1_alerts_the_assignee_and_the_lead_and_a_change_to_2_alerts_nobody_again(client, app, inbox):
    token = low_rating_setup(client)
    both = ["lena@example.com", "olga@example.com"]
    assert client.post(f"/survey/{token}", data={"rating": "1", "comment": "Nobody answered for days"}).status_code == 303
    assert low_rating_alerts(app, inbox) == (both, both)
    mail = next(m for m in inbox.messages if m["To"] == "olga@example.com")
    assert "#1001 was rated 1 of 5 by Carla Customer." in mail.get_body(("plain",)).get_content()
    assert "Nobody answered for days" in mail.get_body(("plain",)).get_content()
    client.post(f"/survey/{token}", data={"rating": "2", "comment": "Still slow"})  # still low: no second alarm
    assert low_rating_alerts(app, inbox) == (both, both)


def test_a_good_answer_changed_to_2_alerts_once(client, app, inbox):
    token = low_rating_setup(client)
    client.post(f"/survey/{token}", data={"rating": "4"})
    assert low_rating_alerts(app, inbox) == ([], [])
    client.post(f"/survey/{token}", data={"rating": "2"})
    both = ["lena@example.com", "olga@example.com"]
    assert low_rating_alerts(app, inbox) == (both, both)


def test_a_link_scanner_fetching_every_rating_link_records_nothing(client, app, inbox):
    token = low_rating_setup(client)
    for n in range(1, 6):
        page = client.get(f"/survey/{token}?rating={n}")
        assert page.status_code == 200 and client.head(f"/survey/{token}?rating={n}").status_code == 200
        # The page sends the rating by itself (our own script, no inline code); without JavaScript the send button
        # comes right under the preselected rating, before the optional details.
        assert "data-survey-autosend" in page.text and '<script src="/static/js/survey.js" defer>' in page.text
        assert "<script>" not in page.text
        assert page.text.index("Send my rating") < page.text.index("And in more detail (optional)")
    db.session.commit()
    assert db.session.scalars(select(SurveyResponse)).all() == []
    assert low_rating_alerts(app, inbox) == ([], [])


def test_the_rating_clicked_in_the_email_is_recorded_once_and_the_page_then_thanks(client, app, inbox):
    token = low_rating_setup(client)
    form = {"rating": "1", "comment": "", "seen": "", "auto": "1"}  # what survey.js sends from ?rating=1
    assert client.post(f"/survey/{token}", data=form).headers["Location"] == f"/survey/{token}?saved=1"
    db.session.commit()
    first = db.session.scalars(select(SurveyResponse)).one().updated_at
    page = client.get(f"/survey/{token}?rating=1")  # a reload, the back button, a second click on the same number
    assert "Thank you — saved." in page.text and "Your rating: 1 of 5." in page.text
    assert "data-survey-autosend" not in page.text and "Send my rating" not in page.text
    assert "Tell us more (optional)" in page.text and "Save my answer" in page.text
    client.post(f"/survey/{token}", data={"rating": "1", "comment": ""})  # the same answer once more
    db.session.commit()
    assert db.session.scalars(select(SurveyResponse)).one().updated_at == first
    both = ["lena@example.com", "olga@example.com"]
    assert low_rating_alerts(app, inbox) == (both, both)


def test_an_old_copy_of_the_page_sending_itself_keeps_the_newer_answer(client, app, inbox):
    token = low_rating_setup(client)
    client.post(f"/survey/{token}", data={"rating": "2", "seen": "", "auto": "1"})
    client.post(f"/survey/{token}", data={"rating": "5", "comment": "Sorted after all"})
    stale = client.post(f"/survey/{token}", data={"rating": "2", "seen": "", "auto": "1"})  # from the browser's cache
    assert stale.status_code == 303
    db.session.commit()
    answer = db.session.scalars(select(SurveyResponse)).one()
    assert (answer.rating, answer.comment) == (5, "Sorted after all")
    page = client.get(f"/survey/{token}?rating=3")  # a new click on another number is an answer again
    assert "data-survey-autosend" in page.text
    seen = re.search(r'name="seen" value="([^"]+)"', page.text).group(1)
    client.post(f"/survey/{token}", data={"rating": "3", "comment": "Sorted after all", "seen": seen, "auto": "1"})
    db.session.commit()
    assert db.session.scalars(select(SurveyResponse)).one().rating == 3


def test_the_survey_email_says_a_click_sends_the_rating(client, app, inbox):
    low_rating_setup(client)
    run_jobs(app)
    [mail] = survey_mails(inbox)
    for part in ("plain", "html"):
        assert "Click a number and your rating is sent." in mail.get_body((part,)).get_content()


def test_two_answers_arriving_at_the_same_moment_keep_one_answer_and_do_not_alert_twice(client, app, inbox):
    """Two tabs (a double click in the email) both find no answer yet; the later insert must not fail with a 500."""
    from sqlalchemy import insert

    from helpdesk.surveys.services import invitation_for_token, record_response

    token = low_rating_setup(client)
    invitation = invitation_for_token(token)
    assert invitation.response is None  # what the later request read before the earlier one committed
    row = {"invitation_id": invitation.id, "rating": 1, "comment": "", "created_at": utcnow(), "updated_at": utcnow()}
    db.session.execute(insert(SurveyResponse).values(**row))  # the earlier request's answer (its alert was its own)
    answer = {"rating": 1, "resolution_time": None, "agent_skill": None, "channel_ease": None, "comment": "Nobody answered"}
    record_response(invitation, **answer)
    db.session.commit()
    [saved] = db.session.scalars(select(SurveyResponse)).all()
    assert (saved.rating, saved.comment) == (1, "Nobody answered")
    assert low_rating_alerts(app, inbox) == ([], [])  # it was low already: no second alarm
