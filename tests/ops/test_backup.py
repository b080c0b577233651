"""Backups that restore: `flask ops backup` → wipe → `flask ops restore` gives back the same data and files;
`verify` and `restore` refuse a truncated or altered archive; a backup taken while tickets are being written is
consistent; a failed backup leaves the earlier ones intact. Real SQLite or PostgreSQL (TEST_DATABASE_URL)."""

import errno
import gzip
import io
import shutil
import tarfile
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from redis import Redis
from rq.cron import CronScheduler
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from helpdesk.accounts.models import Notification
from helpdesk.core.database import schema_revisions
from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.core.storage import store_upload
from helpdesk.customers.services import find_or_create_customer
from helpdesk.jobs.cron import register
from helpdesk.ops import backup
from helpdesk.ops import jobs as ops_jobs
from helpdesk.surveys.models import SurveyInvitation, SurveyResponse
from helpdesk.tickets import services as tickets
from helpdesk.tickets.models import Attachment, Ticket, TicketFieldValue, TicketMessage
from tests import factories
from tests.conftest import TEST_REDIS_URL, _empty_tables

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
PDF = b"%PDF-1.4 invoice " + b"\x00\xff" * 3000


@pytest.fixture
def backups(app, tmp_path) -> Path:
    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    return tmp_path / "backups"


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["ops", *args])


