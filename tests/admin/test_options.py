"""A choice question's options as the admin types them: rows parsed, labels checked, stored values stable."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from helpdesk.admin.forms import MAX_OPTIONS, apply_option_action, clean_options, option_rows, slug

pytestmark = pytest.mark.fast


def rows(*options: tuple[str, str, str]) -> dict[str, str]:
    """The options editor's inputs for rows of (value, English, Spanish)."""
    data = {}
    for number, (value, english, spanish) in enumerate(options):
        data.update({f"options-{number}-value": value, f"options-{number}-en": english, f"options-{number}-es": spanish})
    return data


def test_rows_are_read_in_the_order_of_their_numbers_not_of_the_post():
    posted = MultiDict([("options-10-en", "Ten"), ("options-2-en", "Two"), ("options-2-es", "Dos"), ("options-0-value", "zero")])
    assert option_rows(posted) == [{"value": "zero"}, {"en": "Two", "es": "Dos"}, {"en": "Ten"}]


@pytest.mark.parametrize(
    "key",
    [
        "options--1-en",
        "options-+1-en",
        "options- 1-en",
        "options-1.0-en",
        "options-\u0663-en",  # an Arabic-Indic three
        "options-99999999999-en",
        "options-1-label",
        "options-1-en-extra",
        "options_1_en",
        "option-1-en",
        "label_en",
    ],
)
def test_inputs_that_are_not_an_option_row_are_ignored(key):
    assert option_rows(MultiDict([(key, "Hacked"), ("options-0-en", "Card")])) == [{"en": "Card"}]


def test_at_most_two_hundred_rows_are_read():
    posted = MultiDict([(f"options-{n}-en", f"Option {n}") for n in range(500)])
    options = option_rows(posted)
    assert len(options) == MAX_OPTIONS == 200
    assert options[-1] == {"en": "Option 199"}


def test_a_full_editor_adds_no_row():
    data, focus = apply_option_action(MultiDict(rows(*[("", f"O{n}", "") for n in range(MAX_OPTIONS)])), "add")
    assert f"options-{MAX_OPTIONS}-en" not in data and focus is None


@pytest.mark.parametrize(
    ("action", "expected", "focus"),
    [
        ("add", ["A", "B", "C", ""], "options-3-en"),
        ("remove-1", ["A", "C"], "options-add"),
        ("up-2", ["A", "C", "B"], "options-1-up"),
        ("up-1", ["B", "A", "C"], "options-0-down"),  # now first: its "up" is disabled
        ("down-0", ["B", "A", "C"], "options-1-down"),
        ("down-1", ["A", "C", "B"], "options-2-up"),
        ("up-0", ["A", "B", "C"], None),
        ("down-2", ["A", "B", "C"], None),
        ("remove-9", ["A", "B", "C"], None),
        ("up-x", ["A", "B", "C"], None),
        ("type", ["A", "B", "C"], None),
    ],
)
def test_option_rows_are_added_removed_and_moved(action, expected, focus):
    formdata = MultiDict({"label_en": "Pay", "options_action": action, **rows(("a", "A", "a"), ("b", "B", "b"), ("c", "C", "c"))})
    data, focused = apply_option_action(formdata, action)
    assert [data[f"options-{n}-en"] for n in range(len(expected))] == expected
    assert f"options-{len(expected)}-en" not in data
    assert data["label_en"] == "Pay" and "options_action" not in data
    assert focused == focus
    moved = {data[f"options-{n}-en"]: data[f"options-{n}-value"] for n in range(len(expected))}
    assert all(moved[label] == label.lower() for label in moved if label)  # each row keeps its value


@pytest.mark.parametrize(
    ("given", "existing", "values"),
    [
        ([("", "Too small"), ("", "Too  big!")], set(), ["too-small", "too-big"]),
        ([("card", "Credit card")], {"card"}, ["card"]),
        ([("card", "Credit card")], set(), ["credit-card"]),  # a value the question never had is not trusted
        ([("", "Card"), ("card", "Credit card")], {"card"}, ["card-2", "card"]),
        ([("", "Card")], {"card"}, ["card-2"]),  # "card" was removed: its old answers keep meaning that
        ([("", "¿Sí?")], set(), ["si"]),
        ([("", "???")], set(), ["option"]),
        ([("", "???"), ("", "!!!")], set(), ["option", "option-2"]),
        ([("a", "A"), ("a", "B")], {"a"}, ["a", "b"]),
    ],
)
def test_option_values_stay_stable_and_unique(given, existing, values):
    options = clean_options([{"value": v, "en": en, "es": ""} for v, en in given], existing)
    assert [o["value"] for o in options] == values


def test_blank_rows_are_skipped_and_a_missing_spanish_label_is_the_english_one():
    options = clean_options([{"en": "  Card ", "es": ""}, {"en": " ", "es": "  "}, {}, {"en": "Cash", "es": "Efectivo"}], set())
    assert options == [
        {"value": "card", "en": "Card", "es": "Card"},
        {"value": "cash", "en": "Cash", "es": "Efectivo"},
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([{"en": "Card"}, {"en": "", "es": "Efectivo"}], "Option 2 has no English label."),
        ([{"en": "Card"}, {"en": "CARD"}], "Option 2 repeats the English label of another option."),
        ([{"en": "Straße"}, {"en": "STRASSE"}], "Option 2 repeats the English label of another option."),
        ([{"en": "A" * 101}], "Option 1: a label is at most 100 characters."),
        ([{"en": "A", "es": "Á" * 101}], "Option 1: a label is at most 100 characters."),
    ],
)
def test_options_a_customer_could_not_tell_apart_are_refused(bare_app, given, message):
    with bare_app().app_context(), pytest.raises(ValidationError) as refused:
        clean_options(given, set())
    assert str(refused.value.args[0]) == message


def test_a_label_of_exactly_one_hundred_characters_is_kept():
    assert clean_options([{"en": "A" * 100, "es": "Ñ" * 100}], set())[0]["es"] == "Ñ" * 100


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("Too small", "too-small"),
        ("¿Sí, señor?", "si-senor"),
        ("Tarjeta de crédito", "tarjeta-de-credito"),
        ("  --Café--  ", "cafe"),
        ("日本語", "option"),
        ("", "option"),
        ("a" * 100, "a" * 60),
    ],
)
def test_a_new_options_stored_value_is_readable_ascii(label, value):
    assert slug(label) == value
