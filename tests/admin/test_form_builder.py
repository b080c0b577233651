"""The form builder at /admin/categories: categories, their questions, order, and retiring."""

from sqlalchemy import select

from helpdesk.core.extensions import db
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


def rows(*options: tuple[str, str, str]) -> dict[str, str]:
    """The options editor's inputs for rows of (value, English, Spanish)."""
    data = {}
    for number, (value, english, spanish) in enumerate(options):
        data.update({f"options-{number}-value": value, f"options-{number}-en": english, f"options-{number}-es": spanish})
    return data


def test_admin_adds_questions_with_options_in_both_languages(client):
    admin_client(client)
    category = factories.category("Returns", "Devoluciones")
    data = {
        "type": "select",
        "label_en": "Reason",
        "label_es": "Motivo",
        "help_en": "Why?",
        "help_es": "¿Por qué?",
        "is_required": "y",
        **rows(("", "Too small", "Demasiado pequeño"), ("", "Broken", "Roto"), ("", "", ""), ("", "Something else", "")),
    }
    assert client.post(f"/admin/categories/{category.id}/fields", data=data).status_code == 303
    [field] = fields_of(category.id)
    assert field.type is FieldType.SELECT and field.is_required
    assert field.options == [
        {"value": "too-small", "en": "Too small", "es": "Demasiado pequeño"},
        {"value": "broken", "en": "Broken", "es": "Roto"},
        {"value": "something-else", "en": "Something else", "es": "Something else"},
    ]
    page = client.get(f"/requests/new?category={category.id}", headers={"Accept-Language": "es"}).text
    assert "Motivo" in page and "Demasiado pequeño" in page and "¿Por qué?" in page


def test_question_form_refuses_bad_input(client):
    admin_client(client)
    category = factories.category()
    cases = [
        ({"type": "select", "label_en": "Reason", "label_es": "Motivo"}, "A choice needs at least one option."),
        ({"type": "select", "label_en": "R", "label_es": "R", **rows(("", "", ""), ("", "", " "))}, "A choice needs at least one option."),
        ({"type": "number", "label_en": "N", "label_es": "N", "min_value": "10", "max_value": "5"}, "must not be below"),
        ({"type": "number", "label_en": "N", "label_es": "N", "min_value": "lots"}, "Please enter a number"),
        ({"type": "text", "label_en": "", "label_es": "X"}, "This field is required."),
        (
            {"type": "select", "label_en": "R", "label_es": "R", **rows(("", "A", "A"), ("", "a", "B"))},
            "Option 2 repeats the English label",
        ),
        ({"type": "select", "label_en": "R", "label_es": "R", **rows(("", "A", "A"), ("", "", "Bé"))}, "Option 2 has no English label."),
        ({"type": "select", "label_en": "R", "label_es": "R", **rows(("", "A" * 101, "A"))}, "Option 1: a label is at most 100"),
        ({"type": "teleport", "label_en": "R", "label_es": "R"}, "Not a valid choice"),
    ]
    for data, message in cases:
        response = client.post(f"/admin/categories/{category.id}/fields", data=data)
        assert response.status_code == 422, data
        assert message in response.text, data
        if data.get("label_en") == "R" and data["type"] == "select":  # what was typed comes back in the rows
            assert 'name="options-0-en"' in response.text
    assert fields_of(category.id) == []


def test_editing_a_question_keeps_its_type_and_option_values(client):
    admin_client(client)
    card = {"value": "card", "en": "Card", "es": "Tarjeta"}
    cash = {"value": "cash", "en": "Cash", "es": "Efectivo"}
    category = factories.category(fields=[{"type": "select", "label_en": "Pay", "options": [card, cash]}])
    field = category.fields[0]
    page = client.get(f"/admin/fields/{field.id}").text
    assert 'name="options-0-value" type="hidden" value="card"' in page and 'value="Tarjeta"' in page
    assert 'name="options-1-value" type="hidden" value="cash"' in page
    # Relabel "card", move "cash" first, add "Card" (whose label would make the old value), send a forged value.
    data = {
        "type": "text",
        "label_en": "Payment",
        "label_es": "Pago",
        **rows(("cash", "Cash", "Efectivo"), ("card", "Credit card", "Tarjeta de crédito"), ("", "Card", "Tarjeta"), ("cash", "Coins", "")),
    }
    assert client.post(f"/admin/fields/{field.id}", data=data).status_code == 303
    [field] = fields_of(category.id)
    assert field.type is FieldType.SELECT and field.label_en == "Payment"
    assert field.options == [
        {"value": "cash", "en": "Cash", "es": "Efectivo"},
        {"value": "card", "en": "Credit card", "es": "Tarjeta de crédito"},
        {"value": "card-2", "en": "Card", "es": "Tarjeta"},
        {"value": "coins", "en": "Coins", "es": "Coins"},
    ]


