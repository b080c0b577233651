"""The fast level: unit tests of pure code, marked `fast`, that need no database, Redis, SMTP or HTTP server.

`./scripts/test --fast` runs only them, with this plugin and without tests/conftest.py (`--noconftest`), so
nothing of the integration level is imported or started; the full run loads this plugin from tests/conftest.py.
Where code needs an app (config, Flask-Babel's locale and time zone), a test builds a bare one with `bare_app`.
"""

from collections.abc import Callable

import pytest
from flask import Flask
from flask_babel import Babel


@pytest.fixture(scope="session")
def bare_app() -> Callable[..., Flask]:
    """A bare Flask app with Flask-Babel and the given settings (BABEL_DEFAULT_LOCALE, …): no database, no Redis.

    One app per distinct settings for the whole run: building a Flask app costs more than most of these tests.
    Tests only read from it (each `app_context()` has its own `g`)."""
    apps: dict[str, Flask] = {}

    def build(**config: object) -> Flask:
        key = repr(sorted(config.items()))
        if key not in apps:
            app = apps[key] = Flask(__name__)
            app.config.update(config)
            Babel(app)
        return apps[key]

    return build
