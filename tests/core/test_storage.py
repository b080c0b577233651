"""File names of attachments as people see them: no folders, nothing invisible or hidden, never empty."""

import unicodedata

import pytest

from helpdesk.core.storage import sanitize_filename

# Pure, but not in the fast level: importing helpdesk.core.storage imports the extensions (Flask-Migrate with Alembic,
# Flask-Limiter, Flask-Mailman, RQ and Redis), a third of the fast level's two seconds.


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("invoice.pdf", "invoice.pdf"),
        ("año 2026.pdf", "año 2026.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\carla\\invoice.pdf", "invoice.pdf"),
        (".bashrc", "bashrc"),  # never a hidden file
        ("factura\u202egnp.exe", "facturagnp.exe"),  # a right-to-left override can not disguise the extension
        ("a\x00b.txt", "ab.txt"),
        ("what?.txt", "what_.txt"),
        ('<script>"x".html', "_script__x_.html"),
        ("  report.pdf  ", "report.pdf"),
        ("e\u0301.txt", "\u00e9.txt"),  # one way to write é
        ("", "file"),
        ("...", "file"),
        ("/", "file"),
        (None, "file"),
    ],
)
def test_a_file_keeps_a_safe_version_of_its_name(sent, kept):
    assert sanitize_filename(sent) == kept


def test_a_long_name_is_cut_but_keeps_its_extension():
    name = sanitize_filename("ñ" * 200 + ".pdf")
    assert name == "ñ" * 140 + ".pdf"
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize("sent", ["x" * 200, "x" * 200 + "." + "y" * 20])
def test_a_long_name_without_a_short_extension_is_cut_at_150_characters(sent):
    assert sanitize_filename(sent) == sent[:150]
