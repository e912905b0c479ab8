"""Clients of a workspace and their assessments: every read takes the workspace it is scoped to.

The list reads (start page, client page) are aggregate queries: one statement
whatever the number of clients or respondents, never one query per client.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from cxmaturity.domain.statuses import AssessmentStatus, Delivery, RespondentStatus
from cxmaturity.store.models import (
    Assessment,
    MemberClient,
    Organization,
    Respondent,
    ResultSnapshot,
    WorkspaceMember,
)


@dataclass(frozen=True)
class AssessmentRow:
    """An assessment with its participation and the overall level of its result snapshot."""

    id: int
    organization_id: int
    period: str
    questionnaire_id: str
    questionnaire_version: str
    status: str
    due_date: datetime.date | None
    invited: int
    submitted: int
    bounced: int
    overall_level: int | None


@dataclass(frozen=True)
class ClientRow:
    """A client with its latest assessment (None when it has none yet)."""

    id: int
    name: str
    industry: str | None
    size: str | None
    latest: AssessmentRow | None


@dataclass(frozen=True)
class AttentionRow:
    """An assessment that needs the consultant: overdue, or with bounced invitations."""

    assessment: AssessmentRow
    client_name: str


def client_in(session: Session, workspace_id: int, client_id: int) -> Organization | None:
    """The client `client_id` of this workspace with its tags; None for another's or unknown."""
    return session.scalars(
        select(Organization)
        .where(Organization.id == client_id, Organization.workspace_id == workspace_id)
        .options(selectinload(Organization.tags))
    ).one_or_none()


def clients_of(
    session: Session,
    workspace_id: int,
    visible: Collection[int] | None,
    *,
    archived: bool = False,
) -> list[Organization]:
    """The workspace's clients by name (archived ones or the others), limited to `visible`."""
    query = (
        select(Organization)
        .where(
            Organization.workspace_id == workspace_id,
            Organization.archived_at.is_not(None)
            if archived
            else Organization.archived_at.is_(None),
        )
        .options(selectinload(Organization.tags))
        .order_by(func.lower(Organization.name), Organization.id)
    )
    if visible is not None:
        query = query.where(Organization.id.in_(visible))
    return list(session.scalars(query))


def _not_archived() -> ColumnElement[bool]:
    return Organization.archived_at.is_(None)


def name_taken(session: Session, workspace_id: int, name: str, except_id: int | None) -> bool:
    """Whether another client of the workspace has this name (letter case ignored)."""
    query = select(Organization.id).where(
        Organization.workspace_id == workspace_id,
        func.lower(Organization.name) == name.lower(),
    )
    if except_id is not None:
        query = query.where(Organization.id != except_id)
    return session.scalar(query.limit(1)) is not None


def list_for_member(session: Session, workspace_id: int, user_id: int, client_id: int) -> None:
    """Add the client to a limited member's listed clients (they made it, so they see it)."""
    member = session.scalars(
        select(WorkspaceMember).where(
            WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.user_id == user_id
        )
    ).one_or_none()
    if member is not None and member.limited_to_clients:
        session.add(MemberClient(member_id=member.id, organization_id=client_id))


def assessment_in(session: Session, workspace_id: int, assessment_id: int) -> Assessment | None:
    """The assessment `assessment_id` if its client belongs to this workspace."""
    return session.scalars(
        select(Assessment)
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Assessment.id == assessment_id, Organization.workspace_id == workspace_id)
    ).one_or_none()


def assessment_for_update(session: Session, assessment_id: int) -> Assessment:
    """The assessment, its row locked on PostgreSQL until the transaction ends.

    Closing and every submit take this lock first, so that a snapshot is always
    written over the submissions committed before it, and none slips in after closing.
    """
    return session.scalars(
        select(Assessment).where(Assessment.id == assessment_id).with_for_update()
    ).one()


def assessment_of_period(
    session: Session, organization_id: int, questionnaire_id: str, period: str
) -> Assessment | None:
    return session.scalars(
        select(Assessment).where(
            Assessment.organization_id == organization_id,
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.period == period,
        )
    ).one_or_none()


def respondent_count(session: Session, assessment_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Respondent)
        .where(Respondent.assessment_id == assessment_id)
    )


