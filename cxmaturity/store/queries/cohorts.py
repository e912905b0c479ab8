"""The closed results of one period across a workspace: what cohorts and the portfolio compare.

Read from result snapshots in three queries whatever the number of clients
(assessments with snapshots and clients, their dimension rows, the clients' tags);
archived clients take no part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import AssessmentStatus
from cxmaturity.store.models import (
    Assessment,
    DimensionSnapshot,
    Organization,
    OrganizationTag,
    ResultSnapshot,
)


@dataclass(frozen=True)
class PeriodResult:
    """One client's closed assessment of the period, with its snapshot's exact scores as text."""

    assessment_id: int
    client_id: int
    client_name: str
    industry: str | None
    size: str | None
    tags: tuple[str, ...]
    questionnaire_id: str
    questionnaire_version: str
    period: str
    overall_score: str | None
    overall_level: int | None
    dimension_scores: dict[str, str | None]
    dimension_levels: dict[str, int | None]


def closed_results_of_period(
    session: Session,
    workspace_id: int,
    period: str,
    *,
    questionnaire_id: str | None = None,
    visible: Collection[int] | None = None,
) -> list[PeriodResult]:
    """Every closed assessment of `period` of the workspace's clients not archived (within
    `visible` where given), by client id."""
    query = (
        select(Assessment, Organization, ResultSnapshot)
        .join(Organization, Organization.id == Assessment.organization_id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .where(
            Organization.workspace_id == workspace_id,
            Organization.archived_at.is_(None),
            Assessment.period == period,
            Assessment.status == AssessmentStatus.CLOSED.value,
        )
        .order_by(Organization.id, Assessment.id)
    )
    if questionnaire_id is not None:
        query = query.where(Assessment.questionnaire_id == questionnaire_id)
    if visible is not None:
        query = query.where(Organization.id.in_(list(visible)))
    found = list(session.execute(query))
    if not found:
        return []
    assessment_ids = [assessment.id for assessment, _, _ in found]
    client_ids = sorted({organization.id for _, organization, _ in found})
    scores: dict[int, dict[str, str | None]] = defaultdict(dict)
    levels: dict[int, dict[str, int | None]] = defaultdict(dict)
    for row in session.scalars(
        select(DimensionSnapshot).where(DimensionSnapshot.assessment_id.in_(assessment_ids))
    ):
        scores[row.assessment_id][row.dimension_id] = row.score
        levels[row.assessment_id][row.dimension_id] = row.level
    tags: dict[int, list[str]] = defaultdict(list)
    for organization_id, tag in session.execute(
        select(OrganizationTag.organization_id, OrganizationTag.tag)
        .where(OrganizationTag.organization_id.in_(client_ids))
        .order_by(OrganizationTag.tag)
    ):
        tags[organization_id].append(tag)
    return [
        PeriodResult(
            assessment_id=assessment.id,
            client_id=organization.id,
            client_name=organization.name,
            industry=organization.industry,
            size=organization.size,
            tags=tuple(tags.get(organization.id, ())),
            questionnaire_id=assessment.questionnaire_id,
            questionnaire_version=assessment.questionnaire_version,
            period=assessment.period,
            overall_score=snapshot.overall_score if snapshot else None,
            overall_level=snapshot.overall_level if snapshot else None,
            dimension_scores=scores.get(assessment.id, {}),
            dimension_levels=levels.get(assessment.id, {}),
        )
        for assessment, organization, snapshot in found
    ]
