"""gunicorn run for real with the project's config: no customer token reaches the access log, and the control
socket is the instance's own (not one shared by every gunicorn of the same OS user)."""

import re
import stat
import sys
import urllib.request
from pathlib import Path

import pytest
from flask import url_for
from sqlalchemy import select

from helpdesk import ROOT
from helpdesk.core.extensions import db
from helpdesk.ops.logs import TOKEN_PREFIXES, mask_tokens
from helpdesk.tickets.links import ticket_token
from helpdesk.tickets.models import Ticket
from tests.conftest import TEST_REDIS_URL, free_port
from tests.ops.conftest import wait_for

VALID = {"name": "Carla Customer", "email": "carla@example.com", "subject": "Printer on fire", "message": "It is really on fire."}


def get(url: str, **headers: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:  # not listening yet
        return 0


def test_access_log_masks_every_customer_token_and_the_control_socket_is_in_instance(client, app, process_env, processes, tmp_path):
    sent = client.post("/requests/new", data=VALID).headers["Location"]  # /requests/sent/<token>
    my_token = ticket_token(db.session.scalars(select(Ticket)).one())
    survey_token = "eyJ0aWNrZXQiOjQyfQ.Zx9q1w.c2lnbmF0dXJlLW9mLXRoZS1zdXJ2ZXk"
    port = free_port()
    home = tmp_path / "home"
    home.mkdir()
    env = {**process_env, "REDIS_URL": TEST_REDIS_URL, "BIND": f"127.0.0.1:{port}", "HOME": str(home)}
    web = processes([str(Path(sys.executable).parent / "gunicorn"), "--workers", "1"], env, tmp_path / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: get(f"{base}/healthz") == 200, timeout=30)

    assert get(f"{base}/my/{my_token}") == 200
    assert get(f"{base}/my/{my_token}/attachments/1") == 404
    assert get(f"{base}{sent}") == 200
    assert get(f"{base}/survey/{survey_token}") == 404
    assert get(f"{base}/survey/{survey_token}/opt-out?token={survey_token}") == 404
    assert get(f"{base}/static/css/app.css", Referer=f"{base}/my/{my_token}") in (200, 404)
    wait_for(lambda: web.output.count('"GET ') >= 7, timeout=10)

    sent_token = sent.rpartition("/")[2]
    log = web.output
    for token in (my_token, sent_token, survey_token):
        assert token not in log
    assert '"GET /my/… HTTP/1.1" 200' in log and '"GET /requests/sent/… HTTP/1.1" 200' in log
    assert "/my/…/attachments/1" in log

    socket = ROOT / "instance" / "gunicorn.ctl"
    assert socket.is_socket() and stat.S_IMODE(socket.stat().st_mode) == 0o600
    assert not (home / ".gunicorn").exists()  # gunicorn's shared default, under the home folder
    assert web.stop() == 0


def test_every_token_route_in_the_url_map_is_masked(app):
    token = "eyJhIjoxfQ.ZZZZZZ.secret-part-of-the-token"
    token_rules = [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    assert token_rules
    for rule in token_rules:
        values = {name: 1 if name != "token" else token for name in rule.arguments}
        with app.test_request_context():
            path = url_for(rule.endpoint, **values)
        assert path.startswith(TOKEN_PREFIXES), f"{rule} is not covered by TOKEN_PREFIXES"
        assert token not in mask_tokens(f'127.0.0.1 - - "GET {path}?token={token} HTTP/1.1" 200 "{path}"')


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("GET /my/abc.def-ghi HTTP/1.1", "GET /my/… HTTP/1.1"),
        ("GET /my/abc/attachments/3/preview HTTP/1.1", "GET /my/…/attachments/3/preview HTTP/1.1"),
        ("POST /survey/xyz/opt-out HTTP/1.1", "POST /survey/…/opt-out HTTP/1.1"),
        ("GET /requests/sent/t0k3n HTTP/1.1", "GET /requests/sent/… HTTP/1.1"),
        ("GET /reset?token=abc&x=1 HTTP/1.1", "GET /reset?token=…&x=1 HTTP/1.1"),
        ("GET /kb/how-to-reset-your-password HTTP/1.1", "GET /kb/how-to-reset-your-password HTTP/1.1"),
        ("GET /tickets/1042 HTTP/1.1", "GET /tickets/1042 HTTP/1.1"),
    ],
)
def test_mask_tokens_hides_only_the_secret_part(line, masked):
    assert mask_tokens(line) == masked
    assert re.sub(r"\s", "", masked)  # never empties a line