def test_a_removed_options_value_is_never_given_to_a_new_option(client):
    """Answers that chose a removed option must not start meaning a different one."""
    admin_client(client)
    category = factories.category(
        fields=[{"type": "multiselect", "label_en": "Pay", "options": [{"value": "card", "en": "Card", "es": "T"}]}]
    )
    field = category.fields[0]
    data = {"label_en": "Pay", "label_es": "Pago", **rows(("", "Card", "Tarjeta"))}
    assert client.post(f"/admin/fields/{field.id}", data=data).status_code == 303
    assert [o["value"] for o in fields_of(category.id)[0].options] == ["card-2"]


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


def test_a_new_question_shows_only_the_settings_its_type_uses(client):
    admin_client(client)
    category = factories.category()
    page = client.get(f"/admin/categories/{category.id}").text
    assert 'id="field-settings-new"' in page
    assert "Add an option" not in page and "Smallest number" not in page  # a short text has neither
    url = f"/admin/categories/{category.id}/field-settings"
    choice = client.post(url, data={"type": "multiselect", "label_en": "Kept"}, headers={"HX-Request": "true"}).text
    assert choice.lstrip().startswith('<div id="field-settings-new"') and "<html" not in choice
    assert "Add an option" in choice and "Smallest number" not in choice
    assert choice.count('name="options-') == 6  # two empty rows to start with: value, English, Spanish each
    number = client.post(url, data={"type": "number"}, headers={"HX-Request": "true"}).text
    assert "Smallest number" in number and "Largest number" in number and "Add an option" not in number
    for kind in ("text", "textarea", "date", "checkbox", "email", "url", "nonsense"):
        other = client.post(url, data={"type": kind}, headers={"HX-Request": "true"}).text
        assert "Add an option" not in other and "Smallest number" not in other, kind


def test_editing_a_question_shows_only_its_types_settings(client):
    admin_client(client)
    category = factories.category(
        fields=[
            {"type": "text", "label_en": "Order"},
            {"type": "number", "label_en": "Amount", "min_value": 1},
            {"type": "select", "label_en": "Pay", "options": [{"value": "card", "en": "Card", "es": "Tarjeta"}]},
        ]
    )
    text, number, choice = (client.get(f"/admin/fields/{f.id}").text for f in category.fields)
    assert "Add an option" not in text and "Smallest number" not in text
    assert "Add an option" not in number and 'value="1"' in number
    assert "Add an option" in choice and "Smallest number" not in choice


def test_option_buttons_work_without_javascript_and_save_nothing(client):
    admin_client(client)
    category = factories.category()
    data = {"type": "select", "label_en": "Colour", "label_es": "Color", **rows(("", "Red", "Rojo"), ("", "Blue", "Azul"))}
    page = client.post(f"/admin/categories/{category.id}/fields", data={**data, "options_action": "up-1"})
    assert page.status_code == 200 and "<html" in page.text
    assert page.text.index('value="Blue"') < page.text.index('value="Red"') and 'value="Colour"' in page.text
    assert "autofocus" in page.text
    assert fields_of(category.id) == []
    page = client.post(f"/admin/categories/{category.id}/fields", data={**data, "options_action": "add"})
    assert 'name="options-2-en"' in page.text and fields_of(category.id) == []
    # The type picker's "show the settings" button: the options appear for a choice.
    page = client.post(f"/admin/categories/{category.id}/fields", data={"type": "select", "options_action": "type"})
    assert page.status_code == 200 and "Add an option" in page.text and "This field is required." not in page.text


def test_option_buttons_of_a_question_being_edited_swap_only_the_options(client):
    admin_client(client)
    category = factories.category(fields=[{"type": "select", "label_en": "Pay", "options": [{"value": "card", "en": "Card", "es": "T"}]}])
    field = category.fields[0]
    data = {"type": "text", "options_action": "add", **rows(("card", "Card", "Tarjeta"))}
    response = client.post(f"/admin/fields/{field.id}/settings", data=data, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith(f'<div id="field-settings-{field.id}"')
    assert 'name="options-1-en"' in response.text and "Smallest number" not in response.text
    page = client.post(f"/admin/fields/{field.id}", data={"label_en": "Pay", "label_es": "Pago", **data})  # without JavaScript
    assert page.status_code == 200 and 'name="options-1-en"' in page.text
    assert fields_of(category.id)[0].options == [{"value": "card", "en": "Card", "es": "T"}]
