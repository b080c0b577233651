"""Uploaded files on disk: checked, streamed to a temporary name, hashed, renamed; removed unless their rows commit.

Files before rows: a file is complete on disk before the row that names it is written, and a request that
fails after storing leaves no orphan file behind (`files_kept_on_commit`).
"""

import errno
import hashlib
import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from .errors import HelpdeskError
from .extensions import db

log = logging.getLogger(__name__)
CHUNK = 64 * 1024
# Executables, scripts and installers: refused whatever the browser says they are.
DENIED_EXTENSIONS = frozenset(
    [
        "exe",
        "com",
        "bat",
        "cmd",
        "msi",
        "msp",
        "scr",
        "pif",
        "cpl",
        "dll",
        "sys",
        "vbs",
        "vbe",
        "js",
        "jse",
        "ws",
        "wsf",
        "wsh",
        "hta",
        "ps1",
        "psm1",
        "jar",
        "apk",
        "app",
        "dmg",
        "pkg",
        "deb",
        "rpm",
        "sh",
        "bash",
        "zsh",
        "csh",
        "ksh",
        "run",
        "elf",
        "lnk",
        "reg",
        "inf",
        "scf",
        "iso",
        "img",
        "vhd",
        "vhdx",
        "gadget",
        "application",
        "msc",
    ]
)
DENIED_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


class UploadRejected(HelpdeskError):
    """A file was refused; the message says why and names the file."""


class StorageFull(UploadRejected):
    """The disk (or the quota) is full: nothing was stored; the person may try later or send without files."""

    status = 507  # Insufficient Storage (RFC 4918)


_FULL = (errno.ENOSPC, errno.EDQUOT)


@dataclass
class StoredFile:
    key: str
    path: Path
    filename: str
    size: int
    sha256: str
    content_type: str
    image_type: str | None


def attachments_dir() -> Path:
    folder = Path(current_app.config.get("ATTACHMENTS_DIR") or Path(current_app.instance_path) / "attachments")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner-only: customers' files
    return folder


def path_for(key: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        raise ValueError("not a storage key")
    return attachments_dir() / key[:2] / key


def sanitize_filename(name: str | None) -> str:
    """A display name that is safe anywhere: no folders, no control or bidi characters, not hidden, not empty."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # controls, bidi overrides, NUL…
    name = re.sub(r"[<>:\"|?*]", "_", name).strip().lstrip(".").strip()
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:140] + dot + ext[:9]) if dot and len(ext) < 10 else name[:150]
    return name or "file"


def _extensions(name: str) -> list[str]:
    return [part.lower() for part in name.split(".")[1:]]


def _sniff_image(head: bytes) -> str | None:
    for magic, kind in IMAGE_MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _declared_type(upload: FileStorage) -> str:
    declared = (upload.mimetype or "").lower()
    return declared if re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", declared or "") and len(declared) <= 100 else "application/octet-stream"


def store_upload(upload: FileStorage, *, max_bytes: int) -> StoredFile:
    """Check and write one upload. Raises UploadRejected, leaving nothing on disk."""
    filename = sanitize_filename(upload.filename)
    if DENIED_EXTENSIONS.intersection(_extensions(filename)):
        raise UploadRejected(_("“%(name)s” is a kind of file we do not accept (programs and scripts).", name=filename))
    key = secrets.token_hex(16)
    final = path_for(key)
    final.parent.mkdir(mode=0o700, exist_ok=True)
    temporary = final.with_name(f".{key}.part")
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:  # owner-only
            while chunk := upload.stream.read(CHUNK):
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(_("“%(name)s” is larger than %(mb)d MB.", name=filename, mb=max_bytes // 2**20))
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if head.startswith(DENIED_MAGIC):
            raise UploadRejected(_("“%(name)s” is a kind of file we do not accept (programs and scripts).", name=filename))
        if size == 0:
            raise UploadRejected(_("“%(name)s” is empty.", name=filename))
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return StoredFile(key, final, filename, size, digest.hexdigest(), _declared_type(upload), _sniff_image(head))


def store_uploads(uploads: list[FileStorage]) -> list[StoredFile]:
    """Check and write a message's files against the per-file, per-message and count limits; all or none."""
    uploads = [u for u in uploads if u and u.filename]
    config = current_app.config
    if len(uploads) > config["ATTACHMENT_MAX_FILES"]:
        raise UploadRejected(_("At most %(n)d files per message.", n=config["ATTACHMENT_MAX_FILES"]))
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            try:
                stored.append(store_upload(upload, max_bytes=config["ATTACHMENT_MAX_FILE_MB"] * 2**20))
            except OSError as exc:
                if exc.errno not in _FULL:
                    raise
                g.storage_full = True  # admins hear of it once the response is on its way (accounts)
                log.error("attachments storage is full: %s", exc)
                message = _(
                    "We could not store your files right now. Nothing was sent: please try again later, "
                    "or send your message without the files."
                )
                raise StorageFull(message) from exc
            if sum(f.size for f in stored) > config["ATTACHMENT_MAX_MESSAGE_MB"] * 2**20:
                raise UploadRejected(_("The files together are larger than %(mb)d MB.", mb=config["ATTACHMENT_MAX_MESSAGE_MB"]))
    except BaseException:
        discard(stored)
        raise
    return stored


def discard(stored: list[StoredFile]) -> None:
    for item in stored:
        item.path.unlink(missing_ok=True)


@contextmanager
def files_kept_on_commit(stored: list[StoredFile]) -> Iterator[None]:
    """Run the block and commit; if either fails, roll back and delete the files (no orphans)."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        discard(stored)
        raise
