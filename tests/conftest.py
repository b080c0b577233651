"""Test fixtures: real SQLite or PostgreSQL (TEST_DATABASE_URL), real Redis (TEST_REDIS_URL), real SMTP (aiosmtpd)."""

import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import Flask, g
from flask_migrate import upgrade
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import text

from helpdesk import create_app
from helpdesk.core.extensions import db
from helpdesk.core.queue import get_queue, get_redis
from helpdesk.surveys.models import SurveySettings

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6391/0")

# The fast level's own fixtures; `./scripts/test --fast` loads only those, never this file.
pytest_plugins = ["tests.fast"]
# What needs a database, Redis or the SMTP server: a test marked `fast` may not ask for any of these.
INTEGRATION_FIXTURES = frozenset({"smtp", "database_url", "base_config", "schema", "make_app", "app", "client", "inbox", "jobs"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        needs = INTEGRATION_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if needs and item.get_closest_marker("fast"):
            raise pytest.UsageError(f"{item.nodeid} is marked fast but uses {', '.join(sorted(needs))} (see tests/fast.py)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpInbox:
    """Collects what the aiosmtpd server received; recipients starting with 'bounce' are refused with 550."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd API)
        if address.startswith("bounce"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        with self.lock:
            self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


@pytest.fixture(scope="session")
def smtp() -> Iterator[tuple[SmtpInbox, int]]:
    inbox, port = SmtpInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'helpdesk-test.sqlite3'}"


@pytest.fixture(scope="session")
def base_config(database_url, smtp, tmp_path_factory) -> dict:
    attachments_dir = tmp_path_factory.mktemp("attachments")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": TEST_REDIS_URL,
        "RATELIMIT_STORAGE_URI": TEST_REDIS_URL,
        "MAIL_URL": f"smtp://127.0.0.1:{smtp[1]}",
        "MAIL_FROM": "Acme Support <support@acme.test>",
        "MAIL_BLOCKED_DOMAINS": "invalid",  # the suite mails @example.com customers; the reserved-names default is tested on its own
        "BASE_URL": "http://helpdesk.test",
        "COMPANY_NAME": "Acme",
        "WTF_CSRF_ENABLED": False,
        "DEFAULT_LOCALE": "en",
        "SQLITE_IMMEDIATE_OUTSIDE_REQUESTS": False,
        "REQUEST_MIN_SECONDS": 0,
        "ATTACHMENTS_DIR": str(attachments_dir),
    }


@pytest.fixture(scope="session")
def schema(base_config) -> None:
    """Build the schema once per run with the real migrations (they are under test too)."""
    app = create_app(base_config)
    with app.app_context():
        db.drop_all()  # whatever an earlier run left
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
    with app.app_context():
        db.engine.dispose()


def _empty_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        quoted = ", ".join(f'"{name}"' for name in tables)  # our own table names, not input
        db.session.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    else:
        for table in db.metadata.sorted_tables[::-1]:
            db.session.execute(table.delete())
        db.session.execute(text("DELETE FROM kb_article_fts"))
    # The rows the migrations seed:
    db.session.execute(text("INSERT INTO ticket_counter (id, value) VALUES (1, 1000)"))
    db.session.add(SurveySettings(id=1))
    db.session.commit()


@pytest.fixture
def make_app(base_config, schema) -> Iterator[Callable[..., Flask]]:
    """Build another app on the same database and Redis, with some settings changed."""
    apps: list[Flask] = []

    def build(**overrides) -> Flask:
        app = create_app({**base_config, **overrides})

        @app.before_request
        def fresh_request_globals() -> None:
            # Requests reuse the test's app context (and so `g`); start each one clean, as in production.
            for key in ("_login_user", "_flask_babel", "_short_datetime", "survey_locale"):
                g.pop(key, None)

        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()
        client = app.extensions.pop("helpdesk_redis", None)
        if client is not None:
            client.close()


@pytest.fixture
def app(make_app, smtp) -> Iterator[Flask]:
    app = make_app()
    with Redis.from_url(TEST_REDIS_URL) as redis:
        redis.flushdb()
    smtp[0].clear()
    shutil.rmtree(app.config["ATTACHMENTS_DIR"], ignore_errors=True)
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def inbox(smtp) -> SmtpInbox:
    return smtp[0]


def run_jobs(app: Flask) -> int:
    """Run every queued job to completion, as the worker would (in its own app context and session)."""
    db.session.commit()  # end the test's own transaction: on SQLite it would hold the write lock
    with app.app_context():
        queue = get_queue()
        count = queue.count
        SimpleWorker([queue], connection=get_redis()).work(burst=True)
        return count


@pytest.fixture
def jobs(app) -> Callable[[], int]:
    return lambda: run_jobs(app)
