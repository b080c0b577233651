"""The account page: name, language and time zone (with the local time), and where you are signed in."""

import pytest

from helpdesk.accounts.devices import device_name
from helpdesk.accounts.models import StaffSession
from helpdesk.core.extensions import db
from tests import factories

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
SAFARI_IPHONE = f"{IPHONE} Version/17.5 Mobile/15E148 Safari/604.1"


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            f"{IPHONE} CriOS/131.0 Mobile/15E148 Safari/604.1",
            "Chrome on iPhone",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", "Unknown device"),
    ],
)
def test_a_device_reads_as_browser_on_system(app, agent, name):
    with app.test_request_context():
        assert device_name(agent) == name


def signed_in(client, **kwargs):
    user = factories.agent("Tess Agent", email="tess@acme.test", **kwargs)
    factories.login(client, user)
    return user


def test_the_account_page_shows_name_language_time_zone_and_the_local_time(client):
    user = signed_in(client)
    user.timezone = "Asia/Tokyo"
    db.session.commit()
    page = client.get("/account").text
    assert 'value="Tess Agent"' in page and "tess@acme.test" in page
    assert "Your time zone is Tokyo (UTC+09:00). Local time there now:" in page
    assert 'href="/account/security"' in page and "Password and sign-in" in page


def test_changing_the_name_language_and_time_zone(client):
    user = signed_in(client)
    response = client.post("/account", data={"name": "  Tess  Q. Agent ", "locale": "es", "timezone": "America/Mexico_City"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.name, user.locale, user.timezone) == ("Tess Q. Agent", "es", "America/Mexico_City")
    page = client.get("/account").text
    assert "Su zona horaria es Mexico City (UTC-0" in page and "Perfil y preferencias" in page


def test_an_empty_name_is_refused_and_the_form_kept(client):
    user = signed_in(client)
    response = client.post("/account", data={"name": "   ", "locale": "es", "timezone": "Europe/Madrid"})
    assert response.status_code == 422 and "Please enter your name." in response.text
    assert '<option selected value="Europe/Madrid">Madrid</option>' in response.text
    db.session.refresh(user)
    assert (user.name, user.timezone) == ("Tess Agent", None)


def test_the_sessions_list_names_each_device_and_signs_out_the_others(app):
    factories.agent(email="olga@acme.test")
    laptop, phone, tablet = app.test_client(), app.test_client(), app.test_client()
    for client, agent in ((laptop, FIREFOX_WINDOWS), (phone, SAFARI_IPHONE), (tablet, SAFARI_IPHONE)):
        client.post("/login", data={"email": "olga@acme.test", "password": factories.PASSWORD}, headers={"User-Agent": agent})
    page = laptop.get("/account/security").text
    assert "Firefox on Windows" in page and page.count("Safari on iPhone") >= 2 and "This device" in page
    assert "Sign out everywhere else" in page
    phone_session = db.session.scalars(db.select(StaffSession).where(StaffSession.user_agent == SAFARI_IPHONE)).first()
    assert laptop.post(f"/account/sessions/{phone_session.id}/end").status_code == 303
    states = [phone.get("/tickets/").status_code, tablet.get("/tickets/").status_code]
    assert sorted(states) == [200, 302]  # exactly one of the two iPhone sign-ins ended
    response = laptop.post("/account/sign-out-others")
    assert response.status_code == 303
    assert "You are signed out on every other device." in laptop.get("/account/security").text
    assert phone.get("/tickets/").status_code == 302 and tablet.get("/tickets/").status_code == 302
    assert laptop.get("/tickets/").status_code == 200


def test_one_cannot_sign_out_someone_elses_session(app):
    factories.agent(email="olga@acme.test")
    other = factories.agent(email="pat@acme.test")
    pat = app.test_client()
    pat.post("/login", data={"email": "pat@acme.test", "password": factories.PASSWORD})
    olga = app.test_client()
    olga.post("/login", data={"email": "olga@acme.test", "password": factories.PASSWORD})
    pats = db.session.scalar(db.select(StaffSession).where(StaffSession.user_id == other.id))
    olga.post(f"/account/sessions/{pats.id}/end")
    assert pat.get("/tickets/").status_code == 200


def test_each_session_shows_its_address_and_when_it_was_last_used(app):
    import time_machine

    factories.agent(email="olga@acme.test")
    laptop, phone = app.test_client(), app.test_client()
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        laptop.post(
            "/login", data={"email": "olga@acme.test", "password": factories.PASSWORD}, environ_base={"REMOTE_ADDR": "198.51.100.4"}
        )
        phone.post("/login", data={"email": "olga@acme.test", "password": factories.PASSWORD}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
        clock.shift(3 * 3600)
        phone.get("/tickets/", environ_base={"REMOTE_ADDR": "203.0.113.77"})  # the phone moved to another network
        page = " ".join(laptop.get("/account/security", environ_base={"REMOTE_ADDR": "198.51.100.4"}).text.split())
    assert "IP address 198.51.100.4" in page and "IP address 203.0.113.77" in page
    assert "Signed in 11/23/26, 9:00 AM · last active 11/23/26, 12:00 PM" in page
