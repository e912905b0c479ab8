"""The portfolio's reads: one query per table for a workspace and period, whatever the number of
clients (DESIGN §9: "Reads result snapshots: one query per table").

Every read is scoped by the workspace id and, for a consultant limited to listed
clients, by `visible`; archived clients take no part. Rows come back as named
tuples from Core statements: a thousand clients must not cost a thousand ORM objects.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import (
    UNFINISHED_ACTION_STATUSES,
    AssessmentStatus,
    RespondentStatus,
    TargetStatus,
)
from cxmaturity.store.models import (
    Action,
    Assessment,
    DimensionSnapshot,
    KpiValue,
    Organization,
    OrganizationTag,
    Respondent,
    ResultSnapshot,
    Target,
)


@dataclass(frozen=True)
class Scope:
    workspace_id: int
    period: str
    questionnaire_id: str
    visible: Collection[int] | None = None
    """Client ids a limited consultant may see; None for all."""


class ClientFacts(NamedTuple):
    id: int
    name: str
    industry: str | None
    size: str | None


class PeriodAssessment(NamedTuple):
    id: int
    client_id: int
    status: str
    questionnaire_version: str
    overall_score: str | None
    overall_level: int | None
    overall_change: str | None
    overall_comparability: str | None
    capped: bool


class DimensionFacts(NamedTuple):
    assessment_id: int
    dimension_id: str
    score: str | None
    level: int | None
    change: str | None
    comparability: str | None
    disagreement: bool


class TargetFacts(NamedTuple):
    client_id: int
    dimension_id: str
    target_level: int
    baseline_score: str | None


class ActionCounts(NamedTuple):
    open: int
    overdue: int
    stalled: int


def _clients(scope: Scope) -> Select:
    query = select(Organization.id).where(
        Organization.workspace_id == scope.workspace_id, Organization.archived_at.is_(None)
    )
    if scope.visible is not None:
        query = query.where(Organization.id.in_(list(scope.visible)))
    return query


def _period_assessments(scope: Scope) -> Select:
    return select(Assessment.id).where(
        Assessment.organization_id.in_(_clients(scope)),
        Assessment.period == scope.period,
        Assessment.questionnaire_id == scope.questionnaire_id,
    )


def clients(session: Session, scope: Scope) -> list[ClientFacts]:
    rows = session.connection().execute(
        select(Organization.id, Organization.name, Organization.industry, Organization.size)
        .where(Organization.id.in_(_clients(scope)))
        .order_by(Organization.id)
    )
    return [ClientFacts(*row) for row in rows.all()]


def tags(session: Session, scope: Scope) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for client_id, tag in session.connection().execute(
        select(OrganizationTag.organization_id, OrganizationTag.tag)
        .where(OrganizationTag.organization_id.in_(_clients(scope)))
        .order_by(OrganizationTag.organization_id, OrganizationTag.tag)
    ):
        found.setdefault(client_id, []).append(tag)
    return {client_id: tuple(values) for client_id, values in found.items()}


def period_assessments(session: Session, scope: Scope) -> list[PeriodAssessment]:
    """The clients' assessments of the period and questionnaire id, any status, with their
    snapshots' overall figures."""
    rows = session.connection().execute(
        select(
            Assessment.id,
            Assessment.organization_id,
            Assessment.status,
            Assessment.questionnaire_version,
            ResultSnapshot.overall_score,
            ResultSnapshot.overall_level,
            ResultSnapshot.overall_change,
            ResultSnapshot.overall_comparability,
            func.coalesce(ResultSnapshot.capped, False),
        )
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .where(Assessment.id.in_(_period_assessments(scope)))
        .order_by(Assessment.organization_id, Assessment.id)
    )
    return [PeriodAssessment(*row) for row in rows.all()]


def closed_dimensions(session: Session, scope: Scope) -> list[DimensionFacts]:
    """The dimension snapshots of the period's closed assessments."""
    closed = _period_assessments(scope).where(Assessment.status == AssessmentStatus.CLOSED.value)
    rows = session.connection().execute(
        select(
            DimensionSnapshot.assessment_id,
            DimensionSnapshot.dimension_id,
            DimensionSnapshot.score,
            DimensionSnapshot.level,
            DimensionSnapshot.change,
            DimensionSnapshot.comparability,
            DimensionSnapshot.disagreement,
        ).where(DimensionSnapshot.assessment_id.in_(closed))
    )
    return [DimensionFacts(*row) for row in rows.all()]


