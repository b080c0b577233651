"""Record ids from links and forms: plain ASCII digits up to the database's largest integer, else not found."""

import pytest
from flask import Flask

from helpdesk.core.converters import IdConverter
from helpdesk.core.models import MAX_INT, id_from

pytestmark = pytest.mark.fast

NOT_IDS = [
    None,
    "",
    " ",
    " 7",
    "7 ",
    "-1",
    "+1",
    "1.0",
    "1e3",
    "0x1f",
    "7abc",
    "١٢",  # Arabic-Indic digits: digits to Python, not to the database
    "²",
    "７",  # fullwidth seven
    str(MAX_INT + 1),
    "99999999999",
    "9" * 5000,  # int() of this raises (a 500) instead of giving a number
    "1; DROP TABLE ticket",
]


@pytest.mark.parametrize(("raw", "number"), [("1", 1), ("42", 42), ("0042", 42), ("0", 0), (str(MAX_INT), MAX_INT)])
def test_a_plain_number_is_an_id(raw, number):
    assert id_from(raw) == number


@pytest.mark.parametrize("raw", NOT_IDS)
def test_anything_else_is_no_id(raw):
    assert id_from(raw) is None


@pytest.fixture(scope="module")
def ticket_urls() -> Flask:
    app = Flask(__name__)
    app.url_map.converters["id"] = IdConverter
    app.add_url_rule("/tickets/<id:number>", "show", lambda number: f"ticket {number}")
    return app


@pytest.mark.parametrize("raw", ["1", "1042", "01042", str(MAX_INT)])
def test_a_link_with_a_record_id_reaches_the_page(ticket_urls, raw):
    response = ticket_urls.test_client().get(f"/tickets/{raw}")
    assert response.status_code == 200
    assert response.text == f"ticket {int(raw)}"


@pytest.mark.parametrize(
    "raw",
    [
        "0",
        "-1",
        str(MAX_INT + 1),
        "9" * 5000,
        "1.5",
        "abc",
        "%D9%A1",  # Arabic-Indic one
        "%EF%BC%97",  # fullwidth seven
    ],
)
def test_a_link_with_anything_else_is_not_found(ticket_urls, raw):
    assert ticket_urls.test_client().get(f"/tickets/{raw}").status_code == 404
