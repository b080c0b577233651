"""Knowledge base articles: safe Markdown, drafts private, old slugs redirect, votes, views, agent tools."""

import re

from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.kb.jobs import flush_views
from helpdesk.kb.models import Article, ArticleVote
from helpdesk.kb.text import render_markdown
from tests import factories

HOSTILE = """# Title

<script>alert('x')</script>

[click me](javascript:alert(1))

<img src="x" onerror="alert(2)">

<iframe src="https://evil.example"></iframe>

![pic](javascript:alert(3))

<a href="https://example.org" onclick="steal()">ok</a>
"""


def test_hostile_markdown_is_rendered_harmless():
    html = render_markdown(HOSTILE)
    assert "<h1>Title</h1>" in html
    tags = re.findall(r"<[^>]*>", html)
    for tag in tags:
        lowered = tag.lower()
        assert not re.match(r"</?(script|iframe|object|embed|style)", lowered), tag
        assert "javascript:" not in lowered and not re.search(r"\son\w+\s*=", lowered), tag
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, never run


def test_javascript_links_written_as_markdown_are_not_links():
    html = render_markdown("[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) ![z](javascript:alert(1)) <javascript:alert(1)>")
    assert "<a" not in html and "<img" not in html


def test_markdown_formatting_survives_sanitizing():
    html = render_markdown("**bold** and [a link](https://example.org)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">a link</a>' in html
    assert "<li>one</li>" in html


def test_published_article_page_has_title_description_and_clean_url(client):
    article = factories.article("How to return an item", "Send it back within **30 days** of delivery.")
    assert article.slug == "how-to-return-an-item"
    page = client.get("/kb/how-to-return-an-item").text
    assert "<title>How to return an item · Acme</title>" in page
    assert '<meta name="description" content="Send it back within 30 days of delivery.">' in page
    assert "<strong>30 days</strong>" in page
    assert 'rel="canonical" href="http://helpdesk.test/kb/how-to-return-an-item"' in page


def test_drafts_are_never_public(client):
    factories.article("Secret plans", "Internal draft about returns", published=False)
    assert client.get("/kb/secret-plans").status_code == 404
    assert "Secret plans" not in client.get("/kb/").text
    assert "Secret plans" not in client.get("/kb/?q=secret").text
    assert "Secret plans" not in client.get("/requests/suggestions?subject=secret plans").text
    factories.login(client, factories.agent())
    assert "Draft: only staff can see this article." in client.get("/kb/secret-plans").text


def test_a_renamed_slug_redirects_to_the_new_one(client):
    from helpdesk.kb.services import save_article

    article = factories.article("Shipping times", "Two days.")
    save_article(article, title="Delivery times", body="Two days.", status=article.status)
    db.session.commit()
    assert article.slug == "delivery-times"
    response = client.get("/kb/shipping-times")
    assert response.status_code == 301 and response.headers["Location"] == "/kb/delivery-times"
    assert client.get("/kb/delivery-times").status_code == 200


def test_slugs_stay_unique(app):
    first = factories.article("Returns")
    second = factories.article("Returns")
    assert (first.slug, second.slug) == ("returns", "returns-2")


def test_one_vote_per_visitor_which_can_change(client):
    article = factories.article()
    client.post(f"/kb/{article.slug}/vote", data={"helpful": "yes"})
    client.post(f"/kb/{article.slug}/vote", data={"helpful": "yes"})
    db.session.commit()
    assert (article.helpful_yes, article.helpful_no) == (1, 0)
    response = client.post(f"/kb/{article.slug}/vote", data={"helpful": "no"}, headers={"HX-Request": "true"})
    assert "Thank you for your feedback." in response.text
    db.session.commit()
    assert (article.helpful_yes, article.helpful_no) == (0, 1)
    other_visitor = client.application.test_client()
    other_visitor.post(f"/kb/{article.slug}/vote", data={"helpful": "yes"})
    db.session.commit()
    assert (article.helpful_yes, article.helpful_no) == (1, 1)
    assert len(db.session.scalars(select(ArticleVote)).all()) == 2


def test_views_are_counted_without_writing_on_the_page_and_flushed_later(client):
    article = factories.article()
    article_id, slug = article.id, article.slug
    for _ in range(3):
        client.get(f"/kb/{slug}")
    db.session.commit()
    assert article.views == 0  # the page itself never writes to the database
    flush_views()
    flush_views()  # nothing left: a second run adds nothing
    assert db.session.get(Article, article_id).views == 3


def test_agent_finds_an_article_link_for_a_reply(client):
    factories.article("Reset your password", "Use the link on the sign-in page.")
    factories.login(client, factories.agent())
    response = client.get("/tickets/kb-search?q=password", headers={"HX-Request": "true"})
    assert 'data-insert="Reset your password: http://helpdesk.test/kb/reset-your-password"' in response.text


def test_agent_turns_a_reply_into_a_draft_article(client):
    agent = factories.agent()
    ticket = factories.ticket("Cannot print invoices", notify=False)
    factories.login(client, agent)
    client.post(f"/tickets/{ticket.number}/reply", data={"body": "Open Settings, then Printing, and tick PDF."})
    db.session.commit()
    reply = ticket.messages[-1]
    response = client.post(f"/admin/kb/from-message/{reply.id}")
    article = db.session.scalars(select(Article)).one()
    assert response.headers["Location"] == f"/admin/kb/{article.id}"
    assert (article.title, article.body, article.is_published) == ("Cannot print invoices", reply.body, False)


def test_internal_notes_cannot_become_articles(client):
    agent = factories.agent()
    ticket = factories.ticket(notify=False)
    factories.login(client, agent)
    client.post(f"/tickets/{ticket.number}/reply", data={"body": "internal", "is_internal": "y"})
    db.session.commit()
    assert client.post(f"/admin/kb/from-message/{ticket.messages[-1].id}").status_code == 404


def test_agent_writes_an_article_with_a_safe_live_preview(client):
    factories.login(client, factories.agent())
    preview = client.post("/admin/kb/preview", data={"body": "**Hi** <script>x</script>"}, headers={"HX-Request": "true"})
    assert "<strong>Hi</strong>" in preview.text and "<script>" not in preview.text
    data = {
        "title": "Opening hours",
        "slug": "",
        "category_id": "0",
        "language": "en",
        "status": "published",
        "body": "Monday to Friday, 9 to 18.",
    }
    response = client.post("/admin/kb/new", data=data)
    article = db.session.scalars(select(Article)).one()
    assert response.headers["Location"] == f"/admin/kb/{article.id}"
    assert client.get("/kb/opening-hours").status_code == 200
    bad = client.post("/admin/kb/new", data={**data, "title": ""})
    assert bad.status_code == 422 and "This field is required." in bad.text


def test_knowledge_base_editing_needs_sign_in(client):
    article = factories.article()
    assert client.get("/admin/kb/").status_code == 302
    assert client.post(f"/admin/kb/{article.id}", data={"title": "x"}).status_code == 302
    assert re.search("How to return an item", client.get("/kb/").text)


def renamed():
    from helpdesk.kb.services import save_article

    article = factories.article("Shipping times", "Two days.")
    save_article(article, title="Delivery times", body="Two days.", status=article.status)
    db.session.commit()


def test_an_old_slug_with_a_slug_parameter_still_redirects(client):
    renamed()
    response = client.get("/kb/shipping-times?slug=evil")
    assert response.status_code == 301 and response.headers["Location"] == "/kb/delivery-times"


def test_an_old_slug_with_a_method_parameter_still_redirects(client):
    renamed()
    response = client.get("/kb/shipping-times?_method=POST")
    assert response.status_code == 301 and response.headers["Location"] == "/kb/delivery-times"


def test_an_old_slug_redirect_never_takes_the_host_from_the_request(client):
    renamed()
    response = client.get("/kb/shipping-times?_external=1&_scheme=javascript&_anchor=x", headers={"Host": "evil.example"})
    assert response.status_code == 301 and response.headers["Location"] == "/kb/delivery-times"


def test_an_old_slug_keeps_the_request_form_it_was_opened_from(client):
    renamed()
    session = "0123456789abcdef0123456789abcdef"
    assert client.get(f"/kb/shipping-times?from={session}").headers["Location"] == f"/kb/delivery-times?from={session}"
    assert client.get("/kb/shipping-times?from=../x").headers["Location"] == "/kb/delivery-times"
