"""Reading a client's history from its result snapshots: one query per table, any number of periods.

Callers have already decided that the actor may see the client; these reads are
scoped to one organization id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import AssessmentStatus, TargetStatus
from cxmaturity.store.models import Assessment, DimensionSnapshot, KpiValue, ResultSnapshot, Target


def closed_periods(
    session: Session, organization_id: int
) -> list[tuple[Assessment, ResultSnapshot | None]]:
    """The client's closed assessments with their snapshots, oldest period first."""
    rows = session.execute(
        select(Assessment, ResultSnapshot)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .where(
            Assessment.organization_id == organization_id,
            Assessment.status == AssessmentStatus.CLOSED.value,
        )
        .order_by(Assessment.period, Assessment.questionnaire_id, Assessment.id)
    )
    return [(assessment, snapshot) for assessment, snapshot in rows]


def dimension_rows(
    session: Session, assessment_ids: Sequence[int]
) -> dict[int, list[DimensionSnapshot]]:
    """The dimension snapshots of these assessments, by assessment id (one query)."""
    found: dict[int, list[DimensionSnapshot]] = defaultdict(list)
    for row in session.scalars(
        select(DimensionSnapshot).where(DimensionSnapshot.assessment_id.in_(assessment_ids))
    ):
        found[row.assessment_id].append(row)
    return found


def active_targets(session: Session, organization_id: int) -> list[Target]:
    return list(
        session.scalars(
            select(Target)
            .where(
                Target.organization_id == organization_id,
                Target.status == TargetStatus.ACTIVE.value,
            )
            .order_by(Target.questionnaire_id, Target.dimension_id)
        )
    )


def kpi_values(session: Session, organization_id: int) -> list[KpiValue]:
    return list(
        session.scalars(
            select(KpiValue)
            .where(KpiValue.organization_id == organization_id)
            .order_by(KpiValue.period, KpiValue.kpi)
        )
    )
