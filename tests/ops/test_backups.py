"""SQLite backups: a failed copy is logged and leaves nothing that could pass for a backup."""

import logging
import sqlite3

import pytest

from helpdesk.ops.backup import backup_sqlite


def test_a_backup_keeps_the_newest_copies(tmp_path):
    source = tmp_path / "live.sqlite3"
    with sqlite3.connect(source) as connection:
        connection.execute("CREATE TABLE t (x INTEGER)")
    folder = tmp_path / "backups"
    for stale in ("live-20000101-000000.sqlite3", "live-20000102-000000.sqlite3"):
        (folder / stale).parent.mkdir(exist_ok=True)
        (folder / stale).write_bytes(b"old")
    target = backup_sqlite(source, folder, keep=2)
    assert sorted(p.name for p in folder.iterdir()) == ["live-20000102-000000.sqlite3", target.name]
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]


def test_a_failed_backup_is_logged_and_leaves_no_partial_copy(tmp_path, caplog):
    source = tmp_path / "live.sqlite3"
    source.write_bytes(b"this is not a database, it only looks like one by name" * 100)
    folder = tmp_path / "backups"
    (folder).mkdir()
    (folder / "live-20000101-000000.sqlite3").write_bytes(b"the last good backup")
    with caplog.at_level(logging.ERROR, logger="helpdesk"), pytest.raises(sqlite3.DatabaseError):
        backup_sqlite(source, folder, keep=1)
    assert [p.name for p in folder.iterdir()] == ["live-20000101-000000.sqlite3"]  # the good one was not rotated out
    [record] = [r for r in caplog.records if r.name == "helpdesk.ops.backup"]
    assert record.levelno == logging.ERROR and record.getMessage().startswith("backup failed: database=")
