"""Backups that restore: what `flask ops backup`, `flask ops restore ARCHIVE`, `flask ops verify ARCHIVE` (ops/cli.py)
and the nightly job (ops/jobs.py) do.

One archive (`helpdesk-YYYYMMDD-HHMMSS.tar.gz`, owner-only) holds:
- `database/helpdesk.sqlite3` (SQLite's online backup API) or `database/helpdesk.pgdump` (`pg_dump -Fc`): a
  consistent snapshot taken while the app runs. On PostgreSQL the row counts are read in the very snapshot
  pg_dump dumps (an exported snapshot), so the manifest's counts are exactly what the dump holds;
- `attachments/…`: every stored file, copied after the snapshot (files are written before the rows that name
  them, so every attachment row in the snapshot has its file);
- `manifest.json`: format, time, app version, Alembic revision, row counts per table, size and sha256 of every
  other member.

An archive is written to a hidden temporary name in the same folder, synced and then renamed, so a failure
(a full disk) leaves no half archive and the earlier backups untouched; only then are the oldest pruned down to
BACKUP_KEEP. `verify` reads every member and checks it against the manifest (a truncated, corrupted or altered
archive is refused with what is wrong); `restore` verifies first, refuses a database that holds data unless
forced, loads the snapshot, checks its counts against the manifest, puts the attachments back (each checked
again as it is written) and runs the migrations, so an archive from an older version restores into newer code.
"""

import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO

import click
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import Connection, func, inspect, select, table, text
from sqlalchemy.engine import URL

from ..core.extensions import db
from ..core.storage import attachments_dir

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/helpdesk.sqlite3", "postgresql": "database/helpdesk.pgdump"}
ATTACHMENTS = "attachments/"
ARCHIVE_NAME = re.compile(r"helpdesk-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz")
# Rows the migrations themselves write: a database holding only these is empty.
SEEDED_TABLES = frozenset({"alembic_version", "ticket_counter", "survey_settings"})
CHUNK = 1024 * 1024
LAST_RESULT = "last-backup.json"  # the outcome of the latest attempt, for a status page
log = logging.getLogger(__name__)
MANIFEST_MAX_BYTES = 16 * 1024 * 1024


class BackupError(click.ClickException):
    """A backup, restore or verify that could not be done; the message says why."""


class ArchiveInvalid(BackupError):
    """An archive that is truncated, corrupted, altered or not ours; the message lists what is wrong."""


@dataclass
class Backup:
    path: Path
    size: int
    manifest: dict


def backup_folder() -> Path:
    """BACKUP_DIR, or instance/backups; made owner-only."""
    folder = Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def archives(folder: Path) -> list[Path]:
    """The backups in a folder, oldest first (their names sort by time)."""
    found = {p: ARCHIVE_NAME.fullmatch(p.name) for p in folder.iterdir()}
    return sorted((p for p, m in found.items() if m), key=lambda p: (found[p][1], int(found[p][2] or 1)))  # type: ignore[index]


def _app_version() -> str | None:
    try:
        return metadata.version("helpdesk")
    except metadata.PackageNotFoundError:
        return None


