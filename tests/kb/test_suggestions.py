"""Suggestions on the request form: only the articles that really answer the subject, in the visitor's language."""

import re

import pytest

from helpdesk.kb.search import relevant, search
from helpdesk.kb.text import fold
from tests import factories
from tests.kb.articles_es_en import ARTICLES


@pytest.fixture
def help_centre(app):
    return {title: factories.article(title, body, language=language) for title, body, language in ARTICLES}


def suggested(subject: str, language: str) -> list[str]:
    return [hit.article.title for hit in search(subject, language=language, limit=5, match_all=False)]


@pytest.mark.parametrize(
    ("subject", "language", "expected"),
    [
        ("No me llega el reembolso", "es", ["¿Cuándo recibiré mi reembolso?", "Cancelar un pedido"]),
        ("No me llega el reembolso de mi devolución", "es", ["¿Cuándo recibiré mi reembolso?"]),
        ("My refund has not arrived yet", "en", ["When will I get my refund?"]),
        ("I forgot my password", "en", ["Reset your password"]),
        ("Olvidé mi contraseña", "es", ["Restablecer la contraseña"]),
        ("¿Dónde está mi pedido? Hace una semana que lo pedí", "es", ["¿Dónde está mi pedido?"]),
        ("Quiero cambiar la dirección de entrega", "es", ["Cambiar la dirección de entrega"]),
        ("Cannot change delivery address on my order", "en", ["Change the delivery address"]),
        ("Necesito la factura de mi pedido", "es", ["Descargar una factura"]),
        ("How do I cancel my order?", "en", ["Cancel an order"]),
    ],
)
def test_a_subject_gets_the_articles_that_answer_it_and_not_the_rest(help_centre, subject, language, expected):
    assert suggested(subject, language) == expected


def test_the_request_form_suggests_only_the_refund_article_for_a_missing_refund(client, help_centre):
    fragment = client.get("/requests/suggestions", query_string={"subject": "No me llega el reembolso…"}, headers={"Accept-Language": "es"})
    titles = [re.sub("<[^>]+>", "", t) for t in re.findall(r'<a href="/kb/[^"]+"[^>]*>(.*?)</a>', fragment.text)]
    assert titles[0] == "¿Cuándo recibiré mi reembolso?"
    assert "¿Dónde está mi pedido?" not in fragment.text  # "llega" alone is not enough
    assert len(titles) <= 2


def test_a_suggestion_in_the_other_language_gives_way_to_its_translation(app):
    from helpdesk.kb.services import link_translation

    english = factories.article("Payment methods", "We accept cards and PayPal.")
    spanish = factories.article("Formas de pago", "Aceptamos tarjetas y PayPal.", language="es")
    assert sorted(suggested("¿Aceptan PayPal?", "es")) == ["Formas de pago", "Payment methods"]
    link_translation(english, spanish)
    assert suggested("¿Aceptan PayPal?", "es") == ["Formas de pago"]
    assert suggested("Do you take PayPal?", "en") == ["Payment methods"]


def docs(*pairs: str) -> list[tuple[str, str]]:
    return [(fold(title), fold(body)) for title, body in (pair.split("|") for pair in pairs)]


@pytest.mark.parametrize(
    ("documents", "terms", "kept"),
    [
        (docs("Refunds|money back", "Opening hours|we open at nine"), ["refund"], [0]),
        (docs("Refunds|money", "Cancel|the refund arrives"), ["refund"], [0]),  # a title match beats a mention
        (docs("Refund a|x", "Refund b|x"), ["refund"], [0, 1]),  # equally good: both
        (docs("Refund late|arrives late", "Parcel|arrives"), ["refund", "arriv"], [0]),  # covers both words
        (docs("Parcel|arrives", "Parcel late|arrives late"), ["refund", "arriv"], [0, 1]),  # nobody covers two
        ([], ["refund"], []),
        (docs("Refunds|money"), [], []),
    ],
)
def test_relevance_keeps_what_scores_close_to_the_best(documents, terms, kept):
    assert relevant(documents, terms) == kept
