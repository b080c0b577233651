"""Reads of the outbox, for the admin's outgoing-mail pages."""

from sqlalchemy import select

from ..core.extensions import db
from ..core.models import id_from
from .models import OutgoingEmail


def outbox_page(before: str | None, size: int) -> tuple[list[OutgoingEmail], int | None]:
    """Newest first, `size` rows older than the id `before` (ignored unless a valid id); and the next page's key."""
    query = select(OutgoingEmail).order_by(OutgoingEmail.id.desc()).limit(size + 1)
    if (before_id := id_from(before)) is not None:
        query = query.where(OutgoingEmail.id < before_id)
    emails = list(db.session.scalars(query))
    more = len(emails) > size
    emails = emails[:size]
    return emails, (emails[-1].id if more and emails else None)


def outgoing_email(email_id: int) -> OutgoingEmail | None:
    return db.session.get(OutgoingEmail, email_id)