def _sha256(fh: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class _HashingReader:
    """A file wrapper that hashes what tarfile reads through it."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh, self.digest, self.size = fh, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- the database snapshot ----------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _snapshot_sqlite(target: Path) -> tuple[dict[str, int], str | None]:
    """Copy the live database with the online backup API (one step: a consistent read, writers carry on under
    WAL), then read the counts and the revision from the copy itself."""
    source = _sqlite_path()
    if not source.exists():
        raise BackupError(f"The database file {source} does not exist.")
    with closing(sqlite3.connect(source, timeout=60)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    with closing(sqlite3.connect(target)) as snapshot:
        snapshot.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _sqlite_counts(snapshot), _sqlite_revision(snapshot)


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: connection.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0] for name in sorted(names)}  # noqa: S608 (catalogue names)


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it (never argv)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _pg_counts(connection: Connection) -> dict[str, int]:
    names = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()
    return {name: connection.execute(select(func.count()).select_from(table(name))).scalar_one() for name in sorted(names)}


def _pg_revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _snapshot_postgresql(target: Path) -> tuple[dict[str, int], str | None]:
    """pg_dump in a snapshot exported by our own REPEATABLE READ transaction, which reads the counts: the dump
    and the manifest describe the same instant."""
    conninfo, env = _libpq(db.engine.url)
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        counts, revision = _pg_counts(connection), _pg_revision(connection)
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={target}", conninfo]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts, revision


def _snapshot(target_dir: Path) -> tuple[str, Path, dict[str, int], str | None]:
    dialect = db.engine.dialect.name
    if dialect not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {dialect}.")
    path = target_dir / Path(DATABASE_MEMBERS[dialect]).name
    counts, revision = (_snapshot_sqlite if dialect == "sqlite" else _snapshot_postgresql)(path)
    return dialect, path, counts, revision


# --- writing an archive -------------------------------------------------------------------------------------


def _tarinfo(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(datetime.now(UTC).timestamp())
    return info


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    with path.open("rb") as fh:
        reader = _HashingReader(fh)
        tar.addfile(_tarinfo(name, path.stat().st_size), reader)  # type: ignore[arg-type]
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


def _attachment_files() -> Iterator[tuple[str, Path]]:
    """Stored files (not the hidden .part files of uploads in flight), by their archive name."""
    folder = attachments_dir()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not path.is_symlink() and not any(part.startswith(".") for part in relative.parts):
            yield ATTACHMENTS + relative.as_posix(), path


def _new_archive_path(folder: Path) -> Path:
    """helpdesk-YYYYMMDD-HHMMSS.tar.gz; a second one within the same second gets -2, -3… (after any kept one)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    same_second = [int(m[2] or 1) for p in folder.iterdir() if (m := ARCHIVE_NAME.fullmatch(p.name)) and m[1] == stamp]
    n = max(same_second, default=0) + 1
    return folder / (f"helpdesk-{stamp}.tar.gz" if n == 1 else f"helpdesk-{stamp}-{n}.tar.gz")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_backup(keep: int | None = None) -> Backup:
    """Write one archive into the backup folder and keep the newest `keep` (BACKUP_KEEP); see the module doc.
    Every attempt, failed or not, is recorded for `last_backup()`."""
    folder = backup_folder()
    try:
        result = _write_backup(folder, current_app.config["BACKUP_KEEP"] if keep is None else keep)
    except BackupError as exc:
        _record(folder, {"ok": False, "error": exc.message})
        raise
    _record(folder, {"ok": True, "path": str(result.path), "size": result.size, "tickets": result.manifest["counts"].get("ticket")})
    return result


def _write_backup(folder: Path, keep: int) -> Backup:
    final = _new_archive_path(folder)
    part = folder / f".{final.name}.part"
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        dialect, database, counts, revision = _snapshot(staging)
        files: dict[str, dict] = {}
        with os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            with tarfile.open(fileobj=out, mode="w:gz") as tar:
                member = DATABASE_MEMBERS[dialect]
                files[member] = _add_file(tar, member, database)
                for name, path in _attachment_files():
                    files[name] = _add_file(tar, name, path)
                manifest = {
                    "format": FORMAT,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "version": _app_version(),
                    "alembic_revision": revision,
                    "database": {"dialect": dialect, "member": member},
                    "counts": counts,
                    "files": files,
                }
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                tar.addfile(_tarinfo(MANIFEST, len(data)), io.BytesIO(data))
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, final)
        _fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"The backup failed and was not kept ({exc}); earlier backups are untouched.") from exc
    finally:
        part.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    if keep > 0:
        for old in archives(folder)[:-keep]:
            old.unlink()
    return Backup(final, final.stat().st_size, manifest)


def _record(folder: Path, outcome: dict) -> None:
    """Write the outcome of this attempt to LAST_RESULT (best effort: a full disk may refuse this too)."""
    data = json.dumps({"at": datetime.now(UTC).isoformat(timespec="seconds"), **outcome}).encode()
    part = folder / f".{LAST_RESULT}.part"
    try:
        with os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(data)
        os.replace(part, folder / LAST_RESULT)
    except OSError:
        log.exception("could not record the backup's outcome")
        part.unlink(missing_ok=True)


