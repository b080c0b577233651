"""Email sending settings: delivery uses them, the test email reports each step or the server's exact error, and
the SMTP password is never seen again anywhere (pages, logs, outbox, database, Redis)."""

import contextlib
import socket
import threading
import zlib
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from redis import Redis
from sqlalchemy import select

from helpdesk.core.extensions import db
from helpdesk.mail.models import EmailStatus, OutgoingEmail
from helpdesk.settings import queries
from tests import factories
from tests.conftest import TEST_REDIS_URL, SmtpInbox, free_port, run_jobs

PASSWORD = "Zq8-very-secret-smtp-pass"


def email_form(port: int, **changes: object) -> dict[str, object]:
    data = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_username": "owner@sol.example.com",
        "smtp_password": "",
        "sender_name": "Sol Support",
        "sender_address": "help@sol.example.com",
    }
    data.update(changes)
    return data


class AuthServer:
    """An aiosmtpd server that asks for a login, accepting only PASSWORD (or nothing at all)."""

    def __init__(self, accept: bool) -> None:
        self.inbox, self.port, self.logins = SmtpInbox(), free_port(), []

        def authenticate(server, session, envelope, mechanism, auth_data):
            self.logins.append(auth_data.login.decode())
            return AuthResult(success=accept and auth_data.password.decode() == PASSWORD, handled=False)

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, authenticator=authenticate, auth_require_tls=False)


