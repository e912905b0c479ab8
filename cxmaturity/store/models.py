"""The database tables as SQLAlchemy models: organizations, users, assessments and answers.

Every rule the database can keep (allowed values, one answer per question,
level 1–5 or not applicable) is a named constraint here, so that a bad write
fails whatever code path it comes from. Changing a table means a new Alembic
migration in `migrations/versions/`; `tests/test_migrations.py` checks that
models and migrations agree.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from cxmaturity.domain.statuses import (
    ORGANIZATION_SIZES,
    Anonymity,
    AssessmentStatus,
    Language,
    MembershipRole,
    RespondentGroup,
    RespondentStatus,
    UserRole,
)

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


def _one_of(column: str, values: Iterable[str]) -> str:
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


class Organization(Base):
    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(f"size IS NULL OR {_one_of('size', ORGANIZATION_SIZES)}", name="size"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)

    assessments: Mapped[list[Assessment]] = relationship(back_populates="organization")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True
    )


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("role", UserRole), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


# Case-insensitive: "Anna@Example.com" and "anna@example.com" are one account.
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class Membership(Base):
    """A user's access to one organization."""

    __tablename__ = "memberships"
    __table_args__ = (CheckConstraint(_one_of("role", MembershipRole), name="role"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")


class Assessment(Base):
    """One questionnaire answered for one organization in one period (`2026-Q4`)."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("organization_id", "questionnaire_id", "period"),
        CheckConstraint(_one_of("status", AssessmentStatus), name="status"),
        CheckConstraint(_one_of("anonymity", Anonymity), name="anonymity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # RESTRICT: an organization with assessments is never deleted by accident.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(10), default=AssessmentStatus.OPEN.value)
    anonymity: Mapped[str] = mapped_column(
        String(20),
        default=Anonymity.CONFIDENTIAL.value,
        server_default=Anonymity.CONFIDENTIAL.value,
    )
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)

    organization: Mapped[Organization] = relationship(back_populates="assessments")
    respondents: Mapped[list[Respondent]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )


class Respondent(Base):
    """A person answering an assessment through a secret link.

    Only the SHA-256 of the link token is stored (see `hash_token`); a
    respondent is `submitted` exactly when `submitted_at` is set.
    """

    __tablename__ = "respondents"
    __table_args__ = (
        CheckConstraint(_one_of("language", LANGUAGES), name="language"),
        CheckConstraint(_one_of("status", RespondentStatus), name="status"),
        CheckConstraint(
            f"(status = '{RespondentStatus.SUBMITTED}' AND submitted_at IS NOT NULL)"
            f" OR (status = '{RespondentStatus.IN_PROGRESS}' AND submitted_at IS NULL)",
            name="submitted_at",
        ),
        CheckConstraint(
            f"respondent_group IS NULL OR {_one_of('respondent_group', RespondentGroup)}",
            name="respondent_group",
        ),
        CheckConstraint("length(token_hash) = 64", name="token_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    # "group" is an SQL keyword.
    respondent_group: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default=Language.EN.value)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=RespondentStatus.IN_PROGRESS.value)
    submitted_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    # The dimension page (1, 2, …) the respondent last opened: the resume link lands there.
    last_page: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )

    assessment: Mapped[Assessment] = relationship(back_populates="respondents")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="respondent", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Base):
    """A respondent's answer to one question: a level 1–5, not applicable, or neither yet.

    Write answers with `queries.upsert_answers`, which is safe against two
    saves of the same answer at once.
    """

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("respondent_id", "question_id"),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name="level"),
        CheckConstraint("NOT (level IS NOT NULL AND not_applicable)", name="level_or_na"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    level: Mapped[int | None] = mapped_column(SmallInteger)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )

    respondent: Mapped[Respondent] = relationship(back_populates="answers")