def last_backup() -> dict | None:
    """The latest attempt: {"at", "ok", and "path", "size", "tickets" or "error"}; None before the first."""
    try:
        return json.loads((backup_folder() / LAST_RESULT).read_text())
    except (OSError, ValueError):
        return None


# --- reading an archive -------------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(part not in ("", ".", "..") for part in parts) and "\\" not in name


def _read_members(path: Path) -> tuple[dict | None, dict[str, dict], list[str]]:
    """Stream through the archive: (the manifest or None, size and sha256 of every other member, problems)."""
    problems: list[str] = []
    seen: dict[str, dict] = {}
    manifest: dict | None = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                if not member.isfile() or not _safe_name(member.name):
                    problems.append(f"unexpected member {member.name!r} (only plain files with relative names belong in a backup)")
                    continue
                if member.name in seen or (member.name == MANIFEST and manifest is not None):
                    problems.append(f"{member.name} appears twice")
                    continue
                fh = tar.extractfile(member)
                assert fh is not None  # a regular file
                if member.name == MANIFEST:
                    manifest = _parse_manifest(fh.read(MANIFEST_MAX_BYTES + 1), problems)
                    continue
                sha256, size = _sha256(fh)
                seen[member.name] = {"size": size, "sha256": sha256}
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise ArchiveInvalid(f"{path.name} is truncated or corrupted, or not a helpdesk backup (a .tar.gz): {exc}") from exc
    return manifest, seen, problems


def _parse_manifest(data: bytes, problems: list[str]) -> dict | None:
    if len(data) > MANIFEST_MAX_BYTES:
        problems.append("manifest.json is too large")
        return None
    try:
        manifest = json.loads(data)
    except ValueError:
        problems.append("manifest.json is not valid JSON")
        return None
    keys = {"format", "database", "counts", "files"}
    if not isinstance(manifest, dict):
        problems.append("manifest.json is not a JSON object")
        return None
    if not keys <= set(manifest):
        problems.append(f"manifest.json lacks {', '.join(sorted(keys - set(manifest)))}")
        return None
    shapes = {"database": dict, "counts": dict, "files": dict}
    if any(not isinstance(manifest[key], kind) for key, kind in shapes.items()) or not all(
        isinstance(entry, dict) for entry in manifest["files"].values()
    ):
        problems.append("manifest.json is not shaped like a helpdesk manifest")
        return None
    if manifest["format"] != FORMAT:
        problems.append(f"backup format {manifest['format']!r} is not one this version reads ({FORMAT})")
        return None
    return manifest


def verify_archive(path: Path) -> dict:
    """Check an archive without restoring it: every member read and matched against the manifest. Returns the
    manifest; raises ArchiveInvalid listing every problem."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    manifest, seen, problems = _read_members(path)
    if manifest is None:
        if not any("manifest" in p for p in problems):
            problems.append("manifest.json is missing")
    else:
        listed: dict[str, dict] = manifest["files"]
        database = manifest["database"]
        if database.get("dialect") not in DATABASE_MEMBERS or database.get("member") != DATABASE_MEMBERS[database["dialect"]]:
            problems.append("the manifest names no database snapshot this version knows")
        elif database["member"] not in listed:
            problems.append(f"the database snapshot {database['member']} is not listed in the manifest")
        for name, expected in sorted(listed.items()):
            actual = seen.get(name)
            if actual is None:
                problems.append(f"{name} is listed in the manifest but missing from the archive")
            elif actual != {"size": expected.get("size"), "sha256": expected.get("sha256")}:
                problems.append(f"{name} does not match its checksum in the manifest (altered or damaged)")
        for name in sorted(set(seen) - set(listed)):
            problems.append(f"{name} is in the archive but not in the manifest")
        for name in listed:
            if name != database.get("member") and not (name.startswith(ATTACHMENTS) and _safe_name(name)):
                problems.append(f"{name} is not a database snapshot or an attachment")
    if problems:
        raise ArchiveInvalid(f"{path.name} is not a sound backup:\n- " + "\n- ".join(problems))
    return manifest  # type: ignore[return-value]


@contextmanager
def _members(path: Path) -> Iterator[Iterator[tuple[tarfile.TarInfo, IO[bytes]]]]:
    with tarfile.open(path, mode="r:gz") as tar:

        def each() -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
            for member in tar:
                fh = tar.extractfile(member) if member.isfile() else None
                if fh is not None:
                    yield member, fh

        yield each()


def _extract_checked(fh: IO[bytes], target: Path, expected: dict) -> None:
    """Write a member to a temporary name, checking it against the manifest again (the archive may have changed
    since it was verified), then rename it into place."""
    part = target.with_name(f".{target.name}.part")
    digest = hashlib.sha256()
    try:
        with os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != expected["sha256"]:
            raise ArchiveInvalid(f"{target.name} changed while it was being restored")
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


# --- restoring ----------------------------------------------------------------------------------------------


def database_counts() -> dict[str, int]:
    """Rows per table of the app's database, as the manifest counts them."""
    if db.engine.dialect.name == "sqlite":
        with closing(sqlite3.connect(_sqlite_path(), timeout=60)) as connection:
            return _sqlite_counts(connection)
    with db.engine.connect() as connection:
        return _pg_counts(connection)


