"""A category's questions as form fields: what each type accepts, how it is stored, and how an answer reads."""

from collections.abc import Iterator

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from helpdesk.tickets.custom_fields import answers, build_field, display, field_name, form_data, form_with_fields
from helpdesk.tickets.models import CustomField, FieldType

pytestmark = pytest.mark.fast

PAYMENT = [{"value": "card", "en": "Card", "es": "Tarjeta"}, {"value": "cash", "en": "Cash", "es": ""}]
DEVICES = [{"value": "phone", "en": "Phone", "es": "Teléfono"}, {"value": "laptop", "en": "Laptop", "es": "Portátil"}]


def question(kind: FieldType, *, id: int = 1, **settings: object) -> CustomField:  # noqa: A002 (the column's name)
    """A question as an admin made it (never stored: these tests need no database)."""
    defaults = {"label_en": "Question", "label_es": "Pregunta", "help_en": "", "help_es": "", "options": [], "is_required": False}
    return CustomField(id=id, type=kind, **{**defaults, **settings})


def submit(field: CustomField, posted: object, locale: str = "en") -> tuple[list[str], list[str]]:
    """Post one answer (a string, or a list for several options): (what would be stored, the errors shown)."""
    formdata = MultiDict([(field_name(field), value) for value in (posted if isinstance(posted, list) else [posted])])
    form = form_with_fields(Form, [field], locale)(formdata=formdata)
    valid = form.validate()
    errors = [str(error) for error in form[field_name(field)].errors]
    assert valid is not errors
    return (answers(form, [field])[field] if valid else []), errors


@pytest.fixture(autouse=True)
def app_context(bare_app) -> Iterator[None]:
    with bare_app().app_context():  # error messages are translated when shown
        yield


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", "12"),
        ("12.5", "12.5"),
        ("12,5", "12.5"),  # how Spanish writes 12.5
        ("12,50", "12.5"),
        (" 0012.500 ", "12.5"),
        ("-3", "-3"),
        ("1,000", "1"),  # a comma alone is the decimal mark
        ("1e3", "1000"),
        ("999999999999999", "999999999999999"),
        ("١٢", "12"),  # Arabic-Indic digits are digits
    ],
)
def test_a_number_is_stored_as_written_plainly(typed, stored):
    assert submit(question(FieldType.NUMBER), typed) == ([stored], [])


@pytest.mark.parametrize("typed", ["twelve", "12 euros", "1.000,5", "1,2,3", "NaN", "Infinity", "-inf", "1e15", "1e400", "0x10"])
def test_what_is_not_a_number_is_refused(typed):
    assert submit(question(FieldType.NUMBER), typed) == ([], ["Please enter a number, like 12 or 12.5."])


@pytest.mark.parametrize(
    ("typed", "result"),
    [
        ("0.5", ([], ["The smallest allowed value is 1."])),
        ("1", (["1"], [])),
        ("10,0", (["10"], [])),
        ("10.51", ([], ["The largest allowed value is 10.5."])),
        ("", ([], [])),  # not required: no answer is fine
    ],
)
def test_a_number_stays_within_the_limits_the_admin_set(typed, result):
    assert submit(question(FieldType.NUMBER, min_value=1.0, max_value=10.5), typed) == result


@pytest.mark.parametrize(
    ("typed", "result"),
    [
        ("2026-11-01", (["2026-11-01"], [])),
        (" 2026-11-01 ", (["2026-11-01"], [])),
        ("20261101", (["2026-11-01"], [])),  # the compact ISO form is read too
        ("2024-02-29", (["2024-02-29"], [])),
        ("2026-02-29", ([], ["Please enter a date (year-month-day)."])),
        ("01/11/2026", ([], ["Please enter a date (year-month-day)."])),
        ("mañana", ([], ["Please enter a date (year-month-day)."])),
    ],
)
def test_a_date_is_a_real_day_written_year_month_day(typed, result):
    assert submit(question(FieldType.DATE), typed) == result


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("https://example.org/shot.png", True),
        ("http://intranet.acme.test/x?y=1", True),
        ("example.org", False),
        ("javascript:alert(1)//example.org", False),
        ("ftp://files.example.org", False),
        ("https://localhost", False),
        ("https://", False),
        ("https://example.org/" + "a" * 2000, False),
    ],
)
def test_a_web_address_must_be_one_a_browser_opens(typed, accepted):
    stored, errors = submit(question(FieldType.URL), typed)
    assert (stored == [typed]) is accepted and bool(errors) is not accepted


