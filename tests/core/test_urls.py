"""Redirect targets from the request (`next=`): a path on this site is followed, anything else falls back."""

import pytest

from helpdesk.core.urls import safe_next

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/tickets/1042",
        "/kb/?q=devolución",  # Spanish, as the browser sent it
        "/kb/?q=devoluci%C3%B3n",
        "/requests/new?message=hola%0D%0Amundo",  # a no-JavaScript form's text keeps its line breaks
        "/tickets/?view=mine#ticket-7-row",
        "/kb/a:b",  # a colon in a path is not a scheme
        "/%252F%252Fevil.example",  # decoded once it is still one local path
        "/" + "a" * 1999,  # 2,000 characters: the longest kept
    ],
)
def test_a_path_on_this_site_is_followed(target):
    assert safe_next(target, "/tickets/") == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "   ",
        "tickets/1042",
        "https://evil.example/tickets/",
        "https:/evil.example",
        "//evil.example/%2F..",
        "/%2f%2fevil.example",  # lower-case escapes too
        "/%5c%5cevil.example",
        "/\u2028/evil.example",  # line separator
        "/%E2%80%AE/evil.example",  # a right-to-left override, percent-encoded
        "/%EF%BC%8F%EF%BC%8Fevil.example",  # fullwidth solidi, percent-encoded
        "/tickets\\..\\..\\evil",
        "/" + "a" * 2000,  # longer than any link of ours
    ],
)
def test_anything_that_could_leave_the_site_falls_back_to_the_default(target):
    assert safe_next(target, "/tickets/") == "/tickets/"
