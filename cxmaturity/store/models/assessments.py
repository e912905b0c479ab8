"""Assessments, their respondents (the invitations) and the answers."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxmaturity.domain.statuses import (
    Anonymity,
    AssessmentStatus,
    Delivery,
    Language,
    RespondentGroup,
    RespondentStatus,
)
from cxmaturity.store.models.base import LANGUAGES, Base, UtcDateTime, one_of, utc_now

if TYPE_CHECKING:
    from cxmaturity.store.models.organizations import Organization


class Assessment(Base):
    """One questionnaire answered for one organization in one period (`2026-Q4`)."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("organization_id", "questionnaire_id", "period"),
        CheckConstraint(one_of("status", AssessmentStatus), name="status"),
        CheckConstraint(one_of("anonymity", Anonymity), name="anonymity"),
        # Ids are never given twice, also after a purge (migration 0009_purge).
        {"sqlite_autoincrement": True},
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
    due_date: Mapped[datetime.date | None] = mapped_column(Date)
    opened_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
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
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
        CheckConstraint(one_of("status", RespondentStatus), name="status"),
        CheckConstraint(
            f"(status = '{RespondentStatus.SUBMITTED}' AND submitted_at IS NOT NULL)"
            f" OR (status = '{RespondentStatus.IN_PROGRESS}' AND submitted_at IS NULL)",
            name="submitted_at",
        ),
        CheckConstraint(
            f"respondent_group IS NULL OR {one_of('respondent_group', RespondentGroup)}",
            name="respondent_group",
        ),
        CheckConstraint("length(token_hash) = 64", name="token_hash"),
        CheckConstraint(f"delivery IS NULL OR {one_of('delivery', Delivery)}", name="delivery"),
        CheckConstraint("reminder_count >= 0", name="reminder_count"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    # Kept as entered; compared case-insensitively (an invitation per address and assessment).
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str | None] = mapped_column(String(200))
    # "group" is an SQL keyword.
    respondent_group: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default=Language.EN.value)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The link token is HMAC(secret key, nonce) (services/links.py): "resend" can send the
    # same link again, though only its hash is stored. NULL: a random token, not re-sendable.
    token_nonce: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default=RespondentStatus.IN_PROGRESS.value)
    submitted_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    # The dimension page (1, 2, …) the respondent last opened: the resume link lands there.
    last_page: Mapped[int | None] = mapped_column(SmallInteger)
    invited_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    # No expiry: a self-assessment's own link (DESIGN §8 sets it for invitations).
    expires_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    last_opened_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    reminder_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    last_reminded_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    opted_out_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    delivery: Mapped[str | None] = mapped_column(String(10))
    delivery_attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    # When a process last took the invitation e-mail to send it (a claim, see services/emails.py).
    delivery_tried_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )

    assessment: Mapped[Assessment] = relationship(back_populates="respondents")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="respondent", cascade="all, delete-orphan", passive_deletes=True
    )


# One invitation per address and assessment, also when two consultants invite at once.
Index(
    "uq_respondents_assessment_email",
    Respondent.assessment_id,
    func.lower(Respondent.email),
    unique=True,
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
    # Offered from last quarter's answers: counts only once confirmed or changed (DESIGN §8).
    prefilled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set with `prefilled` and kept after: the report counts "38 of 40 answers re-confirmed".
    offered: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )

    respondent: Mapped[Respondent] = relationship(back_populates="answers")
