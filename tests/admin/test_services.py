"""Admin services without HTTP: what a saved question keeps, surveyed categories, teams."""

import pytest

from helpdesk.accounts import queries as account_queries
from helpdesk.accounts.models import Team
from helpdesk.admin import queries, services
from helpdesk.core.extensions import db
from helpdesk.core.models import MAX_INT
from helpdesk.surveys.services import settings as survey_settings
from helpdesk.tickets.models import FieldType
from helpdesk.tickets.queries import all_categories
from tests import factories

OPTIONS = [{"value": "red", "en": "Red", "es": "Rojo"}]


@pytest.mark.parametrize(
    ("field_type", "kept_options", "kept_limits"),
    [
        (FieldType.SELECT, OPTIONS, (None, None)),
        (FieldType.MULTISELECT, OPTIONS, (None, None)),
        (FieldType.NUMBER, [], (1.0, 9.5)),
        (FieldType.TEXT, [], (None, None)),
    ],
)
def test_a_question_keeps_only_the_options_and_limits_its_type_uses(app, field_type, kept_options, kept_limits):
    category = factories.category()
    data = services.FieldInput(type=field_type, label_en="Colour", label_es="Color", options=OPTIONS, min_value=1.0, max_value=9.5)
    field = services.save_field(category, data)
    assert field.options == kept_options
    assert (field.min_value, field.max_value) == kept_limits


def test_a_question_keeps_its_type_when_saved_again(app):
    category = factories.category()
    field = services.save_field(category, services.FieldInput(type=FieldType.NUMBER, label_en="Age", label_es="Edad"))
    services.save_field(category, services.FieldInput(type=FieldType.SELECT, label_en="Age", label_es="Edad", options=OPTIONS), field)
    assert field.type is FieldType.NUMBER
    assert field.options == []


def test_only_the_listed_categories_are_surveyed(app):
    billing, returns = factories.category("Billing", "Facturación"), factories.category("Returns", "Devoluciones")
    services.update_survey_settings(
        is_enabled=True, delay_minutes=5, expiry_days=3, question_en="Good?", question_es="¿Bien?", surveyed_category_ids={returns.id}
    )
    db.session.commit()
    assert [(c.name_en, c.is_surveyed) for c in all_categories()] == [("Billing", False), ("Returns", True)]
    assert (survey_settings().delay_minutes, survey_settings().question_es) == (5, "¿Bien?")
    assert billing.is_surveyed is False


def test_a_team_is_saved_with_its_lead_and_members_and_its_name_is_then_taken(app):
    lead, member = factories.agent("Lea Lead"), factories.agent("Mo Member")
    team = services.save_team(None, name="Billing", lead_id=lead.id, member_ids=[lead.id, member.id])
    db.session.commit()
    assert account_queries.teams(with_members=True) == [team]
    assert (team.lead, {u.name for u in team.members}) == (lead, {"Lea Lead", "Mo Member"})
    assert queries.team_name_taken("Billing")
    assert not queries.team_name_taken("Billing", other_than=team)


@pytest.mark.parametrize("team_id", [None, 0, -1, MAX_INT + 1])
def test_an_impossible_team_id_finds_no_team(app, team_id):
    db.session.add(Team(name="Billing"))
    db.session.commit()
    assert queries.team(team_id) is None
