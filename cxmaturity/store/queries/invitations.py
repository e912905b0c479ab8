"""Invitations: an assessment of one workspace, its respondents' participation, mails to send.

None of these functions commits. Every read of a workspace's assessment takes
the workspace id, so that another workspace's assessment is simply not found.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import AssessmentStatus, Delivery, RespondentStatus
from cxmaturity.store.models import (
    Answer,
    Assessment,
    EmailLogEntry,
    Organization,
    Respondent,
    Workspace,
)


def assessment_of_workspace(
    session: Session, workspace_id: int, assessment_id: int, *, for_update: bool = False
) -> tuple[Assessment, Organization] | None:
    """The assessment with its organization, if it belongs to the workspace; one query."""
    query = (
        select(Assessment, Organization)
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Assessment.id == assessment_id, Organization.workspace_id == workspace_id)
    )
    if for_update:
        query = query.with_for_update(of=Assessment)
    row = session.execute(query).one_or_none()
    return (row[0], row[1]) if row is not None else None


@dataclass(frozen=True)
class ParticipationRow:
    id: int
    name: str | None
    email: str | None
    group: str | None
    language: str
    submitted: bool
    invited_at: datetime.datetime
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    last_opened_at: datetime.datetime | None
    reminder_count: int
    last_reminded_at: datetime.datetime | None
    opted_out_at: datetime.datetime | None
    delivery: str | None
    resendable: bool
    answered: int


# An answer counts once it is a level or "not applicable" and not merely pre-filled.
_ANSWERED = func.count(
    case(
        (
            and_(
                or_(Answer.level.is_not(None), Answer.not_applicable.is_(True)),
                Answer.prefilled.is_(False),
            ),
            1,
        )
    )
)


def participation(session: Session, assessment_id: int) -> list[ParticipationRow]:
    """Every respondent of the assessment with their count of answers, in one query."""
    rows = session.execute(
        select(
            Respondent.id,
            Respondent.name,
            Respondent.email,
            Respondent.respondent_group,
            Respondent.language,
            Respondent.status,
            Respondent.invited_at,
            Respondent.expires_at,
            Respondent.revoked_at,
            Respondent.last_opened_at,
            Respondent.reminder_count,
            Respondent.last_reminded_at,
            Respondent.opted_out_at,
            Respondent.delivery,
            Respondent.token_nonce,
            _ANSWERED,
        )
        .outerjoin(Answer, Answer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment_id)
        .group_by(Respondent.id)
        .order_by(Respondent.invited_at, Respondent.id)
    )
    return [
        ParticipationRow(
            *row[:5],
            submitted=row[5] == RespondentStatus.SUBMITTED,
            invited_at=row[6],
            expires_at=row[7],
            revoked_at=row[8],
            last_opened_at=row[9],
            reminder_count=row[10],
            last_reminded_at=row[11],
            opted_out_at=row[12],
            delivery=row[13],
            resendable=row[14] is not None,
            answered=row[15],
        )
        for row in rows
    ]


def existing_emails(session: Session, assessment_id: int) -> set[str]:
    """The assessment's respondents' addresses, lower case."""
    rows = session.scalars(
        select(func.lower(Respondent.email)).where(
            Respondent.assessment_id == assessment_id, Respondent.email.is_not(None)
        )
    )
    return set(rows)


def respondent_of_assessment(
    session: Session, assessment_id: int, respondent_id: int
) -> Respondent | None:
    return session.scalars(
        select(Respondent)
        .where(Respondent.id == respondent_id, Respondent.assessment_id == assessment_id)
        .with_for_update()
    ).one_or_none()


def respondent_by_token(session: Session, token_hash: str) -> Respondent | None:
    return session.scalars(
        select(Respondent).where(Respondent.token_hash == token_hash).with_for_update()
    ).one_or_none()


def respondents_made(
    session: Session,
    assessment_id: int,
    first: int,
    last: int,
    invited_at: datetime.datetime | None,
) -> list[Respondent]:
    """The assessment's respondents with ids first…last (invited at `invited_at` if given)."""
    query = select(Respondent).where(
        Respondent.assessment_id == assessment_id, Respondent.id.between(first, last)
    )
    if invited_at is not None:
        query = query.where(Respondent.invited_at == invited_at)
    return list(session.scalars(query.order_by(Respondent.id)))


