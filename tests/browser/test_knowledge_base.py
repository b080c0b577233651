"""The knowledge base in a real browser: suggestions while writing a request, and links inserted into replies."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.kb.models import ArticleVote, Deflection
from tests import factories

pytestmark = pytest.mark.browser


def test_customer_gets_a_suggestion_while_typing_and_opens_it(browser, live_server, app, shot):
    factories.article("Reset your password", "On the sign-in page press **Forgot your password?**.")
    factories.article("Opening hours", "Nine to five.")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/requests/new")
    page.get_by_label("Subject").press_sequentially("I forgot my passw", delay=30)
    suggestion = page.locator("#suggestions").get_by_role("link", name="Reset your password")
    expect(suggestion).to_be_visible()
    expect(page.locator("#suggestions")).not_to_contain_text("Opening hours")
    shot(page, "request-suggestions-en-desktop")
    with context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    expect(article.get_by_role("heading", name="Reset your password")).to_be_visible()
    expect(article.locator("strong")).to_have_text("Forgot your password?")
    article.wait_for_load_state("networkidle")
    db.session.commit()
    [record] = db.session.scalars(select(Deflection)).all()
    assert record.submitted_at is None  # opened, and (so far) no request sent


def test_public_search_updates_as_you_type(browser, live_server, app):
    factories.article("Política de devolución", "Tiene 30 días para devolver.", language="es")
    page = browser.new_context(locale="es-ES").new_page()
    page.goto(f"{live_server}/kb/")
    page.get_by_placeholder("Buscar en los artículos de ayuda").press_sequentially("devolucion", delay=30)
    expect(page.locator("#kb-results mark").first).to_have_text("devolución")


def test_agent_inserts_an_article_link_into_the_reply(browser, live_server, app):
    factories.article("Reset your password", "Use the link.")
    factories.agent("Olga", email="olga@example.com")
    ticket = factories.ticket("Locked out", notify=False)
    page = browser.new_context().new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("olga@example.com")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/tickets/{ticket.number}")
    reply = page.get_by_role("textbox", name="Reply", exact=True)
    reply.fill("Hello Carla,")
    page.get_by_text("Find a help article to link").click()
    page.get_by_role("searchbox", name="Search the help articles").press_sequentially("password", delay=30)
    page.get_by_role("button", name="Insert link").click()
    expect(reply).to_have_value(f"Hello Carla,\nReset your password: {live_server}/kb/reset-your-password\n")


def _help_centre():
    from helpdesk.kb.models import KbCategory
    from helpdesk.kb.services import link_translation

    category = KbCategory(name_en="Orders & refunds", name_es="Pedidos y reembolsos", slug="orders")
    db.session.add(category)
    english = factories.article(
        "Refunds & returns <fast>", 'Tom & Jerry\'s "quick" refund: 5 < 6.\n\nWe refund within **5 days**.', category=category
    )
    spanish = factories.article(
        "Reembolsos y devoluciones", "Le devolvemos el dinero en **5 días** & sin preguntas.", language="es", category=category
    )
    link_translation(english, spanish)
    factories.article("Opening hours", "Monday to Friday, 9:00 to 18:00.", category=category)
    factories.article("Envíos a Canarias", "En 48 horas.", language="es")
    db.session.commit()
    return english, spanish


def test_reader_who_voted_no_says_what_was_missing_and_can_send_a_request(browser, live_server, app, shot):
    english, spanish = _help_centre()
    page = browser.new_context(locale="es-ES", viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server}/kb/{english.slug}")
    translation = page.get_by_role("link", name="También en español: Reembolsos y devoluciones")
    expect(translation).to_be_visible()
    translation.click()
    expect(page.get_by_role("heading", name="Reembolsos y devoluciones")).to_be_visible()
    page.get_by_role("button", name="No", exact=True).click()
    expect(page.get_by_label("¿Qué le faltó?")).to_be_visible()
    expect(page.locator("#vote").get_by_role("link", name="Envíenos una solicitud")).to_have_attribute("href", "/requests/new")
    shot(page, "kb-article-no-feedback-es-phone")
    page.get_by_label("¿Qué le faltó?").fill("¿Y si pagué con PayPal?")
    page.locator("#vote").get_by_role("button", name="Enviar").click()
    expect(page.get_by_label("¿Qué le faltó?")).to_have_count(0)  # the answer is in: the form gave way to thanks
    expect(page.locator("#vote")).to_contain_text("Gracias por su opinión.")
    db.session.commit()
    [vote] = db.session.scalars(select(ArticleVote)).all()
    assert (vote.article_id, vote.helpful, vote.comment) == (spanish.id, False, "¿Y si pagué con PayPal?")


@pytest.mark.parametrize("locale", ["en-GB", "es-ES"])
@pytest.mark.parametrize("width", [390, 1366])
def test_help_centre_pages_fit_the_screen_in_both_languages(browser, live_server, app, shot, locale, width):
    english, spanish = _help_centre()
    page = browser.new_context(locale=locale, viewport={"width": width, "height": 900}).new_page()
    mine, theirs = (spanish, english) if locale.startswith("es") else (english, spanish)
    name = f"{locale[:2]}-{width}"
    for path, label in [
        ("/", "home"),
        ("/kb/", "index"),
        ("/kb/?q=refund", "search"),
        (f"/kb/{mine.slug}?voted=no", "article"),
    ]:
        page.goto(f"{live_server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (path, "scrolls sideways")
        shot(page, f"kb-{label}-{name}")
    page.goto(f"{live_server}/kb/{mine.slug}")
    expect(page.get_by_role("link", name=theirs.title)).to_be_visible()
    page.goto(f"{live_server}/kb/?q=refund")
    if locale.startswith("en"):
        expect(page.locator("#kb-results")).to_contain_text('Tom & Jerry\'s "quick" refund: 5 < 6.')
