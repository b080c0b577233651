"""A ticket an agent takes by phone (or chat, or at the counter): notes by the agent for the customer, the
subject the customer sees, the acknowledgement by choice, and category, questions, assignee and priority."""

from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Channel, Priority, Ticket, TicketFieldValue
from tests import factories


def call(client, **changes) -> object:
    data = {
        "email": "carla@example.com",
        "name": "Carla Customer",
        "channel": "phone",
        "subject": "Called: printer jam 2F",
        "body": "Printer on the 2nd floor jams on every job. Cust v. annoyed, 3rd time.",
        "notify_customer": "y",
        "customer_subject": "Your printer on the second floor",
    }
    data.update(changes)
    return client.post("/tickets/new", data={k: v for k, v in data.items() if v is not None})


def only_ticket() -> Ticket:
    db.session.commit()
    return db.session.scalars(select(Ticket)).one()


def emails() -> list[OutgoingEmail]:
    db.session.commit()
    return list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def signed_in_agent(client, name: str = "Olga Agent"):
    agent = factories.agent(name)
    factories.login(client, agent)
    return agent


def test_the_notes_are_the_agents_taken_for_the_customer_and_stay_internal(client):
    agent = signed_in_agent(client)
    response = call(client)
    ticket = only_ticket()
    assert response.status_code == 303
    [notes] = ticket.messages
    assert notes.author_user == agent and notes.author_customer is None
    assert notes.on_behalf_of == ticket.customer and notes.is_internal and notes.channel is Channel.PHONE
    page = client.get(f"/tickets/{ticket.number}").text
    assert "Taken by Olga Agent by phone for Carla Customer" in page and "Internal note" in page
    customer_page = client.get(f"/my/{ticket_token(ticket)}").text
    assert "Cust v. annoyed" not in customer_page
    assert ticket.first_response_at is None  # writing down the call is not an answer


def test_notes_the_agent_shares_are_shown_to_the_customer_as_the_agents(client):
    signed_in_agent(client)
    call(client, notes_public="y", channel="walk_in", body="Brought the laptop in; screen flickers.")
    ticket = only_ticket()
    assert not ticket.messages[0].is_internal
    assert "Taken by Olga Agent at the counter for Carla Customer" in client.get(f"/tickets/{ticket.number}").text
    customer_page = client.get(f"/my/{ticket_token(ticket)}").text
    assert "screen flickers" in customer_page and "Olga Agent" in customer_page


def test_the_taken_by_line_is_in_spanish_and_escapes_names(client):
    factories.login(client, factories.agent("Olga <b>Agent</b>", locale="es"))
    call(client, name="<script>x</script>", channel="chat")
    page = client.get(f"/tickets/{only_ticket().number}").text
    assert "Anotado por Olga &lt;b&gt;Agent&lt;/b&gt; en un chat con &lt;script&gt;x&lt;/script&gt;" in page


def test_the_customer_is_emailed_the_subject_they_see_never_the_agents_shorthand(client):
    agent = signed_in_agent(client)
    call(client)
    ticket = only_ticket()
    assert ticket.subject == "Called: printer jam 2F" and ticket.customer_subject == "Your printer on the second floor"
    [ack] = emails()
    assert ack.to_address == "carla@example.com" and ack.kind == "auto_reply"
    assert "Your printer on the second floor" in ack.subject and "Called" not in ack.subject + ack.body_text + ack.body_html
    from helpdesk.tickets import services

    services.add_reply(ticket, author=agent, body="A technician comes at 3 pm.")
    reply = emails()[-1]
    assert reply.subject == f"[{ticket.reference}] Your printer on the second floor"
    customer_page = client.get(f"/my/{ticket_token(ticket)}").text
    assert "Your printer on the second floor" in customer_page and "Called" not in customer_page
    assert "Called: printer jam 2F" in client.get("/tickets/").text  # the team keeps its own words


def test_an_empty_customer_subject_means_the_subject(client):
    signed_in_agent(client)
    call(client, subject="Printer jam", customer_subject="")
    assert only_ticket().customer_subject is None
    assert "Printer jam" in emails()[0].subject


