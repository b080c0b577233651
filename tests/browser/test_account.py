"""A forgotten password in a real browser: from the sign-in page to the emailed link, a new password, and signing
in with it; screenshots of the account pages on a phone and a laptop, in English and Spanish."""

import re

import pytest
from playwright.sync_api import expect

from helpdesk.core.extensions import db
from tests import factories
from tests.conftest import run_jobs

pytestmark = pytest.mark.browser

NEW = "plum tractor lagoon whistle"


def emailed_link(app, inbox) -> str:
    run_jobs(app)
    texts = [mail.get_body(("plain",)).get_content() for mail in inbox.messages]
    (link,) = [link for text in texts for link in re.findall(r"http://\S+/password/reset/\S+", text)]
    return link


def test_forgot_password_from_the_sign_in_page_to_signing_in_with_the_new_one(browser, live_server, app, inbox, shot):
    factories.agent("Olga Agent", email="olga@acme.test")
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("Email").fill("olga@acme.test")
    page.get_by_role("button", name="Email me a reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(emailed_link(app, inbox))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.locator("#new_password").fill("password1234")
    page.locator("#confirm").fill("password1234")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("This password is too easy to guess.")).to_be_visible()
    page.locator("#new_password").fill(NEW)
    page.locator("#confirm").fill(NEW)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Sign in with your new password.")).to_be_visible()
    page.get_by_label("Email").fill("olga@acme.test")
    page.get_by_label("Password").fill(NEW)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/tickets/")
    page.goto(f"{live_server}/account")
    expect(page.get_by_label("Your name")).to_have_value("Olga Agent")


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("language", ["en", "es"])
def test_screenshots_of_the_account_and_password_pages(browser, live_server, app, inbox, shot, width, language):
    user = factories.agent("Olga Agent", email="olga@acme.test", locale=language)
    user.timezone = "Europe/Madrid"
    db.session.commit()
    size = "phone" if width == 390 else "laptop"
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/lang/{language}?next=/password/forgot")
    shot(page, f"h8-forgot-password-{language}-{size}")
    page.locator("#email").fill("olga@acme.test")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/password/forgot/sent")
    shot(page, f"h8-reset-link-sent-{language}-{size}")
    link = emailed_link(app, inbox)
    page.goto(link)
    page.locator("#new_password").fill("olgaagent123")
    page.locator("#confirm").fill("olgaagent123")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".field-error")).to_be_visible()
    shot(page, f"h8-reset-password-weak-{language}-{size}")
    page.goto(link[:-4] + "AAAA")
    shot(page, f"h8-reset-link-invalid-{language}-{size}")
    page.goto(f"{live_server}/login")
    page.locator("#email").fill("olga@acme.test")
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/tickets/")
    page.goto(f"{live_server}/account")
    expect(page.locator("#timezone-filter")).to_be_visible()
    page.locator("#timezone-filter").fill("buenos")
    page.locator("#timezone").select_option("America/Argentina/Buenos_Aires")
    expect(page.locator("#local-time")).to_contain_text("Buenos Aires")
    shot(page, f"h8-account-{language}-{size}")
    page.goto(f"{live_server}/account/security")
    page.locator("#new_password").fill("olgaagent123")
    page.locator("#confirm").fill("olgaagent123")
    page.locator("#current_password").fill(factories.PASSWORD)
    page.locator("#password form button[type=submit]").click()
    expect(page.locator(".field-error")).to_be_visible()
    shot(page, f"h8-account-security-weak-{language}-{size}")
    context.close()
