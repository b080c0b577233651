"""Model building blocks with no domain knowledge: the declarative base, UTC datetimes, string enums, tokens."""

import secrets
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Dialect, Enum, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Largest value of an INTEGER column on PostgreSQL: ids and numbers from URLs are checked against it.
MAX_INT = 2**31 - 1


def id_from(raw: str | None) -> int | None:
    """A record id as sent in a link or a form (ASCII digits, at most MAX_INT), else None. Never int() a long
    digit string: past 4,300 digits Python refuses it with a ValueError (a 500)."""
    if raw and len(raw) <= 10 and raw.isascii() and raw.isdigit() and int(raw) <= MAX_INT:
        return int(raw)
    return None


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_token(nbytes: int = 16) -> str:
    return secrets.token_urlsafe(nbytes)


class UTCDateTime(TypeDecorator):
    """Stores aware UTC and returns aware UTC; SQLite would otherwise hand back naive datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use helpdesk.core.models.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(enum: type[StrEnum]) -> Enum:
    """Store an enum as its string value in a VARCHAR (no native DB enum: adding a member needs no migration)."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=max(len(m.value) for m in enum) + 8,
        values_callable=lambda e: [m.value for m in e],
    )
