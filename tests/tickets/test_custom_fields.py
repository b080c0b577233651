"""Custom fields on the request form: every type validated, agent-only fields hidden, values stored."""

import pytest
from sqlalchemy import select

from helpdesk.extensions import db
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
    data.update({
        field_id(category, "Order number"): "A-1001",
        field_id(category, "Steps"): "Click\nthen cry",
        field_id(category, "Amount"): "12,50",
        field_id(category, "Since"): "2026-11-01",
        field_id(category, "Payment"): "card",
        field_id(category, "Other email"): "me@example.org",
        field_id(category, "Screenshot link"): "https://example.org/shot.png",
        field_id(category, "Subscribed"): "y",
    })
    devices = field_id(category, "Devices")
    response = client.post("/requests/new", data={**data, devices: ["phone", "laptop"]})
    assert response.status_code == 303
    assert stored() == {
        "Order number": ["A-1001"], "Steps": ["Click\nthen cry"], "Amount": ["12.5"], "Since": ["2026-11-01"],
        "Payment": ["card"], "Devices": ["phone", "laptop"], "Subscribed": ["yes"], "Other email": ["me@example.org"],
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
    data = {**BASE, "category": str(category.id), field_id(category, "Order number"): "A-1",
            field_id(category, "Devices"): ["phone", "toaster"]}
    response = client.post("/requests/new", data=data)
    assert response.status_code == 422 and "Please choose one of the options." in response.text


def test_required_checkbox_and_multiselect(client):
    category = factories.category("Terms", fields=[
        {"type": "checkbox", "label_en": "I accept", "is_required": True},
        {"type": "multiselect", "label_en": "Pick", "is_required": True, "options": [{"value": "a", "en": "A", "es": "A"}]},
    ])
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
