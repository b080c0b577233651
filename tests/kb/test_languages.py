"""The help centre by language: readers see their language, a link to the translation, the other only as fallback."""

import re

from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.kb.models import Article
from helpdesk.kb.services import link_translation
from tests import factories

ES = {"Accept-Language": "es"}
EN = {"Accept-Language": "en"}


def pair():
    english = factories.article("Refunds", "We refund within 5 days.")
    spanish = factories.article("Reembolsos", "Reembolsamos en 5 días.", language="es")
    link_translation(english, spanish)
    db.session.commit()
    return english, spanish


def listed(html: str) -> list[str]:
    return re.findall(r'<li><a href="/kb/[^"]+" lang="\w+">([^<]+)</a>', html)


def test_the_index_shows_the_visitors_language_and_untranslated_articles_of_the_other(client):
    pair()
    factories.article("Opening hours", "Nine to five.")  # not translated: Spanish readers get it too
    factories.article("Envíos a Canarias", "En 48 horas.", language="es")
    assert sorted(listed(client.get("/kb/", headers=ES).text)) == ["Envíos a Canarias", "Opening hours", "Reembolsos"]
    assert sorted(listed(client.get("/kb/", headers=EN).text)) == ["Envíos a Canarias", "Opening hours", "Refunds"]
    page = client.get("/kb/", headers=ES).text
    assert re.search(r'Opening hours</a> <span class="badge kb-lang" lang="en">English</span>', page)


def test_the_home_page_lists_popular_answers_by_language_with_fallback(client):
    pair()
    factories.article("Opening hours", "Nine to five.")
    assert sorted(listed(client.get("/", headers=ES).text)) == ["Opening hours", "Reembolsos"]
    assert sorted(listed(client.get("/", headers=EN).text)) == ["Opening hours", "Refunds"]


def test_an_article_links_to_its_translation_in_that_language(client):
    english, spanish = pair()
    page = client.get(f"/kb/{english.slug}").text
    assert f'<a href="/kb/{spanish.slug}" hreflang="es" lang="es">También en español: Reembolsos</a>' in page
    assert f'hreflang="es" href="http://helpdesk.test/kb/{spanish.slug}"' in page
    page = client.get(f"/kb/{spanish.slug}", headers=ES).text
    assert f'<a href="/kb/{english.slug}" hreflang="en" lang="en">Also in English: Refunds</a>' in page


def test_a_draft_translation_is_not_linked_and_does_not_hide_the_original(client):
    english = factories.article("Refunds", "We refund within 5 days.")
    spanish = factories.article("Reembolsos", "Reembolsamos.", language="es", published=False)
    link_translation(english, spanish)
    db.session.commit()
    assert "También en español" not in client.get(f"/kb/{english.slug}").text
    assert listed(client.get("/kb/", headers=ES).text) == ["Refunds"]
    assert [a.title for a in _search_hits(client, "refund", ES)] == ["Refunds"]


def _search_hits(client, query: str, headers: dict) -> list[Article]:
    html = client.get("/kb/", query_string={"q": query}, headers={**headers, "HX-Request": "true"}).text
    slugs = re.findall(r'<a href="/kb/([^"]+)"', html)
    return [db.session.scalar(select(Article).where(Article.slug == slug)) for slug in slugs]


def test_search_results_follow_the_same_rule(client):
    english, spanish = pair()
    factories.article("Refund by bank transfer", "Refund to an account.")  # no translation
    assert [a.title for a in _search_hits(client, "refund", ES)] == ["Reembolsos", "Refund by bank transfer"]
    assert [a.title for a in _search_hits(client, "reembols", EN)] == ["Refunds"]
    assert {a.title for a in _search_hits(client, "refund", EN)} == {"Refunds", "Refund by bank transfer"}


def test_an_agent_links_two_articles_as_translations_in_the_editor(client):
    english = factories.article("Refunds", "We refund within 5 days.")
    spanish = factories.article("Reembolsos", "Reembolsamos.", language="es")
    other = factories.article("Devoluciones", "Devuelva en 30 días.", language="es")
    factories.login(client, factories.agent())
    form = client.get(f"/admin/kb/{english.id}").text
    assert f'<option value="{spanish.id}">Reembolsos (ES)</option>' in form
    data = {"title": "Refunds", "slug": english.slug, "category_id": "0", "language": "en", "status": "published", "body": "We refund."}
    assert client.post(f"/admin/kb/{english.id}", data={**data, "translation_id": spanish.id}).status_code == 303
    db.session.expire_all()
    assert (english.translation_id, spanish.translation_id) == (spanish.id, english.id)
    assert f'<option selected value="{english.id}">Refunds (EN)</option>' in client.get(f"/admin/kb/{spanish.id}").text
    # Choosing another one unlinks the first on both sides.
    assert client.post(f"/admin/kb/{english.id}", data={**data, "translation_id": other.id}).status_code == 303
    db.session.expire_all()
    assert (english.translation_id, other.translation_id, spanish.translation_id) == (other.id, english.id, None)


def test_a_translation_in_the_same_language_is_refused_with_the_form_kept(client):
    english = factories.article("Refunds", "We refund within 5 days.")
    also_english = factories.article("Money back", "Same.")
    factories.login(client, factories.agent())
    data = {"title": "Refunds, edited", "slug": "", "category_id": "0", "language": "en", "status": "published", "body": "We refund."}
    response = client.post(f"/admin/kb/{english.id}", data={**data, "translation_id": also_english.id})
    assert response.status_code == 422
    assert "The translation must be an article in the other language." in response.text
    assert 'value="Refunds, edited"' in response.text
    db.session.expire_all()
    assert (english.title, english.translation_id) == ("Refunds", None)
