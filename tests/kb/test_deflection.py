"""Suggestions while a customer writes a request, and the deflection they earn."""

import re

from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.kb.models import Deflection
from tests import factories

FORM = {"name": "Carla", "email": "carla@example.com", "message": "Hello"}


def form_session(client) -> str:
    page = client.get("/requests/new").text
    return re.search(r'id="form_session" name="form_session" type="hidden" value="([0-9a-f]{32})"', page).group(1)


def test_typing_a_subject_suggests_up_to_five_matching_articles(client):
    for n in range(7):
        factories.article(f"Refund question {n}", "About refunds.")
    factories.article("Opening hours", "Nine to five.")
    session = form_session(client)
    fragment = client.get(
        "/requests/suggestions", query_string={"subject": "refund", "form_session": session}, headers={"HX-Request": "true"}
    )
    links = re.findall(r'href="(/kb/[^"]+)"', fragment.text)
    assert len(links) == 5 and all(f"from={session}" in link for link in links)
    assert "Opening hours" not in fragment.text
    assert 'hx-get="/requests/suggestions"' in client.get("/requests/new").text


def test_an_opened_suggestion_without_a_request_counts_as_deflected(client):
    article = factories.article("Reset your password", "Use the link.")
    session = form_session(client)
    page = client.get(f"/kb/{article.slug}?from={session}").text
    assert f'hx-post="/kb/{article.slug}/opened"' in page
    assert db.session.scalars(select(Deflection)).all() == []  # a GET (or a link scanner) records nothing
    assert client.post(f"/kb/{article.slug}/opened", data={"from": session}).status_code == 204
    assert client.post(f"/kb/{article.slug}/opened", data={"from": session}).status_code == 204  # once only
    [record] = db.session.scalars(select(Deflection)).all()
    assert record.submitted_at is None


def test_sending_the_request_afterwards_means_it_was_not_deflected(client):
    article = factories.article("Reset your password", "Use the link.")
    session = form_session(client)
    client.post(f"/kb/{article.slug}/opened", data={"from": session})
    assert client.post("/requests/new", data={**FORM, "subject": "Still locked out", "form_session": session}).status_code == 303
    db.session.commit()
    [record] = db.session.scalars(select(Deflection)).all()
    assert record.submitted_at is not None


def test_garbled_deflection_input_is_refused(client):
    article = factories.article()
    assert client.post(f"/kb/{article.slug}/opened", data={"from": "../../x"}).status_code == 404
    page = client.get(f"/kb/{article.slug}?from=<script>")
    assert page.status_code == 200 and "/opened" not in page.text
