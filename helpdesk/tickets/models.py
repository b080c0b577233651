"""Tickets, their conversation (messages), their audit trail (activity) and categories."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Team, User
from ..core.i18n import in_viewer_language
from ..core.models import Base, UTCDateTime, new_token, str_enum, utcnow
from ..customers.models import Customer


class TicketStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"  # waiting on the customer
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = frozenset({TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING})


class Channel(StrEnum):
    WEB = "web"
    EMAIL = "email"
    PHONE = "phone"
    CHAT = "chat"
    WALK_IN = "walk_in"
    OTHER = "other"


class Level(StrEnum):
    """Impact and urgency (ITIL): how many are affected, how soon it hurts."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    PLANNING = "planning"


# The ITIL impact × urgency matrix: priority follows from the two unless an agent overrides it.
PRIORITY_MATRIX: dict[tuple[Level, Level], Priority] = {
    (Level.HIGH, Level.HIGH): Priority.CRITICAL,
    (Level.HIGH, Level.MEDIUM): Priority.HIGH,
    (Level.MEDIUM, Level.HIGH): Priority.HIGH,
    (Level.HIGH, Level.LOW): Priority.MEDIUM,
    (Level.MEDIUM, Level.MEDIUM): Priority.MEDIUM,
    (Level.LOW, Level.HIGH): Priority.MEDIUM,
    (Level.MEDIUM, Level.LOW): Priority.LOW,
    (Level.LOW, Level.MEDIUM): Priority.LOW,
    (Level.LOW, Level.LOW): Priority.PLANNING,
}


def priority_for(impact: Level, urgency: Level) -> Priority:
    return PRIORITY_MATRIX[(impact, urgency)]


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_es: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    is_surveyed: Mapped[bool] = mapped_column(default=True)  # satisfaction surveys after resolution

    fields: Mapped[list["CustomField"]] = relationship(
        back_populates="category", order_by="CustomField.position, CustomField.id", cascade="all, delete-orphan"
    )

    def name(self, locale: str) -> str:
        return in_viewer_language(self.name_en, self.name_es, locale)


class TicketCounter(Base):
    """One row holding the last ticket number given out; incremented in the creating transaction."""

    __tablename__ = "ticket_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=1000)


class Ticket(Base):
    __tablename__ = "ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)  # what humans say: "#1042"
    subject: Mapped[str] = mapped_column(String(250))
    # What the customer's emails and ticket page call it, when an agent wrote the subject above for the team
    # (a ticket taken by phone: "Called: printer jam"). None: the customer sees the subject.
    customer_subject: Mapped[str | None] = mapped_column(String(250))
    status: Mapped[TicketStatus] = mapped_column(str_enum(TicketStatus), default=TicketStatus.NEW)
    # Denormalised from status so that the open queues are one ordered index range.
    is_open: Mapped[bool] = mapped_column(default=True)
    impact: Mapped[Level] = mapped_column(str_enum(Level), default=Level.MEDIUM)
    urgency: Mapped[Level] = mapped_column(str_enum(Level), default=Level.MEDIUM)
    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.MEDIUM)
    is_priority_overridden: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.WEB)
    tier: Mapped[int] = mapped_column(default=1)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    # Random per ticket and part of every customer link: replacing it revokes the links.
    access_key: Mapped[str] = mapped_column(String(43), default=new_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When this resolution's survey is due; cleared when sent, skipped, or the ticket is reopened. The database,
    # not Redis, holds it: a periodic job sends whatever is due even if the scheduled job was lost.
    survey_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(default=1)

    customer: Mapped[Customer] = relationship()
    assignee: Mapped[User | None] = relationship()
    team: Mapped[Team | None] = relationship()
    category: Mapped[Category | None] = relationship()
    messages: Mapped[list["TicketMessage"]] = relationship(
        back_populates="ticket", order_by="TicketMessage.id", cascade="all, delete-orphan"
    )
    field_values: Mapped[list["TicketFieldValue"]] = relationship(order_by="TicketFieldValue.id", cascade="all, delete-orphan")

    # A concurrent UPDATE of an older version raises StaleDataError instead of overwriting.
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_ticket_updated", "updated_at", "id"),
        Index("ix_ticket_open_updated", "is_open", "updated_at", "id"),
        Index("ix_ticket_assignee_open_updated", "assignee_id", "is_open", "updated_at", "id"),
        Index("ix_ticket_assignee_updated", "assignee_id", "updated_at", "id"),
        Index("ix_ticket_status_updated", "status", "updated_at", "id"),
        Index("ix_ticket_priority_open_updated", "priority", "is_open", "updated_at", "id"),
        Index("ix_ticket_priority_updated", "priority", "updated_at", "id"),
        Index("ix_ticket_category_updated", "category_id", "updated_at", "id"),
        Index("ix_ticket_category_open_updated", "category_id", "is_open", "updated_at", "id"),
    )

    @property
    def reference(self) -> str:
        return f"#{self.number}"

    @property
    def public_subject(self) -> str:
        """The subject as the customer sees it (emails, their ticket page)."""
        return self.customer_subject or self.subject