@pytest.fixture
def auth_server(request) -> Iterator[AuthServer]:
    server = AuthServer(accept=request.param)
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never says a word (a firewall that swallows, a hung server)."""
    listener, port, held = socket.socket(), free_port(), []
    listener.bind(("127.0.0.1", port))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    listener.close()


@pytest.fixture
def owner(client):
    user = factories.admin()
    factories.login(client, user)
    return user


def send_test(client, app) -> str:
    """Press "Send a test email" (htmx), let the worker run it, and return the progress fragment it polls."""
    started = client.post("/admin/settings/email/test", headers={"HX-Request": "true"})
    assert started.status_code == 200 and "Queued" in started.text and 'hx-trigger="load delay:1s"' in started.text
    status_url = started.text.split('hx-get="', 1)[1].split('"', 1)[0]
    assert run_jobs(app) == 1
    return client.get(status_url, headers={"HX-Request": "true"}).text


def test_outgoing_email_goes_through_the_saved_server_from_the_saved_sender(make_app, app, inbox, smtp):
    dead = make_app(MAIL_URL=f"smtp://127.0.0.1:{free_port()}")  # what the app was started with: nobody listens
    with dead.app_context():
        client = dead.test_client()
        factories.login(client, factories.admin())
        assert client.post("/admin/settings/email", data=email_form(smtp[1], smtp_username="")).status_code == 303
        factories.ticket(email="carla@example.com")
        run_jobs(dead)
        [email] = db.session.scalars(select(OutgoingEmail)).all()
        assert email.status is EmailStatus.SENT
        [message] = inbox.messages
        assert message["From"] == "Sol Support <help@sol.example.com>" and message["To"] == "carla@example.com"


def test_the_test_email_shows_queued_then_sent_and_arrives(client, app, owner, inbox, smtp):
    client.post("/admin/settings/email", data=email_form(smtp[1], smtp_username=""))
    fragment = send_test(client, app)
    assert "Sent." in fragment and f"127.0.0.1:{smtp[1]}" in fragment and owner.email in fragment
    assert "hx-get" not in fragment  # finished: it stops polling
    [message] = inbox.messages
    assert message["To"] == owner.email and "Test email from" in message["Subject"]


def test_without_javascript_the_test_email_is_followed_on_a_page_refreshed_by_link(client, app, owner, smtp):
    client.post("/admin/settings/email", data=email_form(smtp[1], smtp_username=""))
    started = client.post("/admin/settings/email/test")
    assert started.status_code == 303 and "/admin/settings/email?check=" in started.headers["Location"]
    page = client.get(started.headers["Location"]).text
    assert "Queued" in page and "Refresh to see the progress" in page
    run_jobs(app)
    assert "Sent." in client.get(started.headers["Location"]).text


@pytest.mark.parametrize("auth_server", [False], indirect=True)
def test_a_refused_login_shows_the_servers_exact_answer(client, app, owner, auth_server):
    client.post("/admin/settings/email", data=email_form(auth_server.port, smtp_password="wrong password"))
    fragment = send_test(client, app)
    assert "Not sent." in fragment and "535 5.7.8 Authentication credentials invalid" in fragment
    assert set(auth_server.logins) == {"owner@sol.example.com"} and auth_server.inbox.messages == []


def test_a_server_that_never_answers_times_out_after_mail_timeout(make_app, app, silent_server):
    slow = make_app(MAIL_TIMEOUT=1)
    with slow.app_context():
        client = slow.test_client()
        factories.login(client, factories.admin())
        client.post("/admin/settings/email", data=email_form(silent_server))
        fragment = send_test(client, slow)
        assert f"No answer from 127.0.0.1:{silent_server}: the connection timed out after 1 s." in fragment


def test_the_password_is_kept_when_left_empty_and_removed_with_the_checkbox(client, owner, smtp):
    client.post("/admin/settings/email", data=email_form(smtp[1], smtp_password=PASSWORD))
    page = client.get("/admin/settings/email").text
    assert "Leave empty to keep the saved password" in page and PASSWORD not in page
    client.post("/admin/settings/email", data=email_form(smtp[1], sender_name="Sol Help"))
    assert queries.smtp_settings().password == PASSWORD
    client.post("/admin/settings/email", data=email_form(smtp[1], clear_password="y"))
    assert queries.smtp_settings().password is None and not queries.has_smtp_password()


def test_bad_email_settings_are_refused_and_kept_filled(client, owner):
    response = client.post("/admin/settings/email", data=email_form(0, sender_address="not an address", smtp_port="70000"))
    assert response.status_code == 422
    assert 'value="not an address"' in response.text and "A port is a number from 1 to 65535." in response.text
    assert queries.value("smtp_host") is None


def test_mail_url_in_the_environment_shows_the_server_read_only(make_app, app, monkeypatch):
    monkeypatch.setenv("MAIL_URL", "smtp://mailer:secret-from-env@mail.env.test:2525")
    locked = make_app(MAIL_URL="smtp://mailer:secret-from-env@mail.env.test:2525")
    with locked.app_context():
        client = locked.test_client()
        factories.login(client, factories.admin())
        page = client.get("/admin/settings/email").text
        assert "Set by the environment (MAIL_URL)" in page and 'value="mail.env.test"' in page and "secret-from-env" not in page
        assert client.post("/admin/settings/email", data={"sender_name": "X"}).status_code == 303
        assert queries.value("smtp_host") is None


def _redis_text() -> bytes:
    found = b""
    with Redis.from_url(TEST_REDIS_URL) as redis:
        for key in redis.scan_iter():
            kind = redis.type(key)
            values = [redis.get(key)] if kind == b"string" else list(redis.hgetall(key).values()) if kind == b"hash" else []
            for value in values:
                found += value or b""
                with contextlib.suppress(zlib.error, TypeError):
                    found += zlib.decompress(value)
    return found


@pytest.mark.parametrize("auth_server", [True], indirect=True)
def test_the_smtp_password_never_appears_in_pages_logs_outbox_database_or_redis(make_app, app, auth_server, capsys):
    loud = make_app(LOG_LEVEL="DEBUG")
    with loud.app_context():
        client = loud.test_client()
        owner = factories.admin()
        factories.login(client, owner)
        saved = client.post("/admin/settings/email", data=email_form(auth_server.port, smtp_password=PASSWORD), follow_redirects=True)
        pages = [saved.text]
        pages.append(send_test(client, loud))
        assert "Sent." in pages[-1] and auth_server.logins == ["owner@sol.example.com"]
        factories.ticket(email="carla@example.com")
        run_jobs(loud)
        pages += [client.get(url).text for url in ("/admin/settings/email", "/admin/settings", "/admin/outgoing-mail/")]
        assert [m["To"] for m in auth_server.inbox.messages] == [owner.email, "carla@example.com"]
        # A wrong password later: the server's refusal is shown, the password is not.
        client.post("/admin/settings/email", data=email_form(auth_server.port, smtp_password=PASSWORD + "-old"))
        pages.append(send_test(client, loud))
        assert "535" in pages[-1]
        db.session.commit()
        for page in pages:
            assert PASSWORD not in page
        for row in db.session.scalars(select(OutgoingEmail)):
            assert PASSWORD not in " ".join(str(v) for v in (row.subject, row.body_text, row.body_html, row.last_error, row.references))
        for table in db.metadata.sorted_tables:  # every column of every table
            for row in db.session.execute(select(table)):
                assert PASSWORD not in repr(tuple(row)), table.name
        assert PASSWORD.encode() not in _redis_text()
        logs = capsys.readouterr()
        assert "settings changed names=" in logs.err and PASSWORD not in logs.out + logs.err
