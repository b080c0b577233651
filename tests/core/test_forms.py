"""What every form does to typed text: no control characters; one-line fields become one line."""

import pytest

from helpdesk.core.forms import clean_text, one_line

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Printer on fire  ", "Printer on fire"),
        ("Hola\r\n\r\n  ¿qué tal?\n", "Hola\r\n\r\n  ¿qué tal?"),  # a message keeps its lines and indents
        ("tab\there", "tab\there"),
        ("nul\x00 bell\x07 escape\x1b[31m", "nul bell escape[31m"),  # PostgreSQL refuses NUL in text
        ("\x00\x01", ""),
        ("", ""),
        (None, None),
    ],
)
def test_a_message_loses_only_control_characters(typed, kept):
    assert clean_text(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Carla   Núñez ", "Carla Núñez"),
        ("Order\r\nnumber\t42", "Order number 42"),
        ("line\u2028separator", "line separator"),
        ("nul\x00", "nul"),
        ("   ", ""),
        (None, None),
    ],
)
def test_a_one_line_field_is_one_line_with_single_spaces(typed, kept):
    assert one_line(typed) == kept
