"""Forgot password: a single-use link by email for one hour, the same answer for any address, limits, and every
session ending after the reset."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from tests import factories

NEW = "plum tractor lagoon whistle"


def ask(client, email: str, ip: str = "127.0.0.1"):
    return client.post("/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": ip})


def sign_in(client, password: str, email: str = "olga@acme.test"):
    return client.post("/login", data={"email": email, "password": password})


def reset_link(inbox) -> str:
    assert len(inbox.messages) == 1, [m["Subject"] for m in inbox.messages]
    text = inbox.messages[0].get_body(("plain",)).get_content()
    (link,) = re.findall(r"http://helpdesk\.test/password/reset/\S+", text)
    return link.removeprefix("http://helpdesk.test")


def kinds() -> list[str]:
    db.session.commit()
    return [row.kind for row in db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id))]


def test_the_sign_in_page_links_to_forgot_password(client):
    page = client.get("/login").text
    assert 'href="/password/forgot"' in page and "Forgot your password?" in page
    assert "Type the email address you sign in with." in client.get("/password/forgot").text


def test_forgot_password_emails_a_link_that_sets_a_new_password_and_ends_every_session(app, client, jobs, inbox):
    factories.agent("Olga Agent", email="olga@acme.test")
    phone = app.test_client()
    assert sign_in(phone, factories.PASSWORD).status_code == 303
    response = ask(client, "  Olga@Acme.test ")
    assert response.status_code == 303 and response.headers["Location"] == "/password/forgot/sent"
    assert "If that address belongs to an account here" in client.get("/password/forgot/sent").text
    jobs()
    mail = inbox.messages[0]
    assert mail["To"] == "olga@acme.test" and mail["Subject"] == "Reset your password for Acme"
    assert mail["Auto-Submitted"] == "auto-generated" or mail["Auto-Submitted"] == "auto-replied"
    assert "The link works once, for 60 minutes." in mail.get_body(("plain",)).get_content()
    link = reset_link(inbox)
    assert link in mail.get_body(("html",)).get_content()
    form = client.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.text and "olga@acme.test" in form.text
    inbox.clear()
    done = client.post(link, data={"new_password": NEW, "confirm": NEW})
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    assert "Sign in with your new password." in client.get("/login").text
    assert phone.get("/tickets/").status_code == 302  # the phone's session ended
    assert sign_in(app.test_client(), factories.PASSWORD).status_code == 401
    assert sign_in(app.test_client(), NEW).status_code == 303
    jobs()
    changed = inbox.messages[0]
    assert changed["Subject"] == "Your password for Acme was changed"
    text = changed.get_body(("plain",)).get_content()
    assert "was changed on" in text and "If this wasn't you, contact your admin at once." in text
    assert NEW not in text and NEW not in changed.get_body(("html",)).get_content()


def test_a_reset_link_works_once(client, jobs, inbox):
    factories.agent(email="olga@acme.test")
    ask(client, "olga@acme.test")
    jobs()
    link = reset_link(inbox)
    assert client.post(link, data={"new_password": NEW, "confirm": NEW}).status_code == 303
    again = client.get(link)
    assert again.status_code == 404 and "This link does not work any more" in again.text
    assert 'href="/password/forgot"' in again.text
    reused = client.post(link, data={"new_password": "another fine passphrase", "confirm": "another fine passphrase"})
    assert reused.status_code == 404
    assert sign_in(client, NEW).status_code == 303


def test_a_reset_link_expires_after_an_hour(client, jobs, inbox):
    factories.agent(email="olga@acme.test")
    with time_machine.travel("2026-11-23 10:00:00+00:00", tick=False) as clock:
        ask(client, "olga@acme.test")
        jobs()
        link = reset_link(inbox)
        clock.shift(timedelta(minutes=59))
        assert client.get(link).status_code == 200
        clock.shift(timedelta(minutes=2))
        expired = client.get(link)
        assert expired.status_code == 410
        assert "Password reset links work for one hour" in expired.text and "Email me a new link" in expired.text
        assert client.post(link, data={"new_password": NEW, "confirm": NEW}).status_code == 410
    assert sign_in(client, factories.PASSWORD).status_code == 303


def test_a_tampered_link_is_refused_kindly(client, jobs, inbox):
    user = factories.agent(email="olga@acme.test")
    other = factories.agent(email="pat@acme.test")
    ask(client, "olga@acme.test")
    jobs()
    link = reset_link(inbox)
    token = link.rsplit("/", 1)[1]
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    for bad in (f"/password/reset/{flipped}", f"/password/reset/{token[:20]}", "/password/reset/x" + "y" * 400):
        page = client.get(bad)
        assert page.status_code == 404 and "was already used, or it was copied only in part" in page.text, bad
    # Another user's id in a payload signed with another key is refused too
    forged = client.get(f"/password/reset/{token.replace(str(user.id), str(other.id), 1)}")
    assert forged.status_code == 404


def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_email(client, jobs, inbox):
    user = factories.agent(email="gone@acme.test")
    user.active = False
    db.session.commit()
    known = ask(client, "nobody@acme.test")
    gone = ask(client, "gone@acme.test")
    assert known.status_code == gone.status_code == 303
    assert known.headers["Location"] == gone.headers["Location"] == "/password/forgot/sent"
    assert jobs() == 0 and kinds() == [] and inbox.messages == []


def test_a_deactivated_user_cannot_use_a_link_sent_before(client, jobs, inbox):
    user = factories.agent(email="olga@acme.test")
    ask(client, "olga@acme.test")
    jobs()
    link = reset_link(inbox)
    user.active = False
    db.session.commit()
    assert client.get(link).status_code == 404
    assert client.post(link, data={"new_password": NEW, "confirm": NEW}).status_code == 404


def test_the_reset_form_applies_the_password_rules(client, jobs, inbox):
    factories.agent("Olga Agent", email="olga@acme.test")
    ask(client, "olga@acme.test")
    jobs()
    link = reset_link(inbox)
    short = client.post(link, data={"new_password": "short", "confirm": "short"})
    assert short.status_code == 422 and "A password has at least 12 characters." in short.text
    weak = client.post(link, data={"new_password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422 and "This password is too easy to guess." in weak.text
    assert "This is a very common password." in weak.text and "password1234" not in weak.text
    differ = client.post(link, data={"new_password": NEW, "confirm": NEW + "x"})
    assert differ.status_code == 422 and "The two new passwords differ." in differ.text
    assert client.get(link).status_code == 200  # refused attempts do not use the link up


def test_asking_too_often_for_one_address_is_limited_with_a_clear_page(make_app, app, jobs, inbox):
    factories.agent(email="olga@acme.test")
    client = make_app(PASSWORD_RESET_RATE_LIMIT_PER_EMAIL="2 per hour").test_client()
    assert [ask(client, "olga@acme.test", ip=f"10.0.0.{n}").status_code for n in range(2)] == [303, 303]
    refused = ask(client, "OLGA@acme.test", ip="10.0.0.9")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
    assert "You asked for several reset links in a short while. Please wait" in refused.text
    assert 'value="OLGA@acme.test"' in refused.text  # the form is kept as typed
    assert ask(client, "pat@acme.test", ip="10.0.0.9").status_code == 303  # other addresses go on
    assert jobs() == 2


def test_asking_too_often_from_one_address_is_limited(make_app, app):
    client = make_app(PASSWORD_RESET_RATE_LIMIT="3 per hour").test_client()
    assert [ask(client, f"user{n}@acme.test", ip="10.1.1.1").status_code for n in range(3)] == [303, 303, 303]
    refused = ask(client, "user9@acme.test", ip="10.1.1.1")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert ask(client, "user9@acme.test", ip="10.1.1.2").status_code == 303


def test_a_signed_in_person_who_resets_is_signed_out_too(client, jobs, inbox):
    user = factories.agent(email="olga@acme.test")
    factories.login(client, user)
    ask(client, "olga@acme.test")
    jobs()
    link = reset_link(inbox)
    assert client.post(link, data={"new_password": NEW, "confirm": NEW}).status_code == 303
    assert client.get("/tickets/").status_code == 302


def test_opening_the_link_changes_nothing(client, jobs, inbox):
    factories.agent(email="olga@acme.test")
    ask(client, "olga@acme.test")
    jobs()
    link = reset_link(inbox)
    for _ in range(3):  # mail scanners open links too
        assert client.get(link).status_code == 200
    assert sign_in(client, factories.PASSWORD).status_code == 303