def last_closed_periods(session: Session, scope: Scope) -> dict[int, str]:
    """Each client's latest closed period before the chosen one (any questionnaire)."""
    rows = session.connection().execute(
        select(Assessment.organization_id, func.max(Assessment.period))
        .where(
            Assessment.organization_id.in_(_clients(scope)),
            Assessment.status == AssessmentStatus.CLOSED.value,
            Assessment.period < scope.period,
        )
        .group_by(Assessment.organization_id)
    )
    return {client_id: period for client_id, period in rows}


def participation(session: Session, scope: Scope) -> dict[int, tuple[int, int]]:
    """Assessment id → (respondents invited, submitted) for the period's assessments."""
    submitted = func.sum(case((Respondent.status == RespondentStatus.SUBMITTED.value, 1), else_=0))
    rows = session.connection().execute(
        select(Respondent.assessment_id, func.count(), submitted)
        .where(Respondent.assessment_id.in_(_period_assessments(scope)))
        .group_by(Respondent.assessment_id)
    )
    return {assessment_id: (invited, int(done or 0)) for assessment_id, invited, done in rows}


def targets(session: Session, scope: Scope) -> list[TargetFacts]:
    """The targets the period measures against: active ones and those achieved by it."""
    rows = session.connection().execute(
        select(
            Target.organization_id, Target.dimension_id, Target.target_level, Target.baseline_score
        ).where(
            Target.organization_id.in_(_clients(scope)),
            Target.questionnaire_id == scope.questionnaire_id,
            (Target.status == TargetStatus.ACTIVE.value)
            | (
                (Target.status == TargetStatus.ACHIEVED.value)
                & (Target.achieved_period == scope.period)
            ),
        )
    )
    return [TargetFacts(*row) for row in rows.all()]


def action_counts(session: Session, scope: Scope, today: datetime.date) -> dict[int, ActionCounts]:
    """Client id → its unfinished actions: all, overdue (due before today), stalled."""
    overdue = func.sum(case((Action.due_date < today, 1), else_=0))
    stalled = func.sum(case((Action.carried_unchanged >= 2, 1), else_=0))
    rows = session.connection().execute(
        select(Action.organization_id, func.count(), overdue, stalled)
        .where(
            Action.organization_id.in_(_clients(scope)),
            Action.questionnaire_id == scope.questionnaire_id,
            Action.status.in_([status.value for status in UNFINISHED_ACTION_STATUSES]),
        )
        .group_by(Action.organization_id)
    )
    return {
        client_id: ActionCounts(count, int(late or 0), int(stuck or 0))
        for client_id, count, late, stuck in rows
    }


def kpi_values(session: Session, scope: Scope) -> dict[int, dict[str, str | None]]:
    """Client id → KPI name → the period's value (exact, as text)."""
    found: dict[int, dict[str, str | None]] = {}
    for client_id, kpi, value in session.connection().execute(
        select(KpiValue.organization_id, KpiValue.kpi, KpiValue.value).where(
            KpiValue.organization_id.in_(_clients(scope)), KpiValue.period == scope.period
        )
    ):
        found.setdefault(client_id, {})[kpi] = value
    return found


def questionnaire_ids(session: Session, workspace_id: int, period: str) -> list[tuple[str, int]]:
    """The questionnaire ids of the period's assessments with how many there are, most first."""
    rows = session.connection().execute(
        select(Assessment.questionnaire_id, func.count())
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Organization.workspace_id == workspace_id, Assessment.period == period)
        .group_by(Assessment.questionnaire_id)
        .order_by(func.count().desc(), Assessment.questionnaire_id)
    )
    return [(questionnaire_id, count) for questionnaire_id, count in rows]


def periods(session: Session, workspace_id: int) -> list[str]:
    """Every period with an assessment in the workspace, newest first."""
    rows = session.connection().scalars(
        select(Assessment.period)
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Organization.workspace_id == workspace_id)
        .group_by(Assessment.period)
        .order_by(Assessment.period.desc())
    )
    return list(rows)
