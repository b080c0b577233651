"""The outbox: every outgoing email is a row, written in the transaction that caused it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import Base, UTCDateTime, str_enum, utcnow


class EmailStatus(StrEnum):
    QUEUED = "queued"  # waiting for delivery (or for its next attempt)
    SENDING = "sending"  # claimed by a job; back to queued if the job dies
    SENT = "sent"
    HELD = "held"  # no mail server configured: kept for the admin page, never sent
    FAILED = "failed"  # gave up after the last attempt; see last_error
    SKIPPED = "skipped"  # addressed to a blocked domain (MAIL_BLOCKED_DOMAINS): never sent, never retried


class OutgoingEmail(Base):
    __tablename__ = "outgoing_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    # The row id of the public message this email carries (not an RFC Message-ID: that is email_message_id).
    ticket_message_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_message.id", ondelete="SET NULL"))
    # The files that go with it, [{"filename": ..., "key": storage key}], so delivery needs no ticket models.
    attachments: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(32))  # auto_reply, reply, ...
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    email_message_id: Mapped[str] = mapped_column(String(255), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(255))
    references: Mapped[str | None] = mapped_column(Text)
    is_auto_submitted: Mapped[bool] = mapped_column(default=False)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[EmailStatus] = mapped_column(str_enum(EmailStatus), default=EmailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # When the sweeper may (re-)enqueue this row: a lease while a job is queued, the back-off after a failure.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_outgoing_email_status_next", "status", "next_attempt_at"),)
