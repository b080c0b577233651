"""Unit rules of the settings: secrets encrypted at rest, the environment wins, the accent colour stays readable."""

import pytest
from cryptography.fernet import Fernet

from helpdesk.core.extensions import db
from helpdesk.settings import crypto, queries, services
from helpdesk.settings.colors import contrast_with_white, is_readable_on_white
from helpdesk.settings.crypto import SettingsKeyError
from helpdesk.settings.models import Setting


def test_a_secret_round_trips_and_is_stored_only_as_a_token(app):
    services.set_secret("smtp_password", "s3cret pass wörd", actor_id=None)
    db.session.commit()
    token = db.session.get(Setting, "smtp_password").value
    assert "s3cret" not in token and token.startswith("gAAAA")  # a Fernet token
    assert crypto.decrypt(token) == "s3cret pass wörd"
    assert queries.smtp_settings() is not None  # the suite's MAIL_URL; no stored host yet
    services.save_settings({"smtp_host": "127.0.0.1", "smtp_port": 2525}, actor_id=None)
    db.session.commit()
    assert queries.smtp_settings().password == "s3cret pass wörd"
    assert "s3cret" not in repr(queries.smtp_settings())


def test_settings_key_encrypts_and_the_key_from_secret_key_still_opens_older_values(make_app, app):
    old_token = crypto.encrypt("saved before SETTINGS_KEY")
    key = Fernet.generate_key().decode()
    keyed = make_app(SETTINGS_KEY=key)
    with keyed.app_context():
        new_token = crypto.encrypt("saved after")
        assert Fernet(key.encode()).decrypt(new_token.encode()) == b"saved after"
        assert crypto.decrypt(old_token) == "saved before SETTINGS_KEY"


def test_a_changed_secret_key_makes_the_stored_password_unreadable_not_an_error(make_app, app):
    services.save_settings({"smtp_host": "127.0.0.1", "smtp_port": 2525}, actor_id=None)
    services.set_secret("smtp_password", "hunter2-long", actor_id=None)
    db.session.commit()
    other = make_app(SECRET_KEY="another-secret-key-that-is-long-enough-0123456789")
    with other.app_context():
        settings = queries.smtp_settings()
        assert settings.password is None and settings.password_unreadable


def test_a_settings_key_that_is_not_a_fernet_key_stops_the_app_with_how_to_make_one(make_app):
    with pytest.raises(SettingsKeyError, match="Fernet.generate_key"):
        make_app(SETTINGS_KEY="not-a-key")


@pytest.mark.parametrize(
    ("config_key", "setting", "stored", "from_env"),
    [
        ("COMPANY_NAME", "company_name", "Stored Co", "Env Co"),
        ("BASE_URL", "base_url", "https://stored.example.net", "https://env.example.net"),
        ("DEFAULT_LOCALE", "default_locale", "es", "en"),
        ("TIMEZONE", "timezone", "Europe/Madrid", "America/Mexico_City"),
    ],
)
@pytest.mark.parametrize("environment_set", [False, True])
def test_the_environment_wins_over_the_stored_value(make_app, app, monkeypatch, config_key, setting, stored, from_env, environment_set):
    services.save_settings({setting: stored}, actor_id=None)
    db.session.commit()
    if environment_set:
        monkeypatch.setenv(config_key, from_env)
    other = make_app(**{config_key: from_env})  # what Config() read from the environment
    with other.app_context():
        assert other.config[config_key] == (from_env if environment_set else stored)
        assert other.config.get(config_key) == (from_env if environment_set else stored)
        assert bool(queries.environment_variable(setting)) is environment_set
        if environment_set:  # and the stored value cannot be changed behind its back
            assert services.save_settings({setting: "other"}, actor_id=None) == []


def test_mail_url_in_the_environment_wins_over_the_stored_smtp_server(make_app, app, monkeypatch):
    services.save_settings({"smtp_host": "stored.example.net", "smtp_port": 2525}, actor_id=None)
    db.session.commit()
    monkeypatch.setenv("MAIL_URL", "smtp://env.example.net:587")
    other = make_app(MAIL_URL="smtp://env.example.net:587")
    with other.app_context():
        assert (queries.smtp_settings().host, queries.smtp_settings().source) == ("env.example.net", "environment")


def test_mail_from_is_built_from_the_stored_sender(app):
    services.save_settings({"sender_name": "Acme Help", "sender_address": "help@acme.test"}, actor_id=None)
    db.session.commit()
    assert app.config["MAIL_FROM"] == "Acme Help <help@acme.test>"


@pytest.mark.parametrize(
    ("color", "ratio", "readable"),
    [
        ("#ffffff", 1.0, False),
        ("#000000", 21.0, True),
        ("#1d5fbf", 6.1, True),  # the built-in accent
        ("#767676", 4.54, True),  # the lightest grey that passes
        ("#777777", 4.48, False),
        ("#ff0000", 4.0, False),
        ("#c62828", 5.62, True),
    ],
)
def test_contrast_against_white_follows_wcag(color, ratio, readable):
    assert contrast_with_white(color) == pytest.approx(ratio, abs=0.01)
    assert is_readable_on_white(color) is readable
