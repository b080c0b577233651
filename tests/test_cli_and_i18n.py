"""Command-line set-up (demo data, first admin) and what language and time zone pages are shown in."""

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from helpdesk.accounts.models import Role, User
from helpdesk.accounts.services import authenticate
from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets.models import Ticket
from tests import factories


def test_demo_data_is_created_once_with_a_printed_password(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    password = re.search(r"Password \(shown once.*\): (\S+)", first.output).group(1)
    assert authenticate("admin@example.com", password).role is Role.OWNER
    tickets = db.session.scalar(select(func.count()).select_from(Ticket))
    assert tickets >= 5
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) > tickets  # acknowledgements and a reply
    from helpdesk.tickets.models import Category, TicketFieldValue

    categories = db.session.scalars(select(Category)).all()
    assert len(categories) == 3 and all(c.fields and all(f.label_es for f in c.fields) for c in categories)
    assert db.session.scalar(select(func.count()).select_from(TicketFieldValue)) > 5
    from helpdesk.kb.models import Article
    from helpdesk.kb.search import search
    from helpdesk.surveys.models import SurveyResponse

    assert {r.rating for r in db.session.scalars(select(SurveyResponse))} == {5, 2}
    articles = db.session.scalars(select(Article)).all()
    assert len(articles) >= 12 and {a.language for a in articles} == {"en", "es"}
    assert all(a.translation is not None and a.translation.language != a.language for a in articles)  # one per language
    assert [hit.article.title for hit in search("devolucion", language="es")][0] == "Cómo hacer una devolución"
    second = runner.invoke(args=["seed", "demo"])
    assert "no demo data added" in second.output and "Password" not in second.output
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == tickets


def test_create_admin_prints_a_generated_password_and_refuses_duplicates(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "create-admin", "--email", "Boss@Example.com", "--name", "Boss"])
    password = re.search(r"Password \(shown once\): (\S+)", result.output).group(1)
    user = authenticate("boss@example.com", password)
    assert user is not None and user.is_admin
    again = runner.invoke(args=["accounts", "create-admin", "--email", "boss@example.com"])
    assert again.exit_code != 0 and "exists already" in again.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_times_are_shown_in_the_agents_time_zone(client):
    agent = factories.agent()
    agent.timezone = "Asia/Tokyo"
    ticket = factories.ticket(notify=False)
    ticket.created_at = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    ticket.messages[0].created_at = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    db.session.commit()
    factories.login(client, agent)
    assert "1/15/26, 9:00\u202fPM" in client.get(f"/tickets/{ticket.number}").text
    agent.timezone = "America/New_York"
    db.session.commit()
    assert "1/15/26, 7:00\u202fAM" in client.get(f"/tickets/{ticket.number}").text


def test_agents_language_preference_beats_the_browser(client):
    agent = factories.agent(locale="es")
    factories.login(client, agent)
    page = client.get("/tickets/", headers={"Accept-Language": "en-US"})
    assert "Sin asignar" in page.text and 'lang="es"' in page.text


def test_visitor_without_preference_gets_the_default_language(make_app, app):
    client = make_app(DEFAULT_LOCALE="es").test_client()
    assert "¿Cómo podemos ayudarle?" in client.get("/").text


def test_short_dates_match_babels_own_formatting(app):
    from babel.dates import format_datetime
    from flask_babel import force_locale

    from helpdesk.core.dates import short_datetime

    moments = [datetime(2026, 3, 9, h, m, tzinfo=UTC) for h, m in ((0, 0), (9, 5), (12, 0), (17, 59), (23, 1))]
    for locale in ("en", "es", "en_GB", "es_MX"):
        for moment in moments:
            with app.test_request_context(), force_locale(locale):
                assert short_datetime(moment) == format_datetime(moment, "short", tzinfo=UTC, locale=locale), (locale, moment)
