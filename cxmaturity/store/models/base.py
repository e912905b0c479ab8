"""What every table shares: constraint names, UTC times, the token hash, the declarative base."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from cxmaturity.domain.statuses import Language

# Explicit constraint names: SQLite batch migrations can only drop or alter a
# constraint they can name, and the names stay the same on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Fixed here, not read from the configuration: a schema cannot follow a setting.
# tests/test_migrations.py checks that locale.LANGUAGES offers exactly these.
LANGUAGES = tuple(Language)


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def hash_token(token: str) -> str:
    """The stored form of a respondent's secret link token (SHA-256, hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def one_of(column: str, values: Iterable[str]) -> str:
    """The SQL of a CHECK that `column` holds one of `values` (plain text, never an enum's repr)."""
    return f"{column} IN ({', '.join(repr(str(value)) for value in values)})"


class UtcDateTime(TypeDecorator[datetime.datetime]):
    """A point in time, always handed out as a timezone-aware UTC datetime.

    SQLite keeps no time zone, so values are converted to UTC on the way in
    and marked as UTC on the way out; PostgreSQL stores `timestamptz`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime.datetime | None, dialect: Dialect
    ) -> datetime.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no time zone; use a UTC datetime")
        utc = value.astimezone(datetime.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(
        self, value: datetime.datetime | None, dialect: Dialect
    ) -> datetime.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
