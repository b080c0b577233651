"""The form builder at /admin/categories: categories, their questions, order, and retiring."""

from sqlalchemy import select

from helpdesk.extensions import db
from helpdesk.tickets.models import Category, CustomField, FieldType
from tests import factories


def admin_client(client):
    factories.login(client, factories.admin())
    return client


def fields_of(category_id: int) -> list[CustomField]:
    db.session.commit()
    return list(db.session.scalars(select(CustomField).where(CustomField.category_id == category_id).order_by(CustomField.position)))


def test_admin_creates_a_category_and_customers_can_pick_it(client):
    admin_client(client)
    response = client.post("/admin/categories", data={"name_en": "Returns", "name_es": "Devoluciones", "active": "y"})
    category = db.session.scalars(select(Category)).one()
    assert response.headers["Location"] == f"/admin/categories/{category.id}"
    assert "Devoluciones" in client.get("/requests/new", headers={"Accept-Language": "es"}).text


def test_admin_adds_questions_with_options_in_both_languages(client):
    admin_client(client)
    category = factories.category("Returns", "Devoluciones")
    data = {
        "type": "select",
        "label_en": "Reason",
        "label_es": "Motivo",
        "help_en": "Why?",
        "help_es": "¿Por qué?",
        "options": "Too small | Demasiado pequeño\nBroken | Roto\n\nother: Something else | Otra cosa",
        "is_required": "y",
    }
    assert client.post(f"/admin/categories/{category.id}/fields", data=data).status_code == 303
    [field] = fields_of(category.id)
    assert field.type is FieldType.SELECT and field.is_required
    assert field.options == [
        {"value": "too-small", "en": "Too small", "es": "Demasiado pequeño"},
        {"value": "broken", "en": "Broken", "es": "Roto"},
        {"value": "other", "en": "Something else", "es": "Otra cosa"},
    ]
    page = client.get(f"/requests/new?category={category.id}", headers={"Accept-Language": "es"}).text
    assert "Motivo" in page and "Demasiado pequeño" in page and "¿Por qué?" in page


def test_question_form_refuses_bad_input(client):
    admin_client(client)
    category = factories.category()
    cases = [
        ({"type": "select", "label_en": "Reason", "label_es": "Motivo", "options": ""}, "A choice needs at least one option."),
        ({"type": "number", "label_en": "N", "label_es": "N", "min_value": "10", "max_value": "5"}, "must not be below"),
        ({"type": "number", "label_en": "N", "label_es": "N", "min_value": "lots"}, "Please enter a number"),
        ({"type": "text", "label_en": "", "label_es": "X"}, "This field is required."),
        ({"type": "select", "label_en": "R", "label_es": "R", "options": "A | A\na: A | B"}, "Line 2 repeats an option."),
        ({"type": "teleport", "label_en": "R", "label_es": "R"}, "Not a valid choice"),
    ]
    for data, message in cases:
        response = client.post(f"/admin/categories/{category.id}/fields", data=data)
        assert response.status_code == 422, data
        assert message in response.text, data
    assert fields_of(category.id) == []


def test_editing_a_question_keeps_its_type_and_option_values(client):
    admin_client(client)
    card = {"value": "card", "en": "Card", "es": "Tarjeta"}
    category = factories.category(fields=[{"type": "select", "label_en": "Pay", "options": [card]}])
    field = category.fields[0]
    page = client.get(f"/admin/fields/{field.id}").text
    assert "card: Card | Tarjeta" in page
    data = {"type": "text", "label_en": "Payment", "label_es": "Pago", "options": "card: Credit card | Tarjeta de crédito\nCash | Efectivo"}
    assert client.post(f"/admin/fields/{field.id}", data=data).status_code == 303
    [field] = fields_of(category.id)
    assert field.type is FieldType.SELECT and field.label_en == "Payment"
    assert [o["value"] for o in field.options] == ["card", "cash"]


