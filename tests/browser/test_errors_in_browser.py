"""Faults seen in a real browser: a busy database, a full disk, too many sign-ins, and the account page."""

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from helpdesk.core.extensions import db
from tests import factories
from tests.conftest import free_port
from tests.test_errors_under_faults import locked

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def server(make_app, app) -> Iterator[str]:
    """The app with CSRF on and short lock waits, so a held lock becomes a 503 at once."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    served = make_app(WTF_CSRF_ENABLED=True, BASE_URL=url, SQLITE_BUSY_TIMEOUT=0.3, DATABASE_LOCK_TIMEOUT=0.3)
    httpd = make_server("127.0.0.1", port, served, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield url
    httpd.shutdown()
    thread.join(timeout=5)


def fill_request(page, server: str, lang: str) -> None:
    page.goto(f"{server}/lang/{lang}?next=/requests/new")
    page.locator("#name").fill("Carla")
    page.locator("#email").fill("carla@example.com")
    page.locator("#subject").fill("Shoes too small")
    page.locator("#message").fill("I would like to return them.\nThey are a size too small.")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_request_sent_while_the_database_is_busy_is_sent_again_from_the_503_page(browser, server, app, shot, lang):
    for size, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport).new_page()
        fill_request(page, server, lang)
        with locked():
            page.locator("form button[type=submit]").last.click()
            expect(page.locator("h1")).to_have_text("We are very busy right now" if lang == "en" else "Ahora mismo estamos muy ocupados")
        expect(page.locator("textarea[name=message]")).to_have_value("I would like to return them.\nThey are a size too small.")
        shot(page, f"h8-503-{lang}-{size}")
        page.locator("form button[type=submit]").click()  # "Send again", once the lock is gone
        expect(page.locator(".reference")).to_be_visible()
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_request_with_a_file_on_a_full_disk_keeps_the_form(browser, server, app, shot, tmp_path, monkeypatch, lang):
    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("helpdesk.core.storage.os.fsync", no_space)
    receipt = tmp_path / "receipt.txt"
    receipt.write_text("Order 77120")
    for size, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport).new_page()
        fill_request(page, server, lang)
        page.locator("input[type=file]").set_input_files(str(receipt))
        page.locator("form button[type=submit]").last.click()
        expect(page.locator(".field-error").first).to_be_visible()
        expect(page.locator("#subject")).to_have_value("Shoes too small")
        expect(page.locator("#message")).to_have_value("I would like to return them.\nThey are a size too small.")
        shot(page, f"h8-507-{lang}-{size}")
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_too_many_sign_ins_say_when_to_come_back(browser, server, app, shot, lang):
    factories.agent(email="olga@acme.test")
    db.session.commit()
    for size, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(f"{server}/lang/{lang}?next=/login")
        for _ in range(6 if size == "phone" else 1):
            page.locator("#email").fill("olga@acme.test")
            page.locator("#password").fill("wrong guess")
            page.locator("form button[type=submit]").click()
        expect(page.locator("h1")).to_have_text("Slow down" if lang == "en" else "Más despacio")
        shot(page, f"h8-429-{lang}-{size}")
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_account_page_signs_out_everywhere(browser, server, app, shot, lang):
    factories.agent("Olga Agent", email="olga@acme.test", locale=lang)
    db.session.commit()
    for size, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(f"{server}/login")
        page.locator("#email").fill("olga@acme.test")
        page.locator("#password").fill(factories.PASSWORD)
        page.locator("form button[type=submit]").click()
        page.get_by_role("link", name="Olga Agent").click()
        page.get_by_role("link", name="Password and sign-in" if lang == "en" else "Contraseña e inicio de sesión").click()
        expect(page.locator("#sessions li")).to_have_count(1 if size == "phone" else 2)
        shot(page, f"h8-account-{lang}-{size}")
    button = page.get_by_role("button", name="Sign out everywhere" if lang == "en" else "Cerrar sesión en todas partes", exact=True)
    button.click()
    expect(page.locator("#password")).to_be_visible()  # the sign-in form
    page.goto(f"{server}/tickets/")
    expect(page.locator("#password")).to_be_visible()


def test_an_agent_reply_while_the_database_is_busy_stays_in_the_box_with_a_message(browser, server, app, shot):
    factories.agent("Olga Agent", email="olga@acme.test")
    ticket = factories.ticket(notify=False)
    number = ticket.number
    db.session.commit()
    page = browser.new_context(viewport=SIZES["desktop"]).new_page()
    page.goto(f"{server}/login?next=/tickets/{number}")
    page.locator("#email").fill("olga@acme.test")
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").click()
    body = page.locator("[data-reply-body]")
    body.fill("The new part ships today.\nTracking follows.")
    with locked(db.session.get(type(ticket), ticket.id)):
        page.locator("[data-composer] [data-primary]:visible").first.click()
        expect(page.locator("#htmx-alert")).to_contain_text("Nothing was saved.")
    expect(body).to_have_value("The new part ships today.\nTracking follows.")
    shot(page, "h8-503-agent-reply-en-desktop")
    page.locator("[data-composer] [data-primary]:visible").first.click()
    expect(page.locator("#main")).to_contain_text("The new part ships today.")
