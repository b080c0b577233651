"""Staff sessions: how long they last, what signing out ends, the account page, and what browsers may keep."""

import io
import time
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import time_machine

from helpdesk.accounts.models import StaffSession
from helpdesk.core.extensions import db
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Attachment
from tests import factories


def sign_in(client, email="olga@acme.test", password=factories.PASSWORD, **data):
    return client.post(
        "/login", data={"email": email, "password": password, **data}, headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/133.0"}
    )


def cookie(response, name: str):
    for header in response.headers.getlist("Set-Cookie"):
        parsed = SimpleCookie(header)
        if name in parsed:
            return parsed[name], header
    return None, None


def test_keep_me_signed_in_lasts_thirty_days_not_a_year(client):
    factories.agent(email="olga@acme.test")
    morsel, _ = cookie(sign_in(client, remember="y"), "remember_token")
    expires = datetime.strptime(morsel["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)


def test_remember_days_is_configurable(make_app, app):
    factories.agent(email="olga@acme.test")
    client = make_app(REMEMBER_DAYS=7).test_client()
    morsel, _ = cookie(sign_in(client, remember="y"), "remember_token")
    expires = datetime.strptime(morsel["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert timedelta(days=6) < expires - datetime.now(UTC) <= timedelta(days=7)


def test_an_idle_staff_session_ends_after_twelve_hours(client):
    factories.agent(email="olga@acme.test")
    with time_machine.travel(time.time(), tick=False) as clock:
        sign_in(client)
        clock.shift(timedelta(hours=11))
        assert client.get("/tickets/").status_code == 200  # in use: the clock starts again
        clock.shift(timedelta(hours=11, minutes=59))
        assert client.get("/tickets/").status_code == 200
        clock.shift(timedelta(hours=12, minutes=1))
        response = client.get("/tickets/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        assert "You were signed out after 12 hours without activity." in client.get(response.headers["Location"]).text


def test_a_queue_left_open_polling_for_changes_does_not_keep_the_session_alive(client):
    factories.agent(email="olga@acme.test")
    with time_machine.travel(time.time(), tick=False) as clock:
        sign_in(client)
        for _ in range(13):
            clock.shift(timedelta(hours=1))
            client.get("/tickets/changes", headers={"HX-Request": "true"})
        assert client.get("/tickets/").status_code == 302
    db.session.rollback()
    assert db.session.scalars(db.select(StaffSession).where(StaffSession.ended_at.is_(None))).all() == []


def test_the_idle_limit_is_configurable_and_keep_me_signed_in_skips_it(make_app, app):
    factories.agent(email="olga@acme.test")
    app = make_app(STAFF_IDLE_HOURS=1)
    short, kept = app.test_client(), app.test_client()
    with time_machine.travel(time.time(), tick=False) as clock:
        sign_in(short)
        sign_in(kept, remember="y")
        clock.shift(timedelta(hours=2))
        assert short.get("/tickets/").status_code == 302
        assert kept.get("/tickets/").status_code == 200


def test_cookies_are_secure_when_the_site_is_https(make_app, app):
    factories.agent(email="olga@acme.test")
    client = make_app(BASE_URL="https://help.acme.test").test_client()
    response = sign_in(client, remember="y")
    for name in ("session", "remember_token"):
        _, header = cookie(response, name)
        assert "Secure" in header, name


def test_session_cookie_secure_overrides_the_guess(make_app, app):
    factories.agent(email="olga@acme.test")
    client = make_app(BASE_URL="https://help.acme.test", SESSION_COOKIE_SECURE=False).test_client()
    _, header = cookie(sign_in(client), "session")
    assert "Secure" not in header
    _, header = cookie(sign_in(make_app().test_client()), "session")
    assert "Secure" not in header  # http BASE_URL


def test_staff_pages_customer_pages_and_downloads_are_never_cached(client):
    agent = factories.agent(email="olga@acme.test")
    ticket = factories.ticket(notify=False)
    token = ticket_token(ticket)
    client.post(f"/my/{token}", data={"body": "The photo.", "attachments": (io.BytesIO(b"\x89PNG\r\n\x1a\nrest"), "error.png")})
    attachment_id = db.session.scalar(db.select(Attachment.id))
    public = [f"/my/{token}", f"/my/{token}/attachments/{attachment_id}"]
    staff = ["/tickets/", f"/tickets/{ticket.number}", f"/tickets/{ticket.number}/attachments/{attachment_id}", "/account/security", "/kb/"]
    for url in public:
        with client.get(url) as response:
            assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", url
    with client.get("/kb/") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")  # public pages may be cached
    factories.login(client, agent)
    for url in staff:
        with client.get(url) as response:
            assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", url
    with client.get("/static/css/app.css") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_signing_out_ends_this_session_only(app):
    factories.agent(email="olga@acme.test")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone, remember="y")
    with laptop.session_transaction() as session:
        stolen = dict(session)
    laptop.post("/logout")
    assert laptop.get("/tickets/").status_code == 302
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(stolen)
    assert thief.get("/tickets/").status_code == 302  # ended on the server, not only in the browser
    assert phone.get("/tickets/").status_code == 200


def test_sign_out_everywhere_ends_every_session_and_remember_me_cookie(app):
    factories.agent(email="olga@acme.test")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone, remember="y")
    page = laptop.get("/account/security")
    assert page.status_code == 200
    assert page.text.count("Firefox on Windows") == 2 and "This device" in page.text
    response = laptop.post("/account/sign-out-everywhere")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert "You are signed out on every device." in laptop.get("/login").text
    assert laptop.get("/tickets/").status_code == 302
    with phone.session_transaction() as session:
        session.clear()  # the browser was closed: only the remember-me cookie is left
    assert phone.get("/tickets/").status_code == 302
    db.session.rollback()
    assert db.session.scalars(db.select(StaffSession).where(StaffSession.ended_at.is_(None))).all() == []


def test_changing_the_password_keeps_this_device_and_ends_the_others(app):
    factories.agent(email="olga@acme.test")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone)
    wrong = laptop.post("/account/password", data={"current_password": "nope", "new_password": "a" * 12, "confirm": "a" * 12})
    assert wrong.status_code == 422 and "That is not your current password." in wrong.text
    data = {"current_password": factories.PASSWORD, "new_password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    assert laptop.post("/account/password", data=data).status_code == 303
    assert laptop.get("/tickets/").status_code == 200
    assert phone.get("/tickets/").status_code == 302
    assert sign_in(app.test_client(), password="a brand new passphrase").status_code == 303


def test_the_account_page_needs_a_signed_in_agent(client):
    assert client.get("/account/security").status_code == 302
    assert client.post("/account/sign-out-everywhere").status_code == 302
