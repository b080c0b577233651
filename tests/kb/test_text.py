"""Knowledge-base text: Markdown that can never run script, search that ignores case and accents, highlights."""

import re

import pytest
from markupsafe import Markup

from helpdesk.kb.text import fold, highlight, plain_text, query_terms, render_markdown, slugify, snippet

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("a *b* **c** `d`", "<p>a <em>b</em> <strong>c</strong> <code>d</code></p>\n"),
        ("## Returns", "<h2>Returns</h2>\n"),
        ("[Shop](https://shop.example)", '<p><a href="https://shop.example" rel="noopener noreferrer nofollow">Shop</a></p>\n'),
        ("[Write](mailto:help@acme.test)", '<p><a href="mailto:help@acme.test" rel="noopener noreferrer nofollow">Write</a></p>\n'),
        ("![Label](label.png)", '<p><img src="label.png" alt="Label"></p>\n'),
        ("| Plan | Price |\n|---|---|\n| Pro | 10 |", "<th>Plan</th>"),
        ("Devolución en 30 días", "<p>Devolución en 30 días</p>\n"),
        ("", ""),
    ],
)
def test_an_editor_writes_markdown_and_readers_see_html(markdown, html):
    assert html in render_markdown(markdown)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "![x](javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<div onclick="alert(1)">x</div>',
    ],
)
def test_markdown_never_lets_an_article_run_script(hostile):
    tags = re.findall(r"<[^>]*>", render_markdown(hostile).lower())
    assert tags
    for tag in tags:
        assert re.fullmatch(r"</?(p|a|img)\b.*", tag), tag
        assert not re.search(r"\son\w+=|javascript:|vbscript:|data:", tag), tag


def test_raw_html_in_an_article_is_shown_as_text():
    assert render_markdown("<b>bold?</b>") == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Q&amp;A</p>", "Q&A"),
        ("<p>One <b>two</b></p>\n\n<p>  three</p>", "One two three"),
        ("<script>alert(1)</script>Hola", "Hola"),
        ("<b>a &lt;b&gt; tag</b>", "a <b> tag"),  # unescaped: escaped again wherever it is shown
        ("", ""),
    ],
)
def test_plain_text_is_what_a_reader_sees(markup, text):
    assert plain_text(markup) == text


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Devolución", "devolucion"),
        ("ÑANDÚ", "nandu"),
        ("¿Qué pasó con mi pedido?", "¿que paso con mi pedido?"),
        ("Crème Brûlée", "creme brulee"),
        ("ﬁle", "file"),  # a ligature is its letters
        ("", ""),
        (None, ""),
    ],
)
def test_search_ignores_case_and_accents(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("¿Cómo DEVUELVO un pedido?", ["como", "devuelvo", "un", "pedido"]),
        ("pedido, pedido! PEDIDO", ["pedido"]),
        ("   ", []),
        ("", []),
        ("'; DROP TABLE kb_article; --", ["drop", "table", "kb_article"]),
        ("one two three four five six seven eight nine ten", ["one", "two", "three", "four", "five", "six", "seven", "eight"]),
        ("x" * 600, ["x" * 500]),  # a 5 KB query is not an error, just mostly ignored
    ],
)
def test_a_query_becomes_at_most_eight_folded_words(query, terms):
    assert query_terms(query) == terms


@pytest.mark.parametrize(
    ("text", "terms", "html"),
    [
        ("Devolución de pedidos", ["devol"], "<mark>Devolución</mark> de pedidos"),
        ("Pedido PEDIDOS pedí", ["pedido"], "<mark>Pedido</mark> <mark>PEDIDOS</mark> pedí"),
        ("repedido", ["pedido"], "repedido"),  # a word that only contains the term is not a match
        ("<b>pedido</b>", ["pedido"], "&lt;b&gt;<mark>pedido</mark>&lt;/b&gt;"),
        ("Tom & Jerry", [], "Tom &amp; Jerry"),
        ("", ["pedido"], ""),
    ],
)
def test_search_results_mark_the_words_that_matched_and_escape_the_rest(text, terms, html):
    marked = highlight(text, terms)
    assert isinstance(marked, Markup)
    assert str(marked) == html


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        ("Short answer.", ["answer"], "Short answer."),
        ("a" * 100 + " reembolso " + "b" * 200, ["reembolso"], "…" + "a" * 59 + " reembolso " + "b" * 110 + "…"),
        ("Reembolso " + "b" * 300, ["reembolso"], "Reembolso " + "b" * 170 + "…"),
        ("Política de devolución " + "c" * 300, ["devolucion"], "Política de devolución " + "c" * 157 + "…"),
        ("no match here " + "d" * 300, ["zzz"], "no match here " + "d" * 166 + "…"),
    ],
)
def test_a_snippet_shows_the_text_around_the_first_match(text, terms, expected):
    assert snippet(text, terms) == expected


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("How do I reset my password?", "how-do-i-reset-my-password"),
        ("¿Cómo cambio mi contraseña?", "como-cambio-mi-contrasena"),
        ("  --Returns & Refunds--  ", "returns-refunds"),
        ("日本語", "article"),
        ("???", "article"),
        ("", "article"),
        ("a" * 300, "a" * 100),
    ],
)
def test_an_article_address_is_readable_ascii(title, slug):
    assert slugify(title) == slug
