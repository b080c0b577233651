"""Custom fields on the request form: every type validated, agent-only fields hidden, values stored."""

import pytest
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.tickets.models import CustomField, Ticket, TicketFieldValue
from tests import factories

BASE = {"name": "Carla", "email": "carla@example.com", "subject": "Refund", "message": "Please refund."}


def field_id(category, label: str) -> str:
    return f"field_{next(f.id for f in category.fields if f.label_en == label)}"


def post(client, category, **answers):
    data = {**BASE, "category": str(category.id)}
    for label, value in answers.items():
        data[field_id(category, label.replace("_", " "))] = value
    return client.post("/requests/new", data=data)


def stored(ticket_id=None) -> dict[str, list[str]]:
    db.session.commit()
    rows = db.session.scalars(select(TicketFieldValue).order_by(TicketFieldValue.id)).all()
    result: dict[str, list[str]] = {}
    for row in rows:
        result.setdefault(row.field.label_en, []).append(row.value)
    return result


def test_category_fields_are_shown_and_agent_only_fields_never_are(client):
    category = factories.every_type_category()
    page = client.get(f"/requests/new?category={category.id}").text
    for label in ("Order number", "Steps", "Amount", "Since", "Payment", "Devices", "Subscribed", "Other email", "Screenshot link"):
        assert label in page
    assert "It is on your receipt." in page
    assert "Internal triage" not in page
    assert field_id(category, "Internal triage") not in page


