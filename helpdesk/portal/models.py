"""What the portal itself remembers: the one-time key of each sent request form."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Base, UTCDateTime, utcnow
from ..tickets.models import Ticket


class RequestSubmission(Base):
    """One sent request form, by the random key rendered into it: the same key always means the same ticket.

    The key is the primary key, so two racing posts of one form cannot both create a ticket.
    """

    __tablename__ = "request_submission"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship()
