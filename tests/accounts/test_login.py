"""Staff sign in and out."""

import time

import time_machine

from helpdesk.accounts.services import set_password
from helpdesk.core.extensions import db
from tests import factories


def sign_in(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_agent_signs_in_and_sees_the_queue(client):
    factories.agent("Olga", email="olga@acme.test")
    response = sign_in(client, "OLGA@acme.test", factories.PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == "/tickets/"
    assert "Olga" in client.get("/tickets/").text


def test_unknown_email_and_wrong_password_get_the_same_message(client):
    factories.agent(email="olga@acme.test")
    wrong_password = sign_in(client, "olga@acme.test", "nope")
    unknown_email = sign_in(client, "nobody@acme.test", factories.PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert "Wrong email or password." in wrong_password.text
    assert "Wrong email or password." in unknown_email.text


def test_inactive_agent_cannot_sign_in(client):
    user = factories.agent(email="gone@acme.test")
    user.active = False
    db.session.commit()
    assert sign_in(client, "gone@acme.test", factories.PASSWORD).status_code == 401


def test_login_attempts_are_rate_limited(make_app, app):
    client = make_app(LOGIN_RATE_LIMIT="3 per minute").test_client()
    codes = [sign_in(client, "olga@acme.test", "guess").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert "Too many attempts" in sign_in(client, "olga@acme.test", "guess").text


def test_queue_requires_sign_in_and_comes_back_after(client):
    factories.agent(email="olga@acme.test")
    response = client.get("/tickets/?view=mine")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    response = client.post(response.headers["Location"], data={"email": "olga@acme.test", "password": factories.PASSWORD})
    assert response.headers["Location"] == "/tickets/?view=mine"


def test_sign_in_never_redirects_to_another_site(client):
    factories.agent(email="olga@acme.test")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={target}", data={"email": "olga@acme.test", "password": factories.PASSWORD})
        assert response.headers["Location"] == "/tickets/"
        client.post("/logout")


def test_htmx_request_when_signed_out_redirects_the_whole_page(client):
    response = client.get("/tickets/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_logout_ends_the_session_on_the_server(client, app):
    user = factories.agent(email="olga@acme.test")
    sign_in(client, "olga@acme.test", factories.PASSWORD)
    with client.session_transaction() as session:
        stolen = dict(session)
    client.post("/logout")
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(stolen)
    assert thief.get("/tickets/").status_code == 302
    assert user.id


def test_password_change_signs_out_other_sessions(client):
    user = factories.agent(email="olga@acme.test")
    sign_in(client, "olga@acme.test", factories.PASSWORD)
    assert client.get("/tickets/").status_code == 200
    set_password(user, "a new long password")
    db.session.commit()
    assert client.get("/tickets/").status_code == 302


def test_preferences_change_language_and_time_zone(client):
    user = factories.agent()
    factories.login(client, user)
    response = client.post("/account", data={"locale": "es", "timezone": "Europe/Madrid"})
    assert response.status_code == 303
    assert "Tickets" in client.get("/tickets/").text
    assert "Sin asignar" in client.get("/tickets/").text
    db.session.commit()
    assert user.timezone == "Europe/Madrid"


def test_session_cookie_is_httponly_and_samesite_lax(client):
    factories.agent(email="olga@acme.test")
    response = sign_in(client, "olga@acme.test", factories.PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_passwords_from_many_addresses_are_throttled_per_account(make_app, app):
    """90 guesses at one account from 30 addresses: after a handful the account is refused with Retry-After."""
    factories.agent(email="olga@acme.test")
    client = make_app(RATELIMIT_STORAGE_URI="memory://").test_client()
    codes = []
    for attempt in range(90):
        address = f"198.51.100.{attempt % 30 + 1}"
        codes.append(sign_in(client, "olga@acme.test", f"guess-{attempt}", environ_base={"REMOTE_ADDR": address}).status_code)
    assert codes[:5] == [401] * 5
    assert set(codes[5:]) == {429}
    refused = sign_in(client, "olga@acme.test", factories.PASSWORD, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_the_wait_grows_and_then_the_right_password_works_from_a_new_address(make_app, app):
    factories.agent(email="olga@acme.test")
    client = make_app(RATELIMIT_STORAGE_URI="memory://").test_client()
    start = time.time()
    with time_machine.travel(start, tick=False) as clock:
        for minute in range(4):  # five guesses a minute, for four minutes: twenty
            clock.move_to(start + minute * 61)
            for attempt in range(5):
                address = {"REMOTE_ADDR": f"198.51.100.{minute * 5 + attempt + 1}"}
                assert sign_in(client, "olga@acme.test", "guess", environ_base=address).status_code == 401
        clock.move_to(start + 5 * 61)
        refused = sign_in(client, "olga@acme.test", factories.PASSWORD, environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert refused.status_code == 429
        assert 60 < int(refused.headers["Retry-After"]) <= 15 * 60
        assert "Please try again in" in refused.text
        clock.move_to(start + 16 * 60)
        welcome = sign_in(client, "olga@acme.test", factories.PASSWORD, environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert welcome.status_code == 303


def test_other_accounts_are_not_slowed_by_guesses_at_one(make_app, app):
    factories.agent(email="olga@acme.test")
    factories.agent(email="pablo@acme.test")
    client = make_app(RATELIMIT_STORAGE_URI="memory://").test_client()
    for attempt in range(8):
        sign_in(client, "olga@acme.test", "guess", environ_base={"REMOTE_ADDR": f"198.51.100.{attempt + 1}"})
    response = sign_in(client, "pablo@acme.test", factories.PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.50"})
    assert response.status_code == 303


def test_every_refusal_for_too_many_attempts_says_when_to_come_back(make_app, app):
    client = make_app(LOGIN_RATE_LIMIT="2 per minute").test_client()
    codes = [sign_in(client, "olga@acme.test", "guess").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    refused = sign_in(client, "olga@acme.test", "guess")
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
