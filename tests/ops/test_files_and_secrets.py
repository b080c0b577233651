"""What the app writes to disk is readable by its own user only, and a guessable SECRET_KEY is refused."""

import io
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from helpdesk import ROOT, ConfigError, _instance_defaults, create_app
from helpdesk.core.storage import path_for
from helpdesk.tickets.models import Attachment

FORM = {"name": "Carla Customer", "email": "carla@example.com", "subject": "Invoice", "message": "See the file."}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("key", ["x", "changeme", "a" * 31, "ñ" * 15])
def test_secret_key_shorter_than_32_bytes_is_refused_saying_how_to_make_one(base_config, key):
    with pytest.raises(ConfigError, match=r"SECRET_KEY is too short .*secrets\.token_urlsafe"):
        create_app({**base_config, "SECRET_KEY": key})


def test_secret_key_of_32_bytes_and_the_test_suites_own_key_are_accepted(base_config):
    assert create_app({**base_config, "SECRET_KEY": "k" * 32}).config["SECRET_KEY"] == "k" * 32
    assert len(base_config["SECRET_KEY"].encode()) >= 32


def test_instance_folder_and_generated_secret_key_are_owner_only_even_when_made_before(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)  # left by an older version
    app = Flask("helpdesk_probe", instance_path=str(instance))
    app.config.update(SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=None)
    _instance_defaults(app)
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600
    assert len(app.config["SECRET_KEY"]) >= 32


def test_sqlite_database_is_created_owner_only_and_an_old_readable_one_is_tightened(tmp_path):
    old = tmp_path / "old.sqlite3"
    old.touch()
    old.chmod(0o644)
    script = """
import os, sys
os.umask(0o022)  # what a login shell usually has
from sqlalchemy import text
from helpdesk import create_app
from helpdesk.core.extensions import db
for name in ("new.sqlite3", "old.sqlite3"):
    app = create_app({"TESTING": True, "SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{sys.argv[1]}/{name}"})
    with app.app_context():
        db.session.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
        db.session.execute(text("INSERT INTO t VALUES (1)"))
        db.session.commit()
"""
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, check=True, timeout=60)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert {"new.sqlite3", "old.sqlite3"} <= set(files)
    assert {name: mode(tmp_path / name) for name in files} == {name: 0o600 for name in files}


def test_uploaded_attachments_and_their_folders_are_owner_only(client, app):
    response = client.post("/requests/new", data={**FORM, "attachments": [(io.BytesIO(b"%PDF-1.4 invoice"), "invoice.pdf")]})
    assert response.status_code == 303
    attachment = app.extensions["sqlalchemy"].session.scalars(select(Attachment)).one()
    with app.test_request_context():
        path = path_for(attachment.storage_key)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700


def test_backups_are_owner_only(make_app, tmp_path):
    folder = tmp_path / "backups"
    result = make_app(BACKUP_DIR=str(folder)).test_cli_runner().invoke(args=["ops", "backup"])
    assert result.exit_code == 0, result.output
    [archive] = folder.glob("*.tar.gz")
    assert mode(folder) == 0o700 and mode(archive) == 0o600