@pytest.mark.parametrize(
    ("typed", "result"),
    [
        ("me@example.org", (["me@example.org"], [])),
        ("  me@example.org ", (["me@example.org"], [])),
        ("not-an-email", ([], ["That does not look like an email address (name@example.com)."])),
        ("me@", ([], ["That does not look like an email address (name@example.com)."])),
    ],
)
def test_an_email_address_is_checked(typed, result):
    assert submit(question(FieldType.EMAIL), typed) == result


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        (FieldType.TEXT, "  A-1001 \n\t B ", "A-1001 B"),  # one line
        (FieldType.TEXT, "Pedido nº 5\x00", "Pedido nº 5"),  # no control characters (PostgreSQL refuses NUL)
        (FieldType.TEXTAREA, "  Click\nthen cry\x07  ", "Click\nthen cry"),  # lines kept
        (FieldType.TEXT, "ñ" * 500, "ñ" * 500),
        (FieldType.TEXTAREA, "x" * 10_000, "x" * 10_000),
    ],
)
def test_text_is_stored_cleaned(kind, typed, stored):
    assert submit(question(kind), typed) == ([stored], [])


@pytest.mark.parametrize(("kind", "limit"), [(FieldType.TEXT, 500), (FieldType.TEXTAREA, 10_000)])
def test_text_longer_than_its_limit_is_refused(kind, limit):
    assert submit(question(kind), "x" * (limit + 1)) == ([], [f"At most {limit} characters."])


@pytest.mark.parametrize(
    ("posted", "result"),
    [
        ("card", (["card"], [])),
        ("", ([], [])),
        ("bitcoin", ([], ["Please choose one of the options."])),
        ("Card", ([], ["Please choose one of the options."])),  # the label is not the value
    ],
)
def test_a_single_choice_is_one_of_its_options(posted, result):
    assert submit(question(FieldType.SELECT, options=PAYMENT), posted) == result


@pytest.mark.parametrize(
    ("posted", "result"),
    [
        (["phone", "laptop"], (["phone", "laptop"], [])),
        (["laptop", "phone", "laptop"], (["laptop", "phone"], [])),  # a repeated option counts once
        (["phone", "tablet"], ([], ["Please choose one of the options."])),
    ],
)
def test_several_choices_are_each_one_of_the_options(posted, result):
    assert submit(question(FieldType.MULTISELECT, options=DEVICES), posted) == result


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        (FieldType.TEXT, [], "This field is required."),
        (FieldType.TEXTAREA, [], "This field is required."),
        (FieldType.NUMBER, [], "This field is required."),
        (FieldType.DATE, [], "This field is required."),
        (FieldType.EMAIL, [], "This field is required."),
        (FieldType.URL, [], "This field is required."),
        (FieldType.SELECT, PAYMENT, "This field is required."),
        (FieldType.MULTISELECT, DEVICES, "Please choose at least one option."),
        (FieldType.CHECKBOX, [], "Please tick this box to continue."),
    ],
)
def test_a_required_question_left_empty_says_what_to_do(kind, options, message):
    field = question(kind, options=options, is_required=True)
    assert submit(field, []) == ([], [message])
    if kind not in (FieldType.MULTISELECT, FieldType.CHECKBOX):
        assert submit(field, "   ") == ([], [message])  # spaces are no answer


@pytest.mark.parametrize(("posted", "stored"), [("y", ["yes"]), ([], [])])
def test_a_ticked_box_is_stored_as_yes_and_an_unticked_one_as_no_answer(posted, stored):
    assert submit(question(FieldType.CHECKBOX), posted) == (stored, [])


