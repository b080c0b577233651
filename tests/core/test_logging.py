"""Logs an owner reads in journald: one line per event, ISO time, level, request id; never a password."""

import re

from tests import factories
from tests.conftest import run_jobs

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} (INFO|WARNING|ERROR) helpdesk\.[\w.]+ \[[\w.-]+\] .+$")


def our_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if " helpdesk." in line]


def test_a_failed_sign_in_is_logged_with_the_request_id_and_without_the_password(client, capsys):
    factories.agent("Olga", email="olga@acme.test")
    wrong = {"email": "olga@acme.test", "password": "hunter2-wrong"}
    response = client.post("/login", data=wrong, headers={"X-Request-ID": "req-abc12345"})
    assert response.headers["X-Request-ID"] == "req-abc12345"
    lines = our_lines(capsys.readouterr().err)
    failed = [line for line in lines if "sign-in failed" in line]
    assert len(failed) == 1 and LINE.match(failed[0]), lines
    assert "[req-abc12345]" in failed[0] and "reason=wrong-password" in failed[0]
    assert "hunter2" not in "\n".join(lines)

    client.post("/login", data={"email": "olga@acme.test", "password": factories.PASSWORD})
    lines = our_lines(capsys.readouterr().err)
    assert any(re.search(r"INFO helpdesk\.accounts\.services \[[0-9a-f]{12}\] sign-in user=\d+", line) for line in lines), lines


def test_a_refused_delivery_is_logged_as_a_permanent_failure_and_the_job_run_is_logged(app, capsys):
    factories.ticket(email="bounce@example.com")
    capsys.readouterr()
    run_jobs(app)
    lines = our_lines(capsys.readouterr().err)
    failure = [line for line in lines if "email failed permanently" in line]
    assert len(failure) == 1 and LINE.match(failure[0]), lines
    assert " ERROR helpdesk.mail.jobs " in failure[0] and "kind=auto_reply" in failure[0] and "550" in failure[0]
    assert any("job start name=helpdesk.mail.jobs.send_outgoing_email" in line for line in lines), lines
    assert any(re.search(r"job done name=helpdesk\.mail\.jobs\.send_outgoing_email .* duration=\d+\.\d{3}s", line) for line in lines), lines


def test_log_level_comes_from_the_settings(make_app, capsys):
    quiet = make_app(LOG_LEVEL="WARNING")
    with quiet.test_request_context():
        import logging

        logging.getLogger("helpdesk.test").info("not shown")
        logging.getLogger("helpdesk.test").warning("shown")
    err = capsys.readouterr().err
    assert "shown" in err and "not shown" not in err
