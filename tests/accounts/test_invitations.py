"""Invitations: the emailed link (through real SMTP), setting a name and password, and the friendly pages for
links that are expired, used, replaced, withdrawn or tampered with."""

import re
import time
from datetime import timedelta

import time_machine

from helpdesk.accounts.models import Invitation, Role, StaffChange, StaffChangeKind, Team, User
from helpdesk.core.extensions import db
from tests import factories
from tests.conftest import run_jobs

STRONG = "velvet harbour tangerine 42"


def invite(client, app, inbox, *, email="nina@example.com", name="Nina New", role="agent", teams=()):
    """The owner invites someone from /admin/users; returns the path of the emailed link."""
    response = client.post("/admin/users/invitations", data={"name": name, "email": email, "role": role, "team_ids": list(teams)})
    assert response.status_code == 303, response.text
    run_jobs(app)
    mail = [m for m in inbox.messages if m["To"] == email][-1]
    link = re.search(r"http://helpdesk\.test(/invitation/[A-Za-z0-9_-]+)", mail.get_body(("plain",)).get_content()).group(1)
    assert link in mail.get_body(("html",)).get_content()
    return link


def owner_client(app):
    owner = factories.admin("Olga Owner")
    client = app.test_client()
    factories.login(client, owner)
    return owner, client


def test_the_invitee_gets_an_email_sets_a_password_and_lands_in_the_queue_signed_in(app, inbox):
    owner, admin_client = owner_client(app)
    team = Team(name="Billing")
    db.session.add(team)
    db.session.commit()
    link = invite(admin_client, app, inbox, teams=[team.id])
    [mail] = inbox.messages
    assert mail["Subject"] == "Olga Owner invited you to the Acme helpdesk"
    assert "72 hours" in mail.get_body(("plain",)).get_content()

    invitee = app.test_client()
    page = invitee.get(link)
    assert page.status_code == 200
    assert "nina@example.com" in page.text and 'value="Nina New"' in page.text
    response = invitee.post(link, data={"name": "Nina Navarro", "password": STRONG, "confirm": STRONG})
    assert response.status_code == 303 and response.headers["Location"] == "/tickets/"
    queue = invitee.get("/tickets/")
    assert queue.status_code == 200 and "Welcome, Nina Navarro" in queue.text

    user = db.session.query(User).filter_by(email="nina@example.com").one()
    assert (user.name, user.role, [t.name for t in user.teams]) == ("Nina Navarro", Role.AGENT, ["Billing"])
    kinds = {c.kind for c in db.session.query(StaffChange).filter_by(user_id=user.id)}
    assert kinds == {StaffChangeKind.INVITED, StaffChangeKind.JOINED}
    # The new password works on the sign-in page.
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": "nina@example.com", "password": STRONG}).status_code == 303


def test_a_used_link_cannot_be_used_again_and_says_to_sign_in(app, inbox):
    _, admin_client = owner_client(app)
    link = invite(admin_client, app, inbox)
    app.test_client().post(link, data={"name": "Nina", "password": STRONG, "confirm": STRONG})
    again = app.test_client()
    page = again.get(link)
    assert page.status_code == 410 and "already used" in page.text and "/login" in page.text
    response = again.post(link, data={"name": "Mallory", "password": STRONG + "x", "confirm": STRONG + "x"})
    assert response.status_code == 410
    assert db.session.query(User).filter_by(email="nina@example.com").one().name == "Nina"


def test_an_expired_link_says_to_ask_for_a_new_invitation(app, inbox):
    _, admin_client = owner_client(app)
    link = invite(admin_client, app, inbox)
    with time_machine.travel(time.time() + timedelta(hours=71, minutes=50).total_seconds(), tick=False):
        assert app.test_client().get(link).status_code == 200
    with time_machine.travel(time.time() + timedelta(hours=72, minutes=1).total_seconds(), tick=False):
        page = app.test_client().get(link)
        assert page.status_code == 410 and "has expired" in page.text and "send the invitation again" in page.text
        posted = app.test_client().post(link, data={"name": "Nina", "password": STRONG, "confirm": STRONG})
        assert posted.status_code == 410
    assert db.session.query(User).filter_by(email="nina@example.com").first() is None


