"""The one password rule (length and zxcvbn strength with the person's name and email as context), translated."""

import pytest
from flask_babel import force_locale

from helpdesk.accounts.passwords import password_problems

OLGA = {"email": "olga.petrova@acme.test", "name": "Olga Petrova"}


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "plum tractor lagoon whistle", "Vq8#mZ2!rT9@kL", "a brand new passphrase"],
)
def test_a_long_unusual_password_is_fine(app, password):
    assert password_problems(password, **OLGA) == []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", "A password has at least 12 characters."),
        ("short", "A password has at least 12 characters."),
        ("elevenchars", "A password has at least 12 characters."),
        ("x" * 1001, "A password has at most 1000 characters."),
        ("password1234", "This is a very common password."),
        ("aaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
        ("abcdefghijkl", "This password is too easy to guess."),
        ("qwertyuiopas", "This password is too easy to guess."),
        ("olgapetrova1", "It contains your name or email address."),
        ("OlgaPetrova2026", "It contains your name or email address."),
    ],
)
def test_a_short_or_guessable_password_is_refused_with_a_reason(app, password, expected):
    problems = password_problems(password, **OLGA)
    assert expected in problems
    assert all(password not in problem for problem in problems if password)  # never echoed back


def test_a_weak_password_always_gets_a_suggestion(app):
    problems = password_problems("Tess Agent 2024", email="tess@acme.test", name="Tess Agent")
    assert problems[0] == "This password is too easy to guess." and len(problems) >= 2


def test_the_same_password_is_fine_for_one_person_and_too_guessable_for_another(app):
    assert password_problems("olgapetrova1", email="sam@acme.test", name="Sam Smith") == []
    assert password_problems("olgapetrova1", **OLGA) != []


def test_the_problems_are_in_spanish_for_a_spanish_speaker(app):
    with app.test_request_context(), force_locale("es"):
        problems = password_problems("password1234", **OLGA)
        short = password_problems("corta", **OLGA)
    assert "Esta contraseña es demasiado fácil de adivinar." in problems
    assert "Esta es una contraseña muy común." in problems
    assert short == ["Una contraseña tiene al menos 12 caracteres."]