def test_questions_are_reordered_with_htmx_and_without(client):
    admin_client(client)
    category = factories.category(fields=[{"type": "text", "label_en": name} for name in ("First", "Second", "Third")])
    third = category.fields[2].id
    response = client.post(f"/admin/fields/{third}/move", data={"direction": "up"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.text.lstrip().startswith("<section")
    assert [f.label_en for f in fields_of(category.id)] == ["First", "Third", "Second"]
    response = client.post(f"/admin/fields/{third}/move", data={"direction": "up"})
    assert response.status_code == 303
    assert [f.label_en for f in fields_of(category.id)] == ["Third", "First", "Second"]
    client.post(f"/admin/fields/{third}/move", data={"direction": "up"})  # already first: nothing moves
    assert [f.label_en for f in fields_of(category.id)] == ["Third", "First", "Second"]
    page = client.get(f"/requests/new?category={category.id}").text
    assert page.index("Third") < page.index("First") < page.index("Second")


def test_retiring_a_question_hides_it_and_keeps_answers(client):
    admin_client(client)
    category = factories.category(fields=[{"type": "text", "label_en": "Order"}, {"type": "text", "label_en": "Colour"}])
    colour = category.fields[1].id
    client.post(
        "/requests/new",
        data={
            "name": "C",
            "email": "c@example.com",
            "subject": "S",
            "message": "M",
            "category": str(category.id),
            f"field_{colour}": "Blue",
        },
    )
    response = client.post(f"/admin/fields/{colour}/retire", data={"retired": "1"}, headers={"HX-Request": "true"})
    assert "Retired" in response.text and "Restore" in response.text
    assert "Colour" not in client.get(f"/requests/new?category={category.id}").text
    from helpdesk.tickets.models import TicketFieldValue

    assert [v.value for v in db.session.scalars(select(TicketFieldValue))] == ["Blue"]
    client.post(f"/admin/fields/{colour}/retire", data={"retired": "0"})
    assert "Colour" in client.get(f"/requests/new?category={category.id}").text


def test_hidden_category_is_not_offered_to_customers(client):
    admin_client(client)
    category = factories.category("Secret", "Secreto")
    client.post(f"/admin/categories/{category.id}", data={"name_en": "Secret", "name_es": "Secreto"})  # active unticked
    assert "Secret" not in client.get("/requests/new").text
    response = client.post(
        "/requests/new", data={"name": "C", "email": "c@example.com", "subject": "S", "message": "M", "category": str(category.id)}
    )
    assert response.status_code == 303  # the only category is hidden: the form asks for none


def test_form_builder_is_for_admins_only(client):
    category = factories.category(fields=[{"type": "text", "label_en": "X"}])
    factories.login(client, factories.agent())
    for url in ("/admin/categories", f"/admin/categories/{category.id}", f"/admin/fields/{category.fields[0].id}"):
        assert client.get(url).status_code == 403
    assert client.post(f"/admin/fields/{category.fields[0].id}/retire", data={"retired": "1"}).status_code == 403
    assert fields_of(category.id)[0].is_active


def test_a_question_is_edited_in_place_with_htmx(client):
    admin_client(client)
    category = factories.category(fields=[{"type": "text", "label_en": "Order"}])
    field = category.fields[0]
    editor = client.get(f"/admin/fields/{field.id}", headers={"HX-Request": "true"})
    assert editor.text.lstrip().startswith(f'<li id="field-{field.id}-row"') and "<html" not in editor.text
    bad = client.post(f"/admin/fields/{field.id}", data={"label_en": "", "label_es": "x"}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and bad.headers["HX-Retarget"] == f"#field-{field.id}-row"
    good = client.post(f"/admin/fields/{field.id}", data={"label_en": "Order no.", "label_es": "Pedido"}, headers={"HX-Request": "true"})
    assert good.status_code == 200 and good.text.lstrip().startswith("<section") and "Order no." in good.text


def test_admin_makes_a_team_with_a_lead_and_agents_put_tickets_in_it(client):
    from helpdesk.accounts.models import Team
    from helpdesk.tickets.models import Ticket

    admin_client(client)
    lena, olga = factories.agent("Lena", email="lena@example.com"), factories.agent("Olga", email="olga@example.com")
    data = {"name": "Returns desk", "lead_id": str(lena.id), "member_ids": [str(lena.id), str(olga.id)]}
    assert client.post("/admin/teams", data=data).status_code == 303
    team = db.session.scalars(select(Team)).one()
    assert team.lead_id == lena.id and {u.id for u in team.members} == {lena.id, olga.id}
    assert client.post("/admin/teams", data=data).status_code == 422  # the name is taken
    ticket = factories.ticket(notify=False)
    page = client.get(f"/tickets/{ticket.number}").text
    assert "Returns desk" in page
    form = {
        "version": ticket.version,
        "status": "new",
        "impact": "medium",
        "urgency": "medium",
        "priority": "",
        "assignee_id": 0,
        "team_id": team.id,
        "category_id": 0,
    }
    assert client.post(f"/tickets/{ticket.number}/properties", data=form).status_code == 303
    db.session.commit()
    assert db.session.get(Ticket, ticket.id).team_id == team.id
    assert "changed the team from none to Returns desk" in client.get(f"/tickets/{ticket.number}").text
