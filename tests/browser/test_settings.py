"""Settings in a real browser: the owner brands the help centre (name, accent colour, logo, welcome) and sees it on
the portal; sets up the mail server and watches the test email go from queued to sent. Screenshots on a phone
and a laptop, in English and Spanish."""

import math
import struct
import zlib

import pytest
from playwright.sync_api import expect

from helpdesk.accounts.models import Role
from tests import factories
from tests.conftest import run_jobs

pytestmark = pytest.mark.browser


def sun_logo(width: int = 48, height: int = 48) -> bytes:
    """A small RGBA PNG: an orange sun on transparent ground."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            inside = math.hypot(x - 24, y - 24) < 18
            ray = not inside and math.hypot(x - 24, y - 24) < 23 and (x + y) % 6 < 2
            row += bytes((232, 120, 20, 255)) if inside or ray else bytes((0, 0, 0, 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")


def signed_in(browser, live_server, email: str, *, width: int = 1366):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/tickets/")
    return page


def test_the_owner_brands_the_help_centre_and_sends_a_test_email(browser, live_server, app, smtp, inbox, shot):
    owner = factories.agent("Olivia Owner", role=Role.OWNER, email="olivia@sol.example.com")
    page = signed_in(browser, live_server, owner.email)
    page.goto(f"{live_server}/admin/settings")
    page.get_by_label("Company name").fill("Panadería Sol")
    page.get_by_label("Accent colour").fill("#9b2c1c")
    page.get_by_label("Logo").set_input_files({"name": "sol.png", "mimeType": "image/png", "buffer": sun_logo()})
    page.get_by_label("Welcome heading (English)").fill("Fresh bread, quick answers")
    page.get_by_label("Welcome text (English)").fill("Ask about orders, deliveries and allergens.")
    page.get_by_label("Welcome heading (Spanish)").fill("Pan recién hecho, respuestas rápidas")
    page.get_by_label("Welcome text (Spanish)").fill("Pregunte por pedidos, entregas y alérgenos.")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.locator(".staff-nav .brand")).to_contain_text("Panadería Sol")
    expect(page.locator(".staff-nav .brand img")).to_be_visible()
    shot(page, "settings-general-en-desktop")

    # A colour too light for white text is refused, saying its contrast.
    page.get_by_label("Accent colour").fill("#f0a0a0")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".field-error")).to_contain_text(":1 against white")

    portal = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    portal.goto(live_server + "/")
    expect(portal.locator(".portal-header")).to_contain_text("Panadería Sol")
    expect(portal.locator("h1")).to_have_text("Fresh bread, quick answers")
    expect(portal.locator(".portal-header .brand img")).to_be_visible()
    assert portal.locator(".portal-header").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(155, 44, 28)"
    assert portal.locator("a.big").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(155, 44, 28)"
    shot(portal, "portal-branding-en-desktop")
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(live_server + "/")
    shot(phone, "portal-branding-en-phone")
    phone.goto(f"{live_server}/lang/es?next=/")
    expect(phone.locator("h1")).to_have_text("Pan recién hecho, respuestas rápidas")
    shot(phone, "portal-branding-es-phone")
    portal.goto(f"{live_server}/lang/es?next=/")
    shot(portal, "portal-branding-es-desktop")

    # Email sending: the saved server, then a test email followed live.
    page.goto(f"{live_server}/admin/settings/email")
    page.get_by_label("SMTP server").fill("127.0.0.1")
    page.get_by_label("Port").fill(str(smtp[1]))
    page.get_by_label("Security").select_option("none")
    page.get_by_label("Password").fill("bakery-smtp-pass")
    page.get_by_label("Sender name").fill("Panadería Sol")
    page.get_by_label("Sender address").fill("hola@sol.example.com")
    page.get_by_role("button", name="Save email settings").click()
    expect(page.get_by_text("Email settings saved.")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_have_value("")  # never filled back
    page.get_by_role("button", name="Send a test email").click()
    expect(page.locator("#smtp-check")).to_contain_text("Queued")
    run_jobs(app)  # the worker
    expect(page.locator("#smtp-check")).to_contain_text("Sent.", timeout=10000)  # the fragment polls itself
    shot(page, "settings-email-en-desktop")
    [message] = inbox.messages
    assert message["To"] == "olivia@sol.example.com" and "Panadería Sol" in message["From"]
    assert "/branding/logo-" in message.get_body(("html",)).get_content()


@pytest.mark.parametrize(("locale", "width", "name"), [("en", 390, "en-phone"), ("es", 1366, "es-desktop"), ("es", 390, "es-phone")])
def test_screenshots_of_the_settings_pages(browser, live_server, app, shot, locale, width, name):
    owner = factories.agent("Ana Owner", role=Role.OWNER, email="ana@sol.example.com", locale=locale)
    page = signed_in(browser, live_server, owner.email, width=width)
    page.goto(f"{live_server}/admin/settings")
    expect(page.locator("h1")).to_have_text("Settings" if locale == "en" else "Ajustes")
    shot(page, f"settings-general-{name}")
    page.goto(f"{live_server}/admin/settings/email")
    expect(page.locator("#smtp-check")).to_have_count(1)
    shot(page, f"settings-email-{name}")
