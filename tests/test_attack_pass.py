"""An attack pass on the newer endpoints: each test is a hole somebody could have used, now closed."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets.models import Ticket, TicketStatus
from tests import factories

VALID = {"name": "Carla Customer", "email": "carla@example.com", "subject": "Printer on fire", "message": "It is really on fire."}
CHOSEN_KEY = "a" * 32


def _form_key(page: str) -> str:
    return re.search(r'name="submission_key" type="hidden" value="([0-9a-f]*)"', page).group(1)


def test_a_request_form_link_cannot_plant_a_key_that_later_reveals_the_customers_ticket(client):
    """Mallory mails Carla a link to the form carrying a key Mallory chose; Carla's ticket must stay hers."""
    page = client.get(f"/requests/new?submission_key={CHOSEN_KEY}&subject=Help").text
    key = _form_key(page)
    assert key != CHOSEN_KEY and len(key) == 32
    assert client.post("/requests/new", data={**VALID, "submission_key": key}).status_code == 303
    mallory = client.application.test_client()
    response = mallory.post("/requests/new", data={**VALID, "submission_key": CHOSEN_KEY, "message": "Mine."})
    sent = mallory.get(response.headers["Location"]).text
    assert "It is really on fire" not in sent
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 2


def test_guessing_the_current_password_on_the_account_page_is_throttled_like_signing_in(make_app, app):
    """Someone at an unlocked computer cannot try password after password through the change-password form."""
    agent = factories.agent(email="olga@acme.test")
    client = make_app(RATELIMIT_STORAGE_URI="memory://").test_client()
    codes = []
    next_minute = (utcnow() + timedelta(minutes=1)).replace(second=0, microsecond=0)
    with time_machine.travel(next_minute, tick=False):  # all eight inside one minute of the limit's window
        factories.login(client, agent)
        for attempt in range(8):
            data = {"current_password": f"guess-{attempt}", "new_password": "a brand new passphrase", "confirm": "a brand new passphrase"}
            codes.append(client.post("/account/password", data=data).status_code)
    assert codes[:5] == [422] * 5
    assert set(codes[5:]) == {429}


def test_details_sent_along_with_a_reply_without_their_version_are_refused(client):
    """A Details change must say which version it was made on, else it could overwrite a colleague's newer one."""
    agent = factories.agent()
    ticket = factories.ticket()
    factories.login(client, agent)
    data = {"body": "On it.", "send": "keep", "sidebar-status": TicketStatus.RESOLVED.value}
    response = client.post(f"/tickets/{ticket.number}/reply", data=data)
    assert response.status_code in (409, 422)
    db.session.expire_all()
    assert ticket.status is not TicketStatus.RESOLVED and not ticket.messages[1:]


def test_new_links_by_email_name_a_phone_ticket_by_the_subject_the_customer_sees(client):
    """The agent's own subject for a call ("cust v. annoyed") is for the team; the customer's email never shows it."""
    factories.login(client, factories.agent())
    data = {"email": "carla@example.com", "name": "Carla", "channel": "phone", "subject": "Called: cust v. annoyed, 3rd time"}
    data |= {"body": "Printer jams.", "customer_subject": "Your printer on the second floor"}
    assert client.post("/tickets/new", data=data).status_code == 303
    assert client.post("/my/", data={"email": "carla@example.com"}).status_code == 303
    db.session.commit()
    mail = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.kind == "customer_links")).one()
    for body in (mail.body_text, mail.body_html):
        assert "Your printer on the second floor" in body
        assert "annoyed" not in body


def test_a_made_up_keep_me_signed_in_cookie_does_not_stretch_an_idle_session(client):
    """Whoever finds a computer left signed in for a day cannot keep the session alive by adding any cookie
    named like the "Keep me signed in" one: only a real one for this account skips the idle limit."""
    factories.agent(email="olga@acme.test")
    with time_machine.travel(time.time(), tick=False) as clock:
        client.post("/login", data={"email": "olga@acme.test", "password": factories.PASSWORD})
        clock.shift(timedelta(hours=13))
        client.set_cookie("remember_token", "anything")
        response = client.get("/tickets/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


LONG_NUMBER = "9" * 5000  # past Python's 4,300-digit limit for int(): a ValueError unless refused first


@pytest.mark.parametrize(
    "url", [f"/requests/new?category={LONG_NUMBER}", f"/requests/fields?category={LONG_NUMBER}"], ids=["request form", "its questions"]
)
def test_a_category_number_too_long_to_read_is_no_choice_for_customers(client, url):
    factories.every_type_category()
    response = client.get(url)
    assert response.status_code == 200 and "Order number" not in response.text


@pytest.mark.parametrize(
    "url",
    [
        f"/tickets/?assignee={LONG_NUMBER}",
        f"/tickets/?category={LONG_NUMBER}",
        f"/tickets/?field={LONG_NUMBER}:card",
        f"/tickets/new?category_id={LONG_NUMBER}",
        f"/tickets/new/fields?category_id={LONG_NUMBER}",
    ],
    ids=["queue assignee", "queue category", "queue answer", "phone form", "phone form questions"],
)
def test_numbers_too_long_to_read_in_staff_links_are_ignored(client, url):
    factories.every_type_category()
    factories.login(client, factories.agent())
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "data", [{"options_action": f"remove-{LONG_NUMBER}"}, {f"options-{LONG_NUMBER}-en": "Cheque"}], ids=["button", "row"]
)
def test_option_rows_with_numbers_too_long_to_read_never_break_the_question_editor(client, data):
    category = factories.every_type_category()
    choice = next(f for f in category.fields if f.type.value == "select")
    factories.login(client, factories.admin())
    posted = {"type": "select", "label_en": "Paid by", "label_es": "Pagado con", "options-0-en": "Card", **data}
    for url in (f"/admin/categories/{category.id}/field-settings", f"/admin/fields/{choice.id}/settings"):
        assert client.post(url, data=posted).status_code == 200
    for url in (f"/admin/categories/{category.id}/fields", f"/admin/fields/{choice.id}"):
        assert client.post(url, data=posted).status_code in (200, 303, 422)  # shown again, saved, or refused
