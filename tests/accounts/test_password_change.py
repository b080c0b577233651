"""Changing the password on the account page: the current one first, the same rule as everywhere, the other
devices signed out, and an email saying it changed."""

from tests import factories

NEW = "plum tractor lagoon whistle"
FIREFOX = {"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"}


def sign_in(client, password=factories.PASSWORD, **data):
    return client.post("/login", data={"email": "olga@acme.test", "password": password, **data}, headers=FIREFOX)


def change(client, new=NEW, current=factories.PASSWORD, confirm=None):
    data = {"current_password": current, "new_password": new, "confirm": new if confirm is None else confirm}
    return client.post("/account/password", data=data, headers=FIREFOX, environ_base={"REMOTE_ADDR": "203.0.113.7"})


def test_a_weak_new_password_is_refused_with_zxcvbn_feedback_and_not_echoed(client):
    factories.agent("Olga Petrova", email="olga@acme.test")
    sign_in(client)
    response = change(client, "olgapetrova1")
    assert response.status_code == 422
    assert "This password is too easy to guess." in response.text
    assert "It contains your name or email address." in response.text
    assert "olgapetrova1" not in response.text and factories.PASSWORD not in response.text
    assert sign_in(client.application.test_client()).status_code == 303  # nothing changed


def test_a_short_new_password_is_refused(client):
    factories.agent(email="olga@acme.test")
    sign_in(client)
    response = change(client, "short pw")
    assert response.status_code == 422 and "A password has at least 12 characters." in response.text


def test_the_weak_password_feedback_is_in_spanish_for_a_spanish_speaker(client):
    factories.agent(email="olga@acme.test", locale="es")
    sign_in(client)
    response = change(client, "password1234")
    assert response.status_code == 422
    assert "Esta contraseña es demasiado fácil de adivinar." in response.text


def test_the_current_password_is_required(client):
    factories.agent(email="olga@acme.test")
    sign_in(client)
    response = change(client, current="not my password")
    assert response.status_code == 422 and "That is not your current password." in response.text


def test_a_change_keeps_this_device_ends_the_others_and_emails_the_user(app, client, jobs, inbox):
    factories.agent("Olga Petrova", email="olga@acme.test")
    phone = app.test_client()
    sign_in(client)
    sign_in(phone)
    response = change(client)
    assert response.status_code == 303 and response.headers["Location"] == "/account/security"
    page = client.get("/account/security")
    assert page.status_code == 200 and "You are signed out on every other device." in page.text
    assert page.text.count("Firefox on Windows") == 1  # the phone's session is gone from the list
    assert phone.get("/tickets/").status_code == 302
    assert client.get("/tickets/").status_code == 200
    jobs()
    (mail,) = inbox.messages
    assert mail["To"] == "olga@acme.test" and mail["Subject"] == "Your password for Acme was changed"
    text = mail.get_body(("plain",)).get_content()
    assert "was changed on" in text and "(UTC)" in text
    assert "It was changed from Firefox on Windows (IP address 203.0.113.7)." in text
    assert "If this wasn't you, contact your admin at once." in text
    assert NEW not in text and factories.PASSWORD not in text
    assert sign_in(app.test_client(), NEW).status_code == 303


def test_keep_me_signed_in_survives_a_password_change_on_this_device(app, client):
    factories.agent(email="olga@acme.test")
    sign_in(client, remember="y")
    assert change(client).status_code == 303
    with client.session_transaction() as session:
        session.clear()  # the browser was closed: only the remember-me cookie is left
    assert client.get("/tickets/").status_code == 200


def test_the_changed_email_is_in_the_users_language_and_time_zone(app, client, jobs, inbox):
    user = factories.agent(email="olga@acme.test", locale="es")
    user.timezone = "Europe/Madrid"
    from helpdesk.core.extensions import db

    db.session.commit()
    sign_in(client)
    assert change(client).status_code == 303
    jobs()
    (mail,) = inbox.messages
    assert "contraseña" in mail["Subject"]
    assert "(Europe/Madrid)" in mail.get_body(("plain",)).get_content()