def stored(name: str, content: bytes):
    return store_upload(FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream"), max_bytes=2**20)


def build_data() -> None:
    category = factories.category(fields=[{"type": "text", "label_en": "Order number"}, {"type": "textarea", "label_en": "Steps"}])
    order, steps = category.fields
    customer = find_or_create_customer("carla@example.com", name="Carla Customer", locale="es")
    first = tickets.open_ticket(
        customer=customer,
        subject="Factura duplicada",
        body="Me han cobrado dos veces. ¿Pueden revisarlo?",
        category=category,
        answers={order: ["A-1042"], steps: ["1. Pagar\n2. Ver dos cargos"]},
        attachments=[stored("recibo.png", PNG), stored("factura.pdf", PDF)],
    )
    tickets.add_customer_reply(first, customer=customer, body="Adjunto otra vez.", attachments=[stored("otra.pdf", PDF[::-1])])
    db.session.flush()
    invitation = SurveyInvitation(ticket_id=first.id, resolved_at=utcnow(), expires_at=utcnow() + timedelta(days=7))
    db.session.add(invitation)
    db.session.flush()
    db.session.add(SurveyResponse(invitation_id=invitation.id, rating=4, agent_skill=5, comment="Rápido y amable"))
    db.session.commit()
    factories.ticket("Printer on fire", email="bob@example.com", name="Bob")


def contents(app) -> dict:
    """Everything the test compares, as plain values, plus every attachment's bytes."""
    db.session.remove()
    rows = {
        "tickets": db.session.execute(select(Ticket.number, Ticket.subject, Ticket.status, Ticket.category_id).order_by(Ticket.id)).all(),
        "messages": db.session.execute(select(TicketMessage.ticket_id, TicketMessage.body).order_by(TicketMessage.id)).all(),
        "answers": db.session.execute(
            select(TicketFieldValue.ticket_id, TicketFieldValue.field_id, TicketFieldValue.value).order_by(TicketFieldValue.id)
        ).all(),
        "surveys": db.session.execute(select(SurveyResponse.rating, SurveyResponse.agent_skill, SurveyResponse.comment)).all(),
        "attachments": sorted(db.session.execute(select(Attachment.storage_key, Attachment.filename, Attachment.sha256)).all()),
    }
    folder = Path(app.config["ATTACHMENTS_DIR"])
    rows["files"] = {key: (folder / key[:2] / key).read_bytes() for key, _, _ in rows["attachments"]}
    db.session.remove()
    return rows


def wipe(app) -> None:
    """A fresh instance: the schema with only the rows the migrations write, no attachments."""
    db.session.remove()
    _empty_tables()
    shutil.rmtree(app.config["ATTACHMENTS_DIR"], ignore_errors=True)


def only_archive(folder: Path) -> Path:
    (archive,) = backup.archives(folder)
    return archive


def test_backup_then_wipe_then_restore_gives_back_the_same_data_and_byte_identical_files(app, backups):
    build_data()
    before = contents(app)
    assert len(before["files"]) == 3 and before["answers"] and before["surveys"]

    result = run(app, "backup")
    assert result.exit_code == 0, result.output
    archive = only_archive(backups)
    assert archive.stat().st_mode & 0o077 == 0
    assert "2 tickets, 3 attachments" in result.output
    manifest = backup.verify_archive(archive)
    assert manifest["counts"]["ticket"] == 2 and manifest["alembic_revision"] == schema_revisions(app, db.engine)[1]
    assert len(manifest["files"]) == 4  # the database and three attachments, each with its sha256

    wipe(app)
    assert contents(app)["tickets"] == []
    result = run(app, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert contents(app) == before


def test_restore_refuses_a_database_with_data_unless_forced(app, backups):
    factories.ticket("Kept")
    assert run(app, "backup").exit_code == 0
    archive = only_archive(backups)
    factories.ticket("Written after the backup")

    refused = run(app, "restore", str(archive))
    assert refused.exit_code == 1 and "not empty" in refused.output and "--force" in refused.output
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 2

    forced = run(app, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert [t.subject for t in db.session.scalars(select(Ticket))] == ["Kept"]


def rewrite(archive: Path, target: Path, change: dict[str, bytes]) -> None:
    """Copy an archive, replacing some members' bytes but keeping its manifest (what a tamperer would do)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = change.get(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_a_truncated_or_altered_archive_is_refused_by_verify_and_restore_with_what_is_wrong(app, backups, tmp_path):
    build_data()
    assert run(app, "backup").exit_code == 0
    archive = only_archive(backups)
    assert run(app, "verify", str(archive)).exit_code == 0
    data = archive.read_bytes()
    attachment = next(name for name in backup.verify_archive(archive)["files"] if name.startswith("attachments/"))

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    altered = tmp_path / "altered.tar.gz"
    rewrite(archive, altered, {attachment: b"not the customer's file"})
    corrupted = tmp_path / "corrupted.tar.gz"
    corrupted.write_bytes(data[:200] + bytes([data[200] ^ 0xFF]) + data[201:])
    no_manifest = tmp_path / "no-manifest.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("attachments/x"), io.BytesIO(b""))
    not_a_tar = tmp_path / "notes.tar.gz"
    not_a_tar.write_bytes(gzip.compress(b"hello"))

    wipe(app)
    expectations = {
        truncated: "truncated",
        altered: f"{attachment} does not match its checksum",
        corrupted: "corrupted",
        no_manifest: "manifest.json is missing",
        not_a_tar: "not a helpdesk backup",
    }
    for bad, reason in expectations.items():
        for command in ("verify", "restore"):
            result = run(app, command, str(bad))
            assert result.exit_code == 1, (bad.name, command, result.output)
            assert reason in result.output, (bad.name, command, result.output)
    assert contents(app)["tickets"] == [] and not any(Path(app.config["ATTACHMENTS_DIR"]).rglob("*"))


def test_a_backup_taken_while_tickets_are_being_submitted_is_consistent(app, backups):
    first_written = threading.Event()
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            with app.app_context():
                for n in range(20):
                    factories.ticket(f"Submitted {n}", email=f"c{n}@example.com", notify=False)
                    first_written.set()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
            first_written.set()

    writer = threading.Thread(target=submit)
    writer.start()
    assert first_written.wait(30)
    result = backup.create_backup()
    writer.join(60)
    assert not errors and not writer.is_alive()
    counts = result.manifest["counts"]
    assert 1 <= counts["ticket"] <= 20

    wipe(app)
    backup.restore_archive(result.path)  # also checks every table's count against the manifest
    assert backup.database_counts() == counts
    numbers = db.session.scalars(select(Ticket.number)).all()
    with_messages = db.session.scalar(select(func.count(func.distinct(TicketMessage.ticket_id))))
    assert len(numbers) == counts["ticket"] == with_messages  # every ticket with its first message, no half ticket
    assert db.session.scalar(select(func.max(Ticket.number))) == db.session.execute(db.text("SELECT value FROM ticket_counter")).scalar()


def test_a_failed_backup_keeps_the_earlier_ones_and_leaves_no_partial_file(app, backups, monkeypatch):
    build_data()
    assert run(app, "backup").exit_code == 0
    earlier = only_archive(backups)
    earlier_bytes = earlier.read_bytes()
    add_file = backup._add_file

    def disk_fills_up(tar, name, path):
        if name.startswith("attachments/"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return add_file(tar, name, path)

    monkeypatch.setattr(backup, "_add_file", disk_fills_up)
    result = run(app, "backup", "--keep", "1")
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "earlier backups are untouched" in result.output
    assert sorted(backups.iterdir()) == [earlier, backups / "last-backup.json"] and earlier.read_bytes() == earlier_bytes
    assert backup.last_backup()["ok"] is False


def test_only_the_newest_backup_keep_archives_are_kept_and_the_nightly_job_writes_one(app, backups):
    app.config["BACKUP_KEEP"] = 2
    factories.ticket()
    made = [backup.create_backup().path for _ in range(3)]
    ops_jobs.nightly_backup()
    kept = backup.archives(backups)
    assert len(kept) == 2 and made[2] in kept and made[0] not in kept and made[1] not in kept


def test_an_archive_from_an_older_schema_is_migrated_after_it_is_restored(app, backups):
    factories.ticket("From the older version")
    db.session.remove()
    head = schema_revisions(app, db.engine)[1]
    downgrade(revision="-1")
    try:
        older = schema_revisions(app, db.engine)[0]
        result = backup.create_backup()
    finally:
        upgrade()
    assert older != head and result.manifest["alembic_revision"] == older

    wipe(app)
    assert run(app, "restore", str(result.path)).exit_code == 0
    assert schema_revisions(app, db.engine) == (head, head)
    assert db.session.scalars(select(Ticket.subject)).all() == ["From the older version"]


def test_a_failed_nightly_backup_is_recorded_and_every_admin_is_told_in_their_language(app, backups, monkeypatch):
    owner, _agent = factories.admin(), factories.agent()
    owner.locale = "es"
    db.session.commit()
    owner_id = owner.id
    ops_jobs.nightly_backup()
    assert backup.last_backup()["ok"] is True and backup.last_backup()["path"] == str(only_archive(backups))

    def no_space(target_dir):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_snapshot", no_space)
    ops_jobs.nightly_backup()  # logged and told, not raised
    last = backup.last_backup()
    assert last["ok"] is False and "No space left on device" in last["error"]
    notices = db.session.scalars(select(Notification).where(Notification.kind == ops_jobs.BACKUP_FAILED)).all()
    assert [n.user_id for n in notices] == [owner_id]
    assert notices[0].text.startswith("La copia de seguridad nocturna ha fallado: ") and "No space left" in notices[0].text
    assert len(backup.archives(backups)) == 1


def test_the_cron_process_schedules_the_nightly_backup_at_backup_cron(make_app):
    app = make_app(BACKUP_CRON="15 1 * * *")
    scheduler = CronScheduler(connection=Redis.from_url(TEST_REDIS_URL))
    with app.app_context():
        register(scheduler, app)
    (nightly,) = [j for j in scheduler.get_jobs() if j.func is ops_jobs.nightly_backup]
    assert nightly.cron == "15 1 * * *"
    off = CronScheduler(connection=Redis.from_url(TEST_REDIS_URL))
    register(off, make_app(BACKUP_CRON=""))
    assert ops_jobs.nightly_backup not in [j.func for j in off.get_jobs()]
