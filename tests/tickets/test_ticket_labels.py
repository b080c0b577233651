"""The ticket page and the queue in the viewer's language, with "none" agreeing with its noun, and a queue heading."""

import re

import pytest

from helpdesk.accounts.models import Team
from helpdesk.core.extensions import db
from tests import factories
from tests.tickets.test_ticket_page import fresh_ticket, props


def option_text(page: str, select_name: str, value: str) -> str:
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.search(rf'<option[^>]*value="{value}"[^>]*>([^<]*)</option>', select).group(1)


def test_activity_names_categories_in_the_viewers_language(client):
    technical, billing = factories.category("Technical problem", "Problema técnico"), factories.category("Billing", "Facturación")
    english = factories.agent("Olga", locale="en")
    ticket = factories.ticket(notify=False)
    factories.login(client, english)
    for category in (technical, billing, None):
        ticket = fresh_ticket(ticket.number)
        client.post(f"/tickets/{ticket.number}/properties", data=props(ticket, category_id=category.id if category else 0))
    page = client.get(f"/tickets/{ticket.number}").text
    assert "changed the category from none to Technical problem" in page
    assert "changed the category from Technical problem to Billing" in page
    factories.login(client, factories.agent("Pilar", locale="es"))
    page = client.get(f"/tickets/{ticket.number}").text
    assert "cambió la categoría de ninguna a Problema técnico" in page
    assert "cambió la categoría de Problema técnico a Facturación" in page
    assert "cambió la categoría de Facturación a ninguna" in page


def test_none_agrees_with_its_noun_on_the_spanish_ticket_page(client):
    db.session.add(Team(name="Soporte"))
    factories.category()
    db.session.commit()
    factories.login(client, factories.agent("Pilar", locale="es"))
    ticket = factories.ticket(notify=False)
    page = client.get(f"/tickets/{ticket.number}").text
    assert option_text(page, "team_id", "0") == "Ninguno"  # el equipo
    assert option_text(page, "category_id", "0") == "Ninguna"  # la categoría
    assert option_text(page, "assignee_id", "0") == "Nadie"  # la persona asignada
    team = db.session.query(Team).one()
    client.post(f"/tickets/{ticket.number}/properties", data=props(fresh_ticket(ticket.number), team_id=team.id))
    assert "cambió el equipo de ninguno a Soporte" in client.get(f"/tickets/{ticket.number}").text


def test_queue_filters_in_spanish_agree_with_their_nouns(client):
    factories.login(client, factories.agent(locale="es"))
    page = client.get("/tickets/").text
    assert option_text(page, "assignee", "none") == "Nadie"
    assert option_text(page, "assignee", "") == "Cualquiera"
    assert option_text(page, "category", "") == "Cualquier categoría"
    assert option_text(page, "status", "") == "Cualquier estado"


@pytest.mark.parametrize(
    ("view", "locale", "heading"),
    [
        ("open", "en", "Open tickets"),
        ("mine", "en", "My tickets"),
        ("unassigned", "en", "Unassigned tickets"),
        ("all", "en", "All tickets"),
        ("mine", "es", "Mis tickets"),
        ("open", "es", "Tickets abiertos"),
    ],
)
def test_the_queue_has_a_heading_naming_the_view(client, view, locale, heading):
    factories.login(client, factories.agent(locale=locale))
    page = client.get(f"/tickets/?view={view}").text
    assert re.findall(r"<h1>(.*?)</h1>", page) == [heading]