class TicketMessage(Base):
    """One entry of the conversation: a public reply (customer or agent) or an internal note."""

    __tablename__ = "ticket_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    is_internal: Mapped[bool] = mapped_column(default=False)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    author_customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    # Set when an agent (the author) wrote the message for a customer: what they said on the phone, in a chat
    # or at the counter.
    on_behalf_of_customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    body: Mapped[str] = mapped_column(Text)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.WEB)
    email_message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    author_user: Mapped[User | None] = relationship()
    author_customer: Mapped[Customer | None] = relationship(foreign_keys=[author_customer_id])
    on_behalf_of: Mapped[Customer | None] = relationship(foreign_keys=[on_behalf_of_customer_id])
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="message", order_by="Attachment.id", cascade="all, delete-orphan")

    @property
    def author_name(self) -> str:
        if self.author_user is not None:
            return self.author_user.name
        return self.author_customer.display_name if self.author_customer else ""


class Activity(Base):
    """Who changed what on a ticket, and when: the audit trail."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    kind: Mapped[str] = mapped_column(String(32))
    old: Mapped[str | None] = mapped_column(String(250))
    new: Mapped[str | None] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship()
    actor_user: Mapped[User | None] = relationship()
    actor_customer: Mapped[Customer | None] = relationship()


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    NUMBER = "number"
    DATE = "date"
    SELECT = "select"
    MULTISELECT = "multiselect"
    CHECKBOX = "checkbox"
    EMAIL = "email"
    URL = "url"


CHOICE_TYPES = frozenset({FieldType.SELECT, FieldType.MULTISELECT})


class CustomField(Base):
    """A question a category's form asks; its answers are TicketFieldValue rows of the ticket."""

    __tablename__ = "custom_field"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"), index=True)
    type: Mapped[FieldType] = mapped_column(str_enum(FieldType))
    label_en: Mapped[str] = mapped_column(String(200))
    label_es: Mapped[str] = mapped_column(String(200))
    help_en: Mapped[str] = mapped_column(String(500), default="")
    help_es: Mapped[str] = mapped_column(String(500), default="")
    is_required: Mapped[bool] = mapped_column(default=False)
    is_agent_only: Mapped[bool] = mapped_column(default=False)  # never rendered to customers
    is_active: Mapped[bool] = mapped_column(default=True)  # retired fields keep their old values
    position: Mapped[int] = mapped_column(default=0)
    # Choices of select / multi-select: [{"value": "card", "en": "Card", "es": "Tarjeta"}, …]
    options: Mapped[list] = mapped_column(JSON, default=list)
    min_value: Mapped[float | None] = mapped_column()
    max_value: Mapped[float | None] = mapped_column()

    category: Mapped[Category] = relationship(back_populates="fields")

    def label(self, locale: str) -> str:
        return in_viewer_language(self.label_en, self.label_es, locale)

    def help(self, locale: str) -> str:
        return in_viewer_language(self.help_en, self.help_es, locale)

    def option_label(self, value: str, locale: str) -> str:
        for option in self.options or []:
            if option.get("value") == value:
                return in_viewer_language(option.get("en"), option.get("es"), locale) or value
        return value


class TicketFieldValue(Base):
    """One answer to a custom field; a multi-select answer is one row per chosen option.

    `option` holds the chosen value of select and multi-select fields, so that the queue can filter on it
    through the (field_id, option, ticket_id) index; `value` holds the answer as text for every type.
    """

    __tablename__ = "ticket_field_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("custom_field.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text)
    option: Mapped[str | None] = mapped_column(String(100))

    field: Mapped[CustomField] = relationship()

    __table_args__ = (Index("ix_ticket_field_value_option", "field_id", "option", "ticket_id"),)


class Attachment(Base):
    """A file sent with a message, stored under instance/attachments/ by a random key; never served inline."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("ticket_message.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    # Set only when the content was checked to be a PNG, JPEG, GIF or WebP image (never SVG or HTML).
    image_type: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[TicketMessage] = relationship(back_populates="attachments")
