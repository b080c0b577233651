"""What customers receive: a text and an HTML part, a button to their ticket, the company's name, their own words
quoted under a reply, a reply-above marker, clickable and escaped links. Read from the real SMTP server's inbox."""

import re
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.mail.compose import REPLY_MARKER_ID, linkify, paragraphs, quoted, reply_marker_lines
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets import services as tickets
from tests import factories
from tests.mail.html import Element, parse

LINK = re.compile(r"http://helpdesk\.test/my/\S+")


def parts(mail: EmailMessage) -> tuple[str, Element, str]:
    """The text part, the parsed HTML part and the raw HTML of a received email (which must have both)."""
    assert [p.get_content_type() for p in mail.walk() if not p.is_multipart()][:2] == ["text/plain", "text/html"]
    html = mail.get_body(("html",)).get_content().replace("\r\n", "\n")
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n"), parse(html), html


def no_outside_resources(doc: Element, html: str) -> None:
    """Nothing an email client would fetch or run, and no stylesheet it would drop: inline styles only."""
    assert not doc.find_all("img") and not doc.find_all("script") and not doc.find_all("style") and not doc.find_all("link")
    assert not [e for e in doc.iter() if "src" in e.attrs or "background" in e.attrs] and "<style" not in html
    assert all(a.attrs["href"].startswith(("http://", "https://")) for a in doc.find_all("a"))


def reply_to(ticket, body: str, *, customer_says: str | None = None, note: str | None = None):
    if customer_says:
        tickets.add_customer_reply(ticket, customer=ticket.customer, body=customer_says)
    if note:
        tickets.add_reply(ticket, author=factories.agent("Olga Agent"), body=note, is_internal=True)
    tickets.add_reply(ticket, author=factories.agent("Sam Agent"), body=body)
    db.session.commit()


def test_acknowledgement_has_a_button_to_the_ticket_and_keeps_the_link_on_its_own_line_in_text(client, jobs, inbox):
    factories.ticket("Printer on fire")
    jobs()
    [mail] = inbox.messages
    text, doc, html = parts(mail)

    link = next(line for line in text.splitlines() if LINK.fullmatch(line))
    button = doc.find("a", class_="helpdesk-button")
    assert button.attrs["href"] == link and button.text.strip() == "Follow your request"
    assert link not in doc.text  # no raw 90-character address running off a phone screen
    assert "Printer on fire" in client.get(link.removeprefix("http://helpdesk.test")).text

    assert doc.find(class_="helpdesk-company").text.strip() == "Acme"
    assert "#1001" in doc.text and "Thank you for contacting Acme." in doc.text
    assert doc.find("html").attrs["lang"] == "en"
    no_outside_resources(doc, html)


@pytest.mark.parametrize(
    ("locale", "marker", "button"),
    [("en", "-- Reply above this line --", "Follow your request"), ("es", "-- Responda encima de esta línea --", "Seguir su solicitud")],
)
def test_every_email_starts_with_the_reply_above_marker_in_the_customers_language(jobs, inbox, locale, marker, button):
    ticket = factories.ticket(locale=locale)
    reply_to(ticket, "We are on it.")
    jobs()
    assert len(inbox.messages) == 2
    for mail in inbox.messages:
        text, doc, html = parts(mail)
        assert text.splitlines()[0] == marker
        hidden = doc.find(id=REPLY_MARKER_ID)
        assert "display: none" in hidden.attrs["style"]
        # the hidden element comes first, then the visible line, then the company's name and the message
        assert html.index(REPLY_MARKER_ID) < html.index(marker) < html.index("helpdesk-company")
        assert doc.find("html").attrs["lang"] == locale
    assert parts(inbox.messages[0])[1].find("a", class_="helpdesk-button").text.strip() == button


def test_email_in_knows_the_marker_line_in_every_language(app):
    assert reply_marker_lines() == {"-- Reply above this line --", "-- Responda encima de esta línea --"}


def test_reply_quotes_the_customers_latest_public_message_under_it(jobs, inbox):
    ticket = factories.ticket(body="The printer is on fire.")
    reply_to(ticket, "Is it still burning?", customer_says="It stopped, but it smells.", note="VIP customer: be nice")
    jobs()
    text, doc, _html = parts(inbox.messages[-1])

    reply_at, quote_at = text.index("Is it still burning?"), text.index("> It stopped, but it smells.")
    assert reply_at < quote_at
    assert re.search(r"On .+ at .+, Carla Customer wrote:\n> It stopped, but it smells\.", text)
    quote = doc.find("blockquote", class_="helpdesk-quote")
    assert quote.text.strip() == "It stopped, but it smells."
    assert doc.text.index("Is it still burning?") < doc.text.index("It stopped, but it smells.")
    assert "The printer is on fire" not in doc.text + text  # the earlier message is not repeated
    assert "VIP" not in doc.text + text  # an internal note never reaches the customer


def test_first_reply_quotes_the_original_request_in_the_customers_language(jobs, inbox):
    ticket = factories.ticket("Impresora", body="La impresora echa humo.\nDesde esta mañana.", locale="es")
    reply_to(ticket, "Le enviamos un técnico.")
    jobs()
    text, doc, _html = parts(inbox.messages[-1])
    assert re.search(r"El .+ a las .+, Carla Customer escribió:\n> La impresora echa humo\.\n> Desde esta mañana\.", text)
    quote = doc.find("blockquote", class_="helpdesk-quote")
    assert [line.strip() for line in quote.text.strip().splitlines()] == ["La impresora echa humo.", "Desde esta mañana."]
    assert doc.find("a", class_="helpdesk-button").text.strip() == "Ver la conversación y responder"