def _rows_with_data() -> dict[str, int]:
    return {name: n for name, n in database_counts().items() if n and name not in SEEDED_TABLES and not name.startswith("kb_article_fts")}


def _load_sqlite(snapshot: Path) -> None:
    """Replace the database's content with the snapshot's, page by page, through SQLite itself."""
    with closing(sqlite3.connect(snapshot)) as src, closing(sqlite3.connect(_sqlite_path(), timeout=60)) as dst:
        src.backup(dst)


def _load_postgresql(dump: Path) -> None:
    """Drop every table of the schema (the database was found empty, or the owner forced it), then pg_restore in
    one transaction."""
    with db.engine.begin() as connection:
        for name in inspect(connection).get_table_names():
            connection.execute(text(f"DROP TABLE IF EXISTS {_quote(name)} CASCADE"))
    conninfo, env = _libpq(db.engine.url)
    command = ["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--exit-on-error", "--single-transaction"]
    result = subprocess.run([*command, f"--dbname={conninfo}", str(dump)], env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def restore_archive(path: Path, *, force: bool = False) -> dict:
    """Rebuild this instance from an archive (see the module doc). Returns the manifest."""
    manifest = verify_archive(path)
    dialect = db.engine.dialect.name
    if manifest["database"]["dialect"] != dialect:
        raise BackupError(f"This backup holds a {manifest['database']['dialect']} database; this instance uses {dialect}.")
    data = _rows_with_data()
    if data and not force:
        tables = ", ".join(f"{name} ({n} rows)" for name, n in sorted(data.items())[:5])
        raise BackupError(f"The database is not empty: {tables}. Restore into an empty instance, or pass --force to replace its data.")
    db.session.remove()
    db.engine.dispose()
    files: dict[str, dict] = manifest["files"]
    attachments = attachments_dir()
    with tempfile.TemporaryDirectory(prefix="helpdesk-restore-") as tmp, _members(path) as members:
        for member, fh in members:
            expected = files.get(member.name)
            if expected is None:
                continue  # the manifest itself
            if member.name == manifest["database"]["member"]:
                snapshot = Path(tmp) / Path(member.name).name
                _extract_checked(fh, snapshot, expected)
                (_load_sqlite if dialect == "sqlite" else _load_postgresql)(snapshot)
                db.engine.dispose()
            else:
                target = attachments.joinpath(*member.name[len(ATTACHMENTS) :].split("/"))
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                _extract_checked(fh, target, expected)
    restored = database_counts()
    if restored != manifest["counts"]:
        differ = sorted(name for name in set(restored) | set(manifest["counts"]) if restored.get(name) != manifest["counts"].get(name))
        raise BackupError(f"The restored database does not hold what the manifest counted (tables: {', '.join(differ)}).")
    upgrade()  # an archive from an older version: bring its schema up to this code
    return manifest


# --- commands and the nightly job ---------------------------------------------------------------------------
