"""Custom-field answers on the ticket page are optimistically locked, without losing anyone's answer."""

import json

from tests import factories
from tests.tickets.test_custom_fields import field_id, stored, submitted_ticket
from tests.tickets.test_ticket_page import fresh_ticket


def loaded_form(ticket, category) -> dict:
    """What the edit form posts as the agent found it: the version, the answers shown, and the fields."""
    shown = {str(f.id): [v.value for v in ticket.field_values if v.field_id == f.id] for f in category.fields if f.is_active}
    data = {"version": ticket.version, "loaded": json.dumps(shown)}
    for field in category.fields:
        values = shown[str(field.id)]
        if values:
            data[f"field_{field.id}"] = values if field.type.value == "multiselect" else values[0]
    return data


def test_a_stale_form_saves_what_its_agent_changed_and_keeps_the_other_agents_newer_answer(client, app):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category, Payment="card")
    a, b = app.test_client(), app.test_client()
    factories.login(a, factories.agent("Ana"))
    factories.login(b, factories.agent("Bea"))
    as_loaded = loaded_form(fresh_ticket(ticket.number), category)  # both opened the ticket now
    order, payment = field_id(category, "Order number"), field_id(category, "Payment")
    assert a.post(f"/tickets/{ticket.number}/fields", data={**as_loaded, order: "A-2"}).status_code == 303
    response = b.post(f"/tickets/{ticket.number}/fields", data={**as_loaded, payment: "cash"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert stored() == {"Order number": ["A-2"], "Payment": ["cash"]}


def test_the_same_answer_changed_by_two_agents_is_refused_with_the_current_values(client, app):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category, Payment="card")
    a, b = app.test_client(), app.test_client()
    factories.login(a, factories.agent("Ana"))
    factories.login(b, factories.agent("Bea"))
    as_loaded = loaded_form(fresh_ticket(ticket.number), category)
    order, payment = field_id(category, "Order number"), field_id(category, "Payment")
    a.post(f"/tickets/{ticket.number}/fields", data={**as_loaded, order: "A-2"})
    response = b.post(f"/tickets/{ticket.number}/fields", data={**as_loaded, order: "A-3", payment: "cash"}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "Someone else changed “Order number” while you were editing. Nothing was saved" in response.text
    assert f'id="{order}" maxlength="500" name="{order}" required type="text" value="A-2"' in response.text
    assert "<details open>" in response.text
    assert stored() == {"Order number": ["A-2"], "Payment": ["card"]}  # nothing of B's was written
    plain = b.post(f"/tickets/{ticket.number}/fields", data={**as_loaded, order: "A-3"})
    assert plain.status_code == 409


def test_the_same_new_answer_from_both_agents_is_no_conflict(client, app):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category)
    as_loaded = loaded_form(fresh_ticket(ticket.number), category)
    order = field_id(category, "Order number")
    factories.login(client, factories.agent())
    client.post(f"/tickets/{ticket.number}/fields", data={**as_loaded, order: "A-2"})
    assert client.post(f"/tickets/{ticket.number}/fields", data={**as_loaded, order: "A-2"}).status_code == 303


def test_a_stale_form_that_does_not_say_what_it_showed_is_refused(client):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category)
    factories.login(client, factories.agent())
    version = fresh_ticket(ticket.number).version
    order = field_id(category, "Order number")
    client.post(f"/tickets/{ticket.number}/fields", data={"version": version, order: "A-2"})
    response = client.post(f"/tickets/{ticket.number}/fields", data={"version": version, "loaded": "{not json", order: "A-3"})
    assert response.status_code == 409
    assert stored() == {"Order number": ["A-2"]}


def test_a_reply_in_between_does_not_make_the_answers_form_stale(client):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category)
    agent = factories.agent()
    factories.login(client, agent)
    as_loaded = loaded_form(fresh_ticket(ticket.number), category)
    client.post(f"/tickets/{ticket.number}/reply", data={"body": "On it."})  # bumps the ticket's version
    order = field_id(category, "Order number")
    assert client.post(f"/tickets/{ticket.number}/fields", data={**as_loaded, order: "A-7"}).status_code == 303
    assert stored()["Order number"] == ["A-7"]


def test_the_page_carries_the_version_and_the_answers_it_shows(client):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category)
    factories.login(client, factories.agent())
    page = client.get(f"/tickets/{ticket.number}").text
    ticket = fresh_ticket(ticket.number)
    order = next(f for f in category.fields if f.label_en == "Order number")
    assert f'name="version" type="hidden" value="{ticket.version}"' in page
    assert f"&#34;{order.id}&#34;: [&#34;A-1&#34;]" in page


def test_unsaved_details_are_saved_with_the_answers(client):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category)
    pedro = factories.agent("Pedro")
    factories.login(client, factories.agent())
    ticket = fresh_ticket(ticket.number)
    data = {**loaded_form(ticket, category), "sidebar-version": ticket.version, "sidebar-assignee_id": pedro.id}
    response = client.post(
        f"/tickets/{ticket.number}/fields", data={**data, field_id(category, "Steps"): "Rebooted"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'<option selected value="{pedro.id}">Pedro</option>' in response.text  # the panel shows them saved
    assert fresh_ticket(ticket.number).assignee_id == pedro.id and stored()["Steps"] == ["Rebooted"]


def test_answers_saved_racing_another_write_are_refused_not_a_500(app):
    """The version check passed; the row changed before our write (PostgreSQL: SQLite serialises writers)."""
    import pytest
    from sqlalchemy import update

    from helpdesk.core.errors import StaleVersion
    from helpdesk.core.extensions import db
    from helpdesk.customers.services import find_or_create_customer
    from helpdesk.tickets import services
    from helpdesk.tickets.models import Ticket

    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE, before the read: this race exists on PostgreSQL")
    category = factories.every_type_category()
    order = next(f for f in category.fields if f.label_en == "Order number")
    customer = find_or_create_customer("carla@example.com", name="Carla")
    ticket = services.open_ticket(customer=customer, subject="Refund", body="Please", category=category, answers={order: ["A-1"]})
    db.session.commit()
    agent, loaded_version = factories.agent(), ticket.version
    with db.engine.begin() as other:
        other.execute(update(Ticket).where(Ticket.id == ticket.id).values(version=loaded_version + 1))
    with pytest.raises(StaleVersion):
        services.update_field_values(ticket, {order: ["A-2"]}, actor=agent, expected_version=loaded_version, loaded={order.id: ["A-1"]})
    db.session.rollback()
    assert stored() == {"Order number": ["A-1"]}
