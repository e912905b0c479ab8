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
    # Columns, not ORM objects: a bulk job reads the period once per report, and a
    # thousand clients' rows as objects took a quarter of a second.
    query = (
        select(
            Assessment.id,
            Organization.id,
            Organization.name,
            Organization.industry,
            Organization.size,
            Assessment.questionnaire_id,
            Assessment.questionnaire_version,
            Assessment.period,
            ResultSnapshot.overall_score,
            ResultSnapshot.overall_level,
        )
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
    found = session.execute(query).all()
    if not found:
        return []
    assessment_ids = [row[0] for row in found]
    client_ids = sorted({row[1] for row in found})
    scores: dict[int, dict[str, str | None]] = defaultdict(dict)
    levels: dict[int, dict[str, int | None]] = defaultdict(dict)
    for assessment_id, dimension_id, score, level in session.execute(
        select(
            DimensionSnapshot.assessment_id,
            DimensionSnapshot.dimension_id,
            DimensionSnapshot.score,
            DimensionSnapshot.level,
        ).where(DimensionSnapshot.assessment_id.in_(assessment_ids))
    ):
        scores[assessment_id][dimension_id] = score
        levels[assessment_id][dimension_id] = level
    tags: dict[int, list[str]] = defaultdict(list)
    for organization_id, tag in session.execute(
        select(OrganizationTag.organization_id, OrganizationTag.tag)
        .where(OrganizationTag.organization_id.in_(client_ids))
        .order_by(OrganizationTag.tag)
    ):
        tags[organization_id].append(tag)
    return [
        PeriodResult(
            assessment_id=assessment_id,
            client_id=client_id,
            client_name=name,
            industry=industry,
            size=size,
            tags=tuple(tags.get(client_id, ())),
            questionnaire_id=questionnaire,
            questionnaire_version=version,
            period=assessed_period,
            overall_score=overall_score,
            overall_level=overall_level,
            dimension_scores=scores.get(assessment_id, {}),
            dimension_levels=levels.get(assessment_id, {}),
        )
        for (
            assessment_id,
            client_id,
            name,
            industry,
            size,
            questionnaire,
            version,
            assessed_period,
            overall_score,
            overall_level,
        ) in found
    ]
