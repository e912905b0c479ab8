"""Clients of a workspace and their assessments: every read takes the workspace it is scoped to.

The list reads (start page, client page) are aggregate queries: one statement
whatever the number of clients or respondents, never one query per client.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

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


def _respondents_of(assessment_id, *conditions: ColumnElement[bool]):
    """How many respondents of the assessment meet `conditions`: a correlated subquery,
    answered from the index on respondents.assessment_id for each row shown."""
    return (
        select(func.count())
        .select_from(Respondent)
        .where(Respondent.assessment_id == assessment_id, *conditions)
        .scalar_subquery()
    )


def _bounced(assessment_id):
    return _respondents_of(assessment_id, Respondent.delivery == Delivery.BOUNCED.value)


def _assessment_columns(assessment):
    return (
        assessment.id,
        assessment.organization_id,
        assessment.period,
        assessment.questionnaire_id,
        assessment.questionnaire_version,
        assessment.status,
        assessment.due_date,
        _respondents_of(assessment.id),
        _respondents_of(assessment.id, Respondent.status == RespondentStatus.SUBMITTED.value),
        _bounced(assessment.id),
        ResultSnapshot.overall_level,
    )


def assessments_of_client(
    session: Session, workspace_id: int, client_id: int
) -> list[AssessmentRow]:
    """The client's assessments, newest period first, each with participation and level."""
    rows = session.execute(
        select(*_assessment_columns(Assessment))
        .join(Organization, Organization.id == Assessment.organization_id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .where(Organization.workspace_id == workspace_id, Assessment.organization_id == client_id)
        .order_by(Assessment.period.desc(), Assessment.questionnaire_id, Assessment.id.desc())
    )
    return [AssessmentRow(*row) for row in rows]


def clients_with_latest(
    session: Session,
    workspace_id: int,
    visible: Collection[int] | None,
    *,
    limit: int,
    offset: int = 0,
) -> tuple[list[ClientRow], int]:
    """One page of the workspace's clients not archived (within `visible`), by name, each
    with its latest assessment; and how many there are in all. One statement."""
    params = {"workspace_id": workspace_id, "limit": limit, "offset": offset}
    if visible is not None:
        params["visible"] = list(visible)
    statement = _clients_statement(limited=visible is not None)
    clients, total = [], 0
    for row in session.connection().execute(statement, params):
        *columns, total = row
        latest_row = AssessmentRow(*columns[4:]) if columns[4] is not None else None
        clients.append(ClientRow(*columns[:4], latest=latest_row))
    return clients, total


def needing_attention(
    session: Session,
    workspace_id: int,
    visible: Collection[int] | None,
    today: datetime.date,
    *,
    limit: int,
) -> tuple[list[AttentionRow], int]:
    """The first `limit` assessments not closed that are overdue or have bounced invitations,
    oldest due first; and how many there are in all. One statement."""
    params: dict = {"workspace_id": workspace_id, "today": today, "limit": limit}
    if visible is not None:
        params["visible"] = list(visible)
    statement = _attention_statement(limited=visible is not None)
    rows, total = [], 0
    for row in session.connection().execute(statement, params):
        *columns, name, total = row
        rows.append(AttentionRow(AssessmentRow(*columns), name))
    return rows, total


# The start page's statements are built once (and so compiled once), with parameters:
# a page of 500 clients must not spend its time building SQL.
@functools.cache
def _clients_statement(*, limited: bool) -> Select:
    """The page of clients is picked first, with the count of all beside it; then each
    one's latest assessment by a correlated subquery that both databases answer from the
    index on (client, questionnaire, period)."""
    clients_page = select(
        Organization.id,
        Organization.name,
        Organization.industry,
        Organization.size,
        func.lower(Organization.name).label("sort_name"),
        func.count().over().label("total"),
    ).where(Organization.workspace_id == bindparam("workspace_id"), _not_archived())
    if limited:
        clients_page = clients_page.where(Organization.id.in_(bindparam("visible", expanding=True)))
    page = (
        clients_page.order_by(func.lower(Organization.name), Organization.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery()
    )
    latest = aliased(Assessment)
    newest_id = (
        select(latest.id)
        .where(latest.organization_id == page.c.id)
        .order_by(latest.period.desc(), latest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            page.c.id,
            page.c.name,
            page.c.industry,
            page.c.size,
            *_assessment_columns(Assessment),
            page.c.total,
        )
        .select_from(page)
        .outerjoin(Assessment, Assessment.id == newest_id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .order_by(page.c.sort_name, page.c.id)
    )


@functools.cache
def _attention_statement(*, limited: bool) -> Select:
    query = (
        select(*_assessment_columns(Assessment), Organization.name, func.count().over())
        .join(Organization, Organization.id == Assessment.organization_id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .where(
            Organization.workspace_id == bindparam("workspace_id"),
            _not_archived(),
            Assessment.status != AssessmentStatus.CLOSED.value,
            or_(Assessment.due_date < bindparam("today"), _bounced(Assessment.id) > 0),
        )
        .order_by(Assessment.due_date, func.lower(Organization.name), Assessment.id)
        .limit(bindparam("limit"))
    )
    if limited:
        query = query.where(Organization.id.in_(bindparam("visible", expanding=True)))
    return query


def later_assessments(
    session: Session, organization_id: int, questionnaire_id: str, period: str
) -> list[Assessment]:
    """The client's assessments of the questionnaire after `period` (not drafts), oldest first."""
    return list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.organization_id == organization_id,
                Assessment.questionnaire_id == questionnaire_id,
                Assessment.period > period,
                Assessment.status != AssessmentStatus.DRAFT.value,
            )
            .order_by(Assessment.period)
        )
    )