def test_the_agent_chooses_not_to_email_the_customer(client):
    signed_in_agent(client)
    call(client, notify_customer=None)
    assert only_ticket().channel is Channel.PHONE
    assert emails() == []


def test_the_form_asks_for_the_customer_subject_next_to_the_email_choice(client):
    signed_in_agent(client)
    page = client.get("/tickets/new").text
    assert 'name="customer_subject"' in page and "Subject the customer sees" in page
    assert 'data-shown-by="notify_customer"' in page and 'data-copy-of="subject"' in page
    assert '<input checked id="notify_customer"' in page  # emailing is on unless the agent says otherwise
    assert 'id="notes_public"' in page and '<input checked id="notes_public"' not in page


def test_category_questions_assignee_and_priority_are_set_on_the_same_form(client):
    signed_in_agent(client)
    bea = factories.agent("Bea Agent")
    category = factories.category(
        fields=[
            {"type": "text", "label_en": "Printer model", "is_required": True},
            {"type": "select", "label_en": "Floor", "options": [{"value": "f2", "en": "Second", "es": "Segunda"}]},
            {"type": "text", "label_en": "Asset tag", "is_agent_only": True},
        ]
    )
    model, floor, tag = (f"field_{f.id}" for f in category.fields)
    fragment = client.get(f"/tickets/new/fields?category_id={category.id}", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="new-ticket-fields"')
    assert "Printer model" in fragment and "Second" in fragment and "Asset tag" in fragment
    assert "Printer model" not in client.get("/tickets/new/fields?category_id=", headers={"HX-Request": "true"}).text
    # Without JavaScript, "Show its questions" reloads the form with what was typed.
    page = client.get(f"/tickets/new?category_id={category.id}&subject=Kept+subject").text
    assert "Printer model" in page and 'value="Kept subject"' in page and "field-error" not in page

    refused = call(client, category_id=str(category.id), assignee_id=str(bea.id), priority="high")
    assert refused.status_code == 422 and "This field is required." in refused.text
    assert 'value="Called: printer jam 2F"' in refused.text and f'<option selected value="{bea.id}">' in refused.text
    assert emails() == [] and db.session.scalars(select(Ticket)).all() == []

    response = call(
        client, category_id=str(category.id), assignee_id=str(bea.id), priority="high", **{model: "LaserJet 4", floor: "f2", tag: "A-17"}
    )
    assert response.status_code == 303
    ticket = only_ticket()
    assert ticket.category == category and ticket.assignee == bea
    assert ticket.priority is Priority.HIGH and ticket.is_priority_overridden
    answers = {v.field.label_en: v.value for v in db.session.scalars(select(TicketFieldValue))}
    assert answers == {"Printer model": "LaserJet 4", "Floor": "f2", "Asset tag": "A-17"}
    page = client.get(f"/tickets/{ticket.number}").text
    assert "LaserJet 4" in page and "Bea Agent" in page


def test_priority_left_automatic_follows_the_matrix(client):
    signed_in_agent(client)
    call(client, priority="")
    ticket = only_ticket()
    assert ticket.priority is Priority.MEDIUM and not ticket.is_priority_overridden and ticket.assignee is None


def test_bad_choices_are_refused_with_the_form_kept_filled(client):
    signed_in_agent(client)
    retired = factories.agent("Gone Agent")
    retired.active = False
    hidden = factories.category("Hidden", "Oculta")
    hidden.active = False
    db.session.commit()
    for changes in (
        {"assignee_id": str(retired.id)},
        {"assignee_id": "abc"},
        {"priority": "whenever"},
        {"category_id": str(hidden.id)},
        {"channel": "pigeon"},
        {"email": "not-an-email"},
        {"body": "  "},
        {"customer_subject": "x" * 251},
    ):
        response = call(client, **changes)
        assert response.status_code == 422, changes
        assert 'value="Called: printer jam 2F"' in response.text, changes
    assert db.session.scalars(select(Ticket)).all() == [] and emails() == []
