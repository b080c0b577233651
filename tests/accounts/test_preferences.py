"""The preferences page: language and a time-zone picker grouped by region, readable and strict."""

import re

import pytest

from helpdesk.accounts.forms import timezone_label
from helpdesk.core.extensions import db
from tests import factories


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Europe/Madrid", "Madrid"),
        ("America/New_York", "New York"),
        ("America/Argentina/Buenos_Aires", "Argentina / Buenos Aires"),
        ("America/Port_of_Spain", "Port of Spain"),
        ("UTC", "UTC"),
    ],
)
def test_a_time_zone_reads_as_its_city(zone, label):
    assert timezone_label(zone) == label


def signed_in(client, **kwargs):
    user = factories.agent("Tess Agent", **kwargs)
    factories.login(client, user)
    return user


def test_time_zones_are_grouped_by_region_with_readable_city_names(client):
    signed_in(client)
    page = client.get("/account").text
    assert '<optgroup label="Europe">' in page and '<optgroup label="America">' in page
    assert '<option value="Europe/Madrid">Madrid</option>' in page
    assert '<option value="America/New_York">New York</option>' in page
    assert '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in page
    assert 'value="US/Eastern"' not in page and 'value="Etc/GMT+5"' not in page  # legacy aliases stay out of the list
    assert 'value="America/Buenos_Aires"' not in page and 'value="Europe/Kiev"' not in page
    assert '<option value="Europe/Amsterdam">Amsterdam</option>' in page and '<option value="Europe/Kyiv">Kyiv</option>' in page
    assert page.count("<option") < 500


def test_the_regions_are_in_spanish_for_a_spanish_speaking_agent(client):
    signed_in(client, locale="es")
    page = client.get("/account").text
    assert '<optgroup label="Europa">' in page and '<optgroup label="Océano Índico">' in page


def test_the_current_time_zone_is_selected(client):
    user = signed_in(client)
    user.timezone = "Asia/Tokyo"
    db.session.commit()
    assert re.search(r'<option selected value="Asia/Tokyo">Tokyo</option>', client.get("/account").text)


def test_an_agent_saves_a_time_zone_from_the_list(client):
    user = signed_in(client)
    response = client.post("/account", data={"locale": "en", "timezone": "America/Argentina/Buenos_Aires"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.timezone == "America/Argentina/Buenos_Aires"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "europe/madrid", "US/Eastern", "Etc/GMT+5", "Europe", "America/Buenos_Aires"])
def test_a_time_zone_not_in_the_list_is_refused_and_nothing_changes(client, zone):
    user = signed_in(client)
    response = client.post("/account", data={"locale": "es", "timezone": zone})
    assert response.status_code == 422
    assert "Not a valid choice" in response.text
    db.session.refresh(user)
    assert user.timezone is None and user.locale is None


def test_an_agent_who_already_has_a_legacy_zone_keeps_it_when_saving(client):
    user = signed_in(client)
    user.timezone = "US/Eastern"
    db.session.commit()
    page = client.get("/account").text
    assert '<optgroup label="Other"><option selected value="US/Eastern">US/Eastern</option></optgroup>' in page
    assert client.post("/account", data={"locale": "es", "timezone": "US/Eastern"}).status_code == 303
    db.session.refresh(user)
    assert (user.locale, user.timezone) == ("es", "US/Eastern")
