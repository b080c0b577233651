"""After "No, this did not help": what was missing (optional, for the agents) and a way to send a request."""

from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.kb.models import ArticleVote
from tests import factories


def test_voting_no_without_javascript_asks_what_was_missing_and_offers_a_request(client):
    article = factories.article("Refunds", "We refund within 5 days.")
    response = client.post(f"/kb/{article.slug}/vote", data={"helpful": "no"})
    assert response.status_code == 303 and response.headers["Location"] == f"/kb/{article.slug}?voted=no#vote"
    page = client.get(response.headers["Location"]).text
    assert '<label for="missing">What was missing?' in page
    assert '<textarea id="missing" maxlength="1000" name="missing" rows="3">' in page
    assert '<a href="/requests/new">Send us a request</a>' in page
    response = client.post(f"/kb/{article.slug}/vote", data={"helpful": "no", "missing": "  How long for PayPal?\n "})
    assert response.headers["Location"] == f"/kb/{article.slug}?voted=noted#vote"
    assert "Thank you for your feedback." in client.get(response.headers["Location"]).text
    db.session.commit()
    [vote] = db.session.scalars(select(ArticleVote)).all()
    assert (vote.helpful, vote.comment, article.helpful_no) == (False, "How long for PayPal?", 1)  # one vote, not two


def test_with_htmx_the_question_replaces_the_buttons(client):
    article = factories.article()
    fragment = client.post(f"/kb/{article.slug}/vote", data={"helpful": "no"}, headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<section id="vote"')
    assert 'hx-post="/kb/how-to-return-an-item/vote"' in fragment and 'name="missing"' in fragment
    assert "Send us a request" in fragment
    fragment = client.post(f"/kb/{article.slug}/vote", data={"helpful": "yes"}, headers={"HX-Request": "true"}).text
    assert "Thank you for your feedback." in fragment and 'name="missing"' not in fragment


def test_an_overlong_answer_is_refused_with_the_text_kept(client):
    article = factories.article()
    client.post(f"/kb/{article.slug}/vote", data={"helpful": "no"})
    too_long = "x" * 1001
    response = client.post(f"/kb/{article.slug}/vote", data={"helpful": "no", "missing": too_long})
    assert response.status_code == 422
    assert "Please keep it under 1000 characters." in response.text and too_long in response.text
    assert "<h1>How to return an item</h1>" in response.text  # the whole page, without JavaScript
    fragment = client.post(f"/kb/{article.slug}/vote", data={"helpful": "no", "missing": too_long}, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and fragment.text.lstrip().startswith('<section id="vote"')
    db.session.commit()
    assert [v.comment for v in db.session.scalars(select(ArticleVote))] == [None]


def test_agents_read_what_was_missing_in_the_editor_and_readers_do_not(client):
    article = factories.article()
    client.post(f"/kb/{article.slug}/vote", data={"helpful": "no", "missing": "Nothing about <b>exchanges</b>."})
    client.application.test_client().post(f"/kb/{article.slug}/vote", data={"helpful": "yes"})
    assert "exchanges" not in client.get(f"/kb/{article.slug}").text
    factories.login(client, factories.agent())
    editor = client.get(f"/admin/kb/{article.id}").text
    assert "What readers missed" in editor and "Helpful: 1 · Not helpful: 1" in editor
    assert "<p>Nothing about &lt;b&gt;exchanges&lt;/b&gt;.</p>" in editor


def test_changing_a_no_to_yes_drops_its_answer(client):
    article = factories.article()
    client.post(f"/kb/{article.slug}/vote", data={"helpful": "no", "missing": "More pictures."})
    client.post(f"/kb/{article.slug}/vote", data={"helpful": "yes"})
    db.session.commit()
    [vote] = db.session.scalars(select(ArticleVote)).all()
    assert (vote.helpful, vote.comment, article.helpful_yes, article.helpful_no) == (True, None, 1, 0)


def test_a_vote_that_is_neither_yes_nor_no_is_not_counted(client):
    article = factories.article()
    assert client.post(f"/kb/{article.slug}/vote", data={"helpful": "maybe"}).status_code == 404
    assert db.session.scalars(select(ArticleVote)).all() == []