MailRow = tuple[Respondent, Assessment, Organization, Workspace]


def _with_context(*conditions) -> select:
    return (
        select(Respondent, Assessment, Organization, Workspace)
        .join(Assessment, Assessment.id == Respondent.assessment_id)
        .join(Organization, Organization.id == Assessment.organization_id)
        .join(Workspace, Workspace.id == Organization.workspace_id)
        .where(
            Assessment.status == AssessmentStatus.OPEN.value,
            Respondent.status == RespondentStatus.IN_PROGRESS.value,
            Respondent.revoked_at.is_(None),
            Respondent.opted_out_at.is_(None),
            Respondent.email.is_not(None),
            *conditions,
        )
        .order_by(Respondent.id)
        # Two processes claiming at once take different rows (PostgreSQL);
        # SQLite lets one writer in at a time anyway.
        .with_for_update(of=Respondent, skip_locked=True)
    )


def reminder_candidates(
    session: Session, max_reminders: int, assessment_id: int | None = None
) -> list[MailRow]:
    """Respondents the reminder rule may pick, rows locked; the rule itself decides."""
    conditions = [
        Respondent.delivery == Delivery.SENT.value,
        Respondent.reminder_count < max_reminders,
    ]
    if assessment_id is not None:
        conditions.append(Respondent.assessment_id == assessment_id)
    return [tuple(row) for row in session.execute(_with_context(*conditions))]  # type: ignore[misc]


def undelivered_invitations(
    session: Session, tried_before: datetime.datetime, max_attempts: int
) -> list[MailRow]:
    """Invitations not sent yet or failed, not taken by a process since `tried_before`."""
    return [
        tuple(row)  # type: ignore[misc]
        for row in session.execute(
            _with_context(
                Respondent.delivery.in_([Delivery.PENDING.value, Delivery.FAILED.value]),
                Respondent.delivery_attempts < max_attempts,
                or_(
                    Respondent.delivery_tried_at.is_(None),
                    Respondent.delivery_tried_at < tried_before,
                ),
            )
        )
    ]


def mail_context(session: Session, respondent_ids: Iterable[int]) -> list[MailRow]:
    return [
        tuple(row)  # type: ignore[misc]
        for row in session.execute(
            select(Respondent, Assessment, Organization, Workspace)
            .join(Assessment, Assessment.id == Respondent.assessment_id)
            .join(Organization, Organization.id == Assessment.organization_id)
            .join(Workspace, Workspace.id == Organization.workspace_id)
            .where(Respondent.id.in_(list(respondent_ids)))
            .order_by(Respondent.id)
        )
    ]


def record_delivery(
    session: Session, respondent_id: int, delivery: str | None, entry: EmailLogEntry
) -> None:
    """Log an e-mail attempt and, for an invitation, where its delivery stands now."""
    session.add(entry)
    if delivery is not None:
        session.execute(
            update(Respondent)
            .where(Respondent.id == respondent_id)
            .values(delivery=delivery)
            .execution_options(synchronize_session=False)
        )


def touch_opened(session: Session, token_hash: str, now: datetime.datetime) -> None:
    """Set last_opened_at, unless it was set within the last minute (a cheap no-op then)."""
    session.execute(
        update(Respondent)
        .where(
            Respondent.token_hash == token_hash,
            or_(
                Respondent.last_opened_at.is_(None),
                Respondent.last_opened_at < now - datetime.timedelta(minutes=1),
            ),
        )
        .values(last_opened_at=now)
        .execution_options(synchronize_session=False)
    )