def open_assessment_count(session: Session, organization_id: int) -> int:
    query = select(func.count()).select_from(Assessment)
    return (
        session.scalar(
            query.where(
                Assessment.organization_id == organization_id,
                Assessment.status == AssessmentStatus.OPEN.value,
            )
        )
        or 0
    )


def _participation(workspace_id: int):
    """Per assessment of the workspace: respondents invited, submitted, bounced."""
    return (
        select(
            Respondent.assessment_id.label("assessment_id"),
            func.count().label("invited"),
            _count_where(Respondent.status == RespondentStatus.SUBMITTED.value).label("submitted"),
            _count_where(Respondent.delivery == Delivery.BOUNCED.value).label("bounced"),
        )
        .join(Assessment, Assessment.id == Respondent.assessment_id)
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Organization.workspace_id == workspace_id)
        .group_by(Respondent.assessment_id)
        .subquery()
    )


def _count_where(condition: ColumnElement[bool]):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _assessment_columns(assessment, participation):
    return (
        assessment.id,
        assessment.organization_id,
        assessment.period,
        assessment.questionnaire_id,
        assessment.questionnaire_version,
        assessment.status,
        assessment.due_date,
        func.coalesce(participation.c.invited, 0),
        func.coalesce(participation.c.submitted, 0),
        func.coalesce(participation.c.bounced, 0),
        ResultSnapshot.overall_level,
    )


def assessments_of_client(
    session: Session, workspace_id: int, client_id: int
) -> list[AssessmentRow]:
    """The client's assessments, newest period first, each with participation and level."""
    participation = _participation(workspace_id)
    rows = session.execute(
        select(*_assessment_columns(Assessment, participation))
        .join(Organization, Organization.id == Assessment.organization_id)
        .outerjoin(participation, participation.c.assessment_id == Assessment.id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .where(Organization.workspace_id == workspace_id, Assessment.organization_id == client_id)
        .order_by(Assessment.period.desc(), Assessment.questionnaire_id, Assessment.id.desc())
    )
    return [AssessmentRow(*row) for row in rows]


def clients_with_latest(
    session: Session, workspace_id: int, visible: Collection[int] | None
) -> list[ClientRow]:
    """The workspace's clients not archived (within `visible`), each with its latest assessment.

    One statement: the latest assessment per client is picked by a window function.
    """
    ranked = (
        select(
            Assessment,
            func.row_number()
            .over(
                partition_by=Assessment.organization_id,
                order_by=(Assessment.period.desc(), Assessment.id.desc()),
            )
            .label("rank"),
        )
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Organization.workspace_id == workspace_id)
        .subquery()
    )
    participation = _participation(workspace_id)
    query = (
        select(
            Organization.id,
            Organization.name,
            Organization.industry,
            Organization.size,
            *_assessment_columns(ranked.c, participation),
        )
        .outerjoin(ranked, and_(ranked.c.organization_id == Organization.id, ranked.c.rank == 1))
        .outerjoin(participation, participation.c.assessment_id == ranked.c.id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == ranked.c.id)
        .where(Organization.workspace_id == workspace_id, Organization.archived_at.is_(None))
        .order_by(func.lower(Organization.name), Organization.id)
    )
    if visible is not None:
        query = query.where(Organization.id.in_(visible))
    clients = []
    for row in session.execute(query):
        latest = AssessmentRow(*row[4:]) if row[4] is not None else None
        clients.append(ClientRow(*row[:4], latest=latest))
    return clients


def needing_attention(
    session: Session, workspace_id: int, visible: Collection[int] | None, today: datetime.date
) -> list[AttentionRow]:
    """Assessments not closed that are overdue or have bounced invitations, oldest due first."""
    participation = _participation(workspace_id)
    query = (
        select(*_assessment_columns(Assessment, participation), Organization.name)
        .join(Organization, Organization.id == Assessment.organization_id)
        .outerjoin(participation, participation.c.assessment_id == Assessment.id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .where(
            Organization.workspace_id == workspace_id,
            Organization.archived_at.is_(None),
            Assessment.status != AssessmentStatus.CLOSED.value,
            or_(Assessment.due_date < today, participation.c.bounced > 0),
        )
        .order_by(Assessment.due_date, func.lower(Organization.name), Assessment.id)
    )
    if visible is not None:
        query = query.where(Organization.id.in_(visible))
    return [AttentionRow(AssessmentRow(*row[:-1]), row[-1]) for row in session.execute(query)]