def test_links_in_the_reply_are_clickable_and_html_in_anyones_text_is_shown_not_run(jobs, inbox):
    ticket = factories.ticket(
        "Help <b>now</b>",
        name='Eve <img src=x onerror="alert(1)">',
        body='See <a href="javascript:alert(1)">this</a> and https://evil.test/"><script>alert(2)</script>',
    )
    reply_to(ticket, "Read https://acme.test/help?a=1&b=2, then (see https://acme.test/faq).\n<script>alert(3)</script> <i>ok</i>")
    jobs()
    for mail in inbox.messages:
        _text, doc, html = parts(mail)
        no_outside_resources(doc, html)
        assert not doc.find_all("b") and not doc.find_all("i")
        assert "<b>now</b>" in doc.text
    _text, doc, _html = parts(inbox.messages[-1])
    reply = doc.find(class_="helpdesk-reply")
    links = [(a.attrs["href"], a.attrs["rel"], a.text) for a in reply.find_all("a")]
    assert links == [
        ("https://acme.test/help?a=1&b=2", "noopener noreferrer", "https://acme.test/help?a=1&b=2"),
        ("https://acme.test/faq", "noopener noreferrer", "https://acme.test/faq"),
    ]
    assert "<script>alert(3)</script> <i>ok</i>" in reply.text
    quote = doc.find("blockquote", class_="helpdesk-quote")
    assert '<a href="javascript:alert(1)">this</a>' in quote.text
    assert [a.attrs["href"] for a in quote.find_all("a")] == ["https://evil.test/"]
    assert 'Eve <img src=x onerror="alert(1)"> wrote:' in doc.text


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("plain", "plain"),
        ("go to https://a.test/x.", 'go to <a href="https://a.test/x" rel="noopener noreferrer">https://a.test/x</a>.'),
        (
            "(https://a.test/wiki/Foo_(bar))",
            '(<a href="https://a.test/wiki/Foo_(bar)" rel="noopener noreferrer">https://a.test/wiki/Foo_(bar)</a>)',
        ),
        (
            "HTTPS://A.TEST/?q=1&r=<2>",
            '<a href="HTTPS://A.TEST/?q=1&amp;r=" rel="noopener noreferrer">HTTPS://A.TEST/?q=1&amp;r=</a>&lt;2&gt;',
        ),
        (
            '"https://a.test/"onmouseover=x',
            '&#34;<a href="https://a.test/" rel="noopener noreferrer">https://a.test/</a>&#34;onmouseover=x',
        ),
        ("https:// and http://", "https:// and http://"),
        ("javascript:alert(1) ftp://a.test", "javascript:alert(1) ftp://a.test"),
    ],
)
def test_linkify_escapes_text_and_links_only_http_addresses(text, html):
    assert linkify(text) == html


def test_paragraphs_keep_the_lines_and_blank_lines_of_plain_text():
    assert paragraphs("Hi,\r\n\r\n\r\none\ntwo <3", style="m") == '<p style="m">Hi,</p><p style="m">one<br>\ntwo &lt;3</p>'
    assert paragraphs("") == ""


def test_quoted_text_starts_every_line_with_a_marker():
    assert quoted("one\n\ntwo\r\n") == "> one\n>\n> two"


def test_a_very_long_customer_message_is_quoted_shortened(jobs, inbox):
    ticket = factories.ticket(body="word " * 2000 + "THE-END")
    reply_to(ticket, "Thanks, we read it all.")
    jobs()
    text, doc, _html = parts(inbox.messages[-1])
    quote = doc.find("blockquote", class_="helpdesk-quote").text.strip()
    assert 3900 < len(quote) <= 4000 and quote.endswith("...") and "THE-END" not in text


def test_admins_see_the_html_version_in_a_sandboxed_frame(client):
    factories.ticket(name="Eve <script>alert(1)</script>")
    email_id = db.session.scalars(select(OutgoingEmail.id)).one()
    factories.login(client, factories.admin())
    page = parse(client.get(f"/admin/outgoing-mail/{email_id}").text)
    frame = page.find("iframe", class_="email-html")
    assert frame.attrs["src"] == f"/admin/outgoing-mail/{email_id}/html" and "sandbox" in frame.attrs
    assert "Follow your request and reply to us here:" in page.find("pre", class_="email-body").text  # and the text part

    preview = client.get(frame.attrs["src"])
    assert preview.status_code == 200 and preview.mimetype == "text/html"
    csp = preview.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    doc = parse(preview.text)
    assert doc.find("base").attrs["target"] == "_blank"  # links leave the frame
    assert doc.find("a", class_="helpdesk-button").attrs["href"].startswith("http://helpdesk.test/my/")
    assert not doc.find_all("script")


def test_the_html_version_is_for_admins_only(client):
    factories.ticket()
    email_id = db.session.scalars(select(OutgoingEmail.id)).one()
    assert client.get(f"/admin/outgoing-mail/{email_id}/html").status_code == 302  # to sign in
    factories.login(client, factories.agent())
    assert client.get(f"/admin/outgoing-mail/{email_id}/html").status_code == 403
    factories.login(client, factories.admin())
    assert client.get(f"/admin/outgoing-mail/{email_id + 1}/html").status_code == 404