def test_a_tampered_link_gets_a_friendly_page_not_an_error(app, inbox):
    _, admin_client = owner_client(app)
    link = invite(admin_client, app, inbox)
    for bad in (link[:-1] + ("A" if link[-1] != "A" else "B"), link[:-5], "/invitation/" + "x" * 300, "/invitation/%C3%B1o"):
        page = app.test_client().get(bad)
        assert page.status_code == 404, bad
        assert "not valid" in page.text and "ask the person who invited you" in page.text


def test_sending_again_kills_the_old_link_and_the_new_one_works(app, inbox):
    _, admin_client = owner_client(app)
    old = invite(admin_client, app, inbox)
    invitation = db.session.query(Invitation).one()
    admin_client.post(f"/admin/users/invitations/{invitation.id}/resend")
    run_jobs(app)
    assert len(inbox.messages) == 2
    new = re.search(r"(/invitation/[A-Za-z0-9_-]+)", inbox.messages[-1].get_body(("plain",)).get_content()).group(1)
    assert new != old
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(new).status_code == 200


def test_inviting_the_same_address_again_renews_the_pending_invitation(app, inbox):
    _, admin_client = owner_client(app)
    old = invite(admin_client, app, inbox, name="Nina")
    new = invite(admin_client, app, inbox, name="Nina N.", role="admin")
    assert db.session.query(Invitation).count() == 1
    assert app.test_client().get(old).status_code == 404
    app.test_client().post(new, data={"name": "Nina N.", "password": STRONG, "confirm": STRONG})
    assert db.session.query(User).filter_by(email="nina@example.com").one().role is Role.ADMIN


def test_a_withdrawn_invitation_link_stops_working(app, inbox):
    _, admin_client = owner_client(app)
    link = invite(admin_client, app, inbox)
    invitation = db.session.query(Invitation).one()
    admin_client.post(f"/admin/users/invitations/{invitation.id}/revoke")
    assert "No invitations are waiting" in admin_client.get("/admin/users").text
    page = app.test_client().get(link)
    assert page.status_code == 404 and "withdrawn" in page.text


def test_a_short_or_guessable_password_is_refused_with_feedback_and_the_form_kept(app, inbox):
    _, admin_client = owner_client(app)
    link = invite(admin_client, app, inbox)
    client = app.test_client()
    short = client.post(link, data={"name": "Nina Navarro", "password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least 12 characters" in short.text and 'value="Nina Navarro"' in short.text
    weak = client.post(link, data={"name": "Nina Navarro", "password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422 and "too easy to guess" in weak.text and "common" in weak.text
    own = client.post(link, data={"name": "Nina Navarro", "password": "nina@example.com", "confirm": "nina@example.com"})
    assert own.status_code == 422 and "too easy to guess" in own.text
    mismatch = client.post(link, data={"name": "Nina Navarro", "password": STRONG, "confirm": STRONG + "!"})
    assert mismatch.status_code == 422 and "not the same" in mismatch.text
    assert db.session.query(User).filter_by(email="nina@example.com").first() is None
    assert client.get(link).status_code == 200  # still usable after the refusals


def test_an_address_already_on_the_staff_cannot_be_invited(app, inbox):
    _, admin_client = owner_client(app)
    factories.agent(email="agnes@example.com")
    response = admin_client.post("/admin/users/invitations", data={"name": "Agnes", "email": "Agnes@example.com", "role": "agent"})
    assert response.status_code == 422 and "already has an account" in response.text and 'value="Agnes"' in response.text
    run_jobs(app)
    assert inbox.messages == []


def test_bad_invitation_input_is_a_422_with_the_form_kept(app, inbox):
    _, admin_client = owner_client(app)
    response = admin_client.post("/admin/users/invitations", data={"name": "Nina", "email": "not-an-address", "role": "agent"})
    assert response.status_code == 422 and 'value="Nina"' in response.text
    response = admin_client.post("/admin/users/invitations", data={"name": "Nina", "email": "n@example.com", "role": "emperor"})
    assert response.status_code == 422
    assert db.session.query(Invitation).count() == 0
