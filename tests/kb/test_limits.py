"""Search and votes in the help centre are limited per address, with a friendly 429 that says when to come back."""

from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.kb.models import Article
from tests import factories


def test_searching_too_often_gets_a_friendly_429_with_retry_after(make_app, app):
    client = make_app(KB_SEARCH_RATE_LIMIT="3 per minute").test_client()
    factories.article("Refunds", "Money back.")
    assert [client.get("/kb/", query_string={"q": f"refund {n}"}).status_code for n in range(3)] == [200, 200, 200]
    refused = client.get("/kb/", query_string={"q": "refund"})
    assert refused.status_code == 429 and "Too many attempts" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 61
    fragment = client.get("/kb/", query_string={"q": "refund"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 429 and "<html" not in fragment.text
    assert client.get("/kb/").status_code == 200  # reading the index is not searching
    assert client.get("/kb/", query_string={"q": "refund"}, environ_base={"REMOTE_ADDR": "127.0.0.9"}).status_code == 200


def test_suggestions_are_limited_like_search(make_app, app):
    client = make_app(KB_SEARCH_RATE_LIMIT="2 per minute").test_client()
    codes = [client.get("/requests/suggestions", query_string={"subject": f"refund {n}"}).status_code for n in range(3)]
    assert codes == [200, 200, 429]


def test_fresh_cookies_from_one_address_do_not_multiply_votes(make_app, app):
    flask_app = make_app(KB_VOTE_RATE_LIMIT_PER_ARTICLE="2 per day", KB_VOTE_RATE_LIMIT="100 per hour")
    article, other = factories.article("Refunds"), factories.article("Opening hours")
    codes = [flask_app.test_client().post(f"/kb/{article.slug}/vote", data={"helpful": "yes"}).status_code for _ in range(5)]
    assert codes == [303, 303, 429, 429, 429]
    refused = flask_app.test_client().post(f"/kb/{article.slug}/vote", data={"helpful": "yes"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0 and "Slow down" in refused.text
    assert flask_app.test_client().post(f"/kb/{other.slug}/vote", data={"helpful": "yes"}).status_code == 303
    somebody_else = flask_app.test_client().post(
        f"/kb/{article.slug}/vote", data={"helpful": "yes"}, environ_base={"REMOTE_ADDR": "127.0.0.7"}
    )
    assert somebody_else.status_code == 303
    db.session.commit()
    counts = dict(db.session.execute(select(Article.title, Article.helpful_yes)).all())
    assert counts == {"Refunds": 3, "Opening hours": 1}


def test_votes_from_one_address_are_limited_across_articles(make_app, app):
    client = make_app(KB_VOTE_RATE_LIMIT="2 per hour", KB_VOTE_RATE_LIMIT_PER_ARTICLE="100 per day").test_client()
    articles = [factories.article(f"Article {n}") for n in range(3)]
    assert [client.post(f"/kb/{a.slug}/vote", data={"helpful": "no"}).status_code for a in articles] == [303, 303, 429]