def test_htmx_swaps_in_the_fields_of_the_chosen_category(client):
    category = factories.every_type_category()
    fragment = client.get(f"/requests/fields?category={category.id}", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="category-fields"')
    assert "Order number" in fragment.text and "Internal triage" not in fragment.text
    assert "Order number" not in client.get("/requests/fields?category=999", headers={"HX-Request": "true"}).text


def test_without_javascript_continue_keeps_what_was_typed(client):
    category = factories.every_type_category()
    page = client.get(f"/requests/new?category={category.id}&name=Carla&subject=Refund&message=Hi")
    assert 'value="Carla"' in page.text and 'value="Refund"' in page.text
    assert "Order number" in page.text
    assert "field-error" not in page.text  # step two shows no errors yet


def test_valid_answers_of_every_type_are_stored(client):
    category = factories.every_type_category()
    data = {**BASE, "category": str(category.id)}
    data.update(
        {
            field_id(category, "Order number"): "A-1001",
            field_id(category, "Steps"): "Click\nthen cry",
            field_id(category, "Amount"): "12,50",
            field_id(category, "Since"): "2026-11-01",
            field_id(category, "Payment"): "card",
            field_id(category, "Other email"): "me@example.org",
            field_id(category, "Screenshot link"): "https://example.org/shot.png",
            field_id(category, "Subscribed"): "y",
        }
    )
    devices = field_id(category, "Devices")
    response = client.post("/requests/new", data={**data, devices: ["phone", "laptop"]})
    assert response.status_code == 303
    assert stored() == {
        "Order number": ["A-1001"],
        "Steps": ["Click\nthen cry"],
        "Amount": ["12.5"],
        "Since": ["2026-11-01"],
        "Payment": ["card"],
        "Devices": ["phone", "laptop"],
        "Subscribed": ["yes"],
        "Other email": ["me@example.org"],
        "Screenshot link": ["https://example.org/shot.png"],
    }
    ticket = db.session.scalars(select(Ticket)).one()
    assert ticket.category_id == category.id


def test_optional_fields_may_stay_empty_but_required_ones_may_not(client):
    category = factories.every_type_category()
    response = post(client, category)
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert db.session.scalars(select(Ticket)).all() == []
    assert post(client, category, Order_number="A-1").status_code == 303
    assert stored() == {"Order number": ["A-1"]}


@pytest.mark.parametrize(
    ("label", "value", "message"),
    [
        ("Amount", "lots", "Please enter a number"),
        ("Amount", "-1", "The smallest allowed value is 0."),
        ("Amount", "1000.01", "The largest allowed value is 1000."),
        ("Amount", "nan", "Please enter a number"),
        ("Since", "31/12/2026", "Please enter a date"),
        ("Since", "2026-02-30", "Please enter a date"),
        ("Payment", "bitcoin", "Please choose one of the options."),
        ("Other email", "nope@", "does not look like an email address"),
        ("Screenshot link", "javascript:alert(1)", "starting with https://"),
        ("Screenshot link", "ftp://example.org/x", "starting with https://"),
        ("Order number", "x" * 501, "At most 500 characters."),
    ],
)
def test_invalid_answers_are_refused_next_to_the_field_and_typed_values_kept(client, label, value, message):
    category = factories.every_type_category()
    answers = {"Order_number": "A-1", label.replace(" ", "_"): value}
    response = post(client, category, **answers)
    assert response.status_code == 422
    assert message in response.text
    assert 'value="Carla"' in response.text  # the rest of what was typed comes back
    assert db.session.scalars(select(Ticket)).all() == []


def test_multiselect_refuses_unknown_options(client):
    category = factories.every_type_category()
    data = {
        **BASE,
        "category": str(category.id),
        field_id(category, "Order number"): "A-1",
        field_id(category, "Devices"): ["phone", "toaster"],
    }
    response = client.post("/requests/new", data=data)
    assert response.status_code == 422 and "Please choose one of the options." in response.text


def test_required_checkbox_and_multiselect(client):
    category = factories.category(
        "Terms",
        fields=[
            {"type": "checkbox", "label_en": "I accept", "is_required": True},
            {"type": "multiselect", "label_en": "Pick", "is_required": True, "options": [{"value": "a", "en": "A", "es": "A"}]},
        ],
    )
    response = post(client, category)
    assert "Please tick this box to continue." in response.text
    assert "Please choose at least one option." in response.text
    assert post(client, category, I_accept="y", Pick="a").status_code == 303


def test_a_category_must_be_chosen_when_there_are_categories(client):
    factories.category()
    response = client.post("/requests/new", data=BASE)
    assert response.status_code == 422
    assert "Please choose what your request is about." in response.text


def test_agent_only_and_retired_fields_cannot_be_filled_by_customers(client):
    category = factories.every_type_category()
    retired = db.session.scalars(select(CustomField).where(CustomField.label_en == "Steps")).one()
    retired.is_active = False
    db.session.commit()
    response = post(client, category, Order_number="A-1", Internal_triage="VIP!", Steps="sneaky")
    assert response.status_code == 303
    assert stored() == {"Order number": ["A-1"]}


def test_spanish_visitor_sees_spanish_labels_and_options(client):
    category = factories.every_type_category()
    page = client.get(f"/requests/new?category={category.id}", headers={"Accept-Language": "es"}).text
    assert "Order number (es)" in page and "Tarjeta" in page and "Portátil" in page


def submitted_ticket(client, category, **answers) -> Ticket:
    assert post(client, category, Order_number="A-1", **answers).status_code == 303
    db.session.commit()
    return db.session.scalars(select(Ticket).order_by(Ticket.id.desc())).first()


def test_agent_sees_the_answers_and_edits_them_agent_only_fields_too(client):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category, Payment="card")
    factories.login(client, factories.agent("Olga"))
    page = client.get(f"/tickets/{ticket.number}").text
    assert "Order number" in page and "A-1" in page and "Card" in page
    assert "Internal triage" in page
    data = {
        "version": ticket.version,
        field_id(category, "Order number"): "A-2",
        field_id(category, "Internal triage"): "VIP customer",
        field_id(category, "Payment"): "cash",
    }
    response = client.post(f"/tickets/{ticket.number}/fields", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert "VIP customer" in response.text and "Cash" in response.text
    assert stored() == {"Order number": ["A-2"], "Payment": ["cash"], "Internal triage": ["VIP customer"]}
    assert "set the answer to “Internal triage” to: VIP customer" in client.get(f"/tickets/{ticket.number}").text


def test_agent_edit_with_an_invalid_answer_is_refused(client):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category)
    factories.login(client, factories.agent())
    data = {"version": ticket.version, field_id(category, "Order number"): "", field_id(category, "Amount"): "ten"}
    response = client.post(f"/tickets/{ticket.number}/fields", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "This field is required." in response.text and "Please enter a number" in response.text
    assert stored() == {"Order number": ["A-1"]}


def test_internal_answers_never_reach_the_customer(client):
    from helpdesk.tickets.links import ticket_token

    category = factories.every_type_category()
    ticket = submitted_ticket(client, category)
    factories.login(client, factories.agent())
    client.post(
        f"/tickets/{ticket.number}/fields",
        data={"version": ticket.version, field_id(category, "Order number"): "A-1", field_id(category, "Internal triage"): "SECRET triage"},
    )
    client.post("/logout")
    assert "SECRET" not in client.get(f"/my/{ticket_token(ticket)}").text


def test_retired_field_keeps_its_answer_on_old_tickets(client):
    category = factories.every_type_category()
    ticket = submitted_ticket(client, category, Steps="Turned it off and on")
    field = db.session.scalars(select(CustomField).where(CustomField.label_en == "Steps")).one()
    field.is_active = False
    db.session.commit()
    factories.login(client, factories.agent())
    page = client.get(f"/tickets/{ticket.number}").text
    assert "Turned it off and on" in page and "(retired)" in page
    client.post(f"/tickets/{ticket.number}/fields", data={"version": ticket.version, field_id(category, "Order number"): "A-9"})
    assert stored()["Steps"] == ["Turned it off and on"]  # editing the others never drops it


def test_queue_filters_by_category_and_by_a_select_answer(client):
    from tests.tickets.test_queue import rows

    category = factories.every_type_category()
    other = factories.category("Returns", "Devoluciones")
    by_card = submitted_ticket(client, category, Payment="card")
    by_cash = submitted_ticket(client, category, Payment="cash")
    assert client.post("/requests/new", data={**BASE, "category": str(other.id)}).status_code == 303
    devices = field_id(category, "Devices")
    response = client.post(
        "/requests/new", data={**BASE, "category": str(category.id), field_id(category, "Order number"): "B", devices: ["phone", "laptop"]}
    )
    assert response.status_code == 303
    factories.login(client, factories.agent())
    payment = field_id(category, "Payment").removeprefix("field_")
    assert rows(client.get(f"/tickets/?field={payment}:card")) == [str(by_card.number)]
    assert rows(client.get(f"/tickets/?field={payment}:cash")) == [str(by_cash.number)]
    assert len(rows(client.get(f"/tickets/?category={category.id}"))) == 3
    assert len(rows(client.get(f"/tickets/?category={other.id}"))) == 1
    device = devices.removeprefix("field_")
    assert len(rows(client.get(f"/tickets/?field={device}:laptop"))) == 1
    page = client.get("/tickets/").text
    assert "Payment: Card" in page and "Everything" in page  # the filter offers them


def test_queue_filter_on_an_answer_reads_the_values_index(app):
    from sqlalchemy import text

    from helpdesk.tickets import queries

    if db.engine.dialect.name != "sqlite":
        pytest.skip("plans are checked on SQLite")
    filters = queries.QueueFilters(view="all", field_option=(1, "card"))
    query = queries.queue_columns(queries.queue_query(filters, factories.agent())).order_by(*queries._order(False, forward=True))
    compiled = query.limit(51).compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = " | ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_ticket_field_value_option" in plan, plan
    assert "SCAN ticket_field_value" not in plan, plan