@pytest.mark.parametrize(
    ("locale", "label", "help_text", "choices"),
    [
        ("en", "Payment", "On your receipt.", ["Choose…", "Card", "Cash"]),
        ("es", "Pago", "En tu recibo.", ["Choose…", "Tarjeta", "Cash"]),  # an untranslated option reads English
        ("es_MX", "Pago", "En tu recibo.", ["Choose…", "Tarjeta", "Cash"]),
    ],
)
def test_a_question_is_asked_in_the_customers_language(locale, label, help_text, choices):
    field = question(
        FieldType.SELECT, label_en="Payment", label_es="Pago", help_en="On your receipt.", help_es="En tu recibo.", options=PAYMENT
    )
    bound = form_with_fields(Form, [field], locale)()[field_name(field)]
    assert (bound.label.text, bound.description) == (label, help_text)
    assert [str(choice.label) for choice in bound.choices] == choices


def test_a_question_not_yet_translated_is_asked_in_english():
    field = question(FieldType.TEXT, label_en="Order number", label_es="", help_en="It is on your receipt.", help_es="")
    bound = form_with_fields(Form, [field], "es")()[field_name(field)]
    assert (bound.label.text, bound.description) == ("Order number", "It is on your receipt.")


def test_each_question_becomes_a_field_named_after_its_id():
    fields = [question(FieldType.TEXT, id=7), question(FieldType.CHECKBOX, id=12)]
    form = form_with_fields(Form, fields, "en")()
    assert [f.name for f in form] == ["field_7", "field_12"]
    assert form_with_fields(Form, [], "en")().data == {}


def test_an_unknown_question_type_is_an_error_not_a_missing_field():
    with pytest.raises(ValueError, match="teleport"):
        build_field(question("teleport"), "en")


@pytest.mark.parametrize(
    ("kind", "options", "stored"),
    [
        (FieldType.TEXT, [], ["A-1001"]),
        (FieldType.TEXTAREA, [], ["Click\nthen cry"]),
        (FieldType.NUMBER, [], ["12.5"]),
        (FieldType.DATE, [], ["2026-11-01"]),
        (FieldType.SELECT, PAYMENT, ["cash"]),
        (FieldType.MULTISELECT, DEVICES, ["laptop", "phone"]),
        (FieldType.CHECKBOX, [], ["yes"]),
        (FieldType.EMAIL, [], ["me@example.org"]),
        (FieldType.URL, [], ["https://example.org"]),
        (FieldType.TEXT, [], []),
        (FieldType.MULTISELECT, DEVICES, []),
        (FieldType.CHECKBOX, [], []),
    ],
)
def test_an_agent_editing_answers_finds_them_as_they_were(kind, options, stored):
    """Stored values fill the edit form, and saving it unchanged stores the same values."""
    field = question(kind, options=options)
    data = form_data({field.id: stored}, [field])
    form = form_with_fields(Form, [field], "en")(data=data)
    assert form.validate()
    assert answers(form, [field]) == {field: stored}


@pytest.mark.parametrize(
    ("kind", "options", "stored", "locale", "shown"),
    [
        (FieldType.SELECT, PAYMENT, ["card"], "en", "Card"),
        (FieldType.SELECT, PAYMENT, ["card"], "es", "Tarjeta"),
        (FieldType.SELECT, PAYMENT, ["cash"], "es", "Cash"),
        (FieldType.MULTISELECT, DEVICES, ["phone", "laptop"], "es", "Teléfono, Portátil"),
        (FieldType.SELECT, PAYMENT, ["cheque"], "en", "cheque"),  # an option removed since: its value
        (FieldType.CHECKBOX, [], ["yes"], "en", "Yes"),
        (FieldType.NUMBER, [], ["12.5"], "es", "12.5"),
        (FieldType.DATE, [], ["2026-11-01"], "es", "2026-11-01"),
        (FieldType.TEXT, [], ["<b>A-1001</b>"], "en", "<b>A-1001</b>"),  # text, escaped by the template
        (FieldType.MULTISELECT, DEVICES, [], "en", ""),
        (FieldType.CHECKBOX, [], [], "en", ""),
    ],
)
def test_an_answer_reads_as_a_person_would_write_it(kind, options, stored, locale, shown):
    assert display(question(kind, options=options), stored, locale) == shown
