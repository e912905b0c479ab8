"""Reading and changing a client's targets, and the scores they are measured against.

Callers have already decided that the actor may see (or change) the client: these
functions are scoped to one organization id.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import AssessmentStatus, TargetStatus
from cxmaturity.store.models import Assessment, DimensionSnapshot, Target


@dataclass(frozen=True)
class DimensionScore:
    score: Fraction | None
    level: int | None


def reference_assessment(session: Session, organization_id: int) -> Assessment | None:
    """What the client's targets are measured against: its latest closed assessment, else
    its latest open one, else its latest draft (which has no scores yet)."""
    for status in (AssessmentStatus.CLOSED, AssessmentStatus.OPEN, AssessmentStatus.DRAFT):
        found = session.scalars(
            select(Assessment)
            .where(Assessment.organization_id == organization_id, Assessment.status == status)
            .order_by(Assessment.period.desc(), Assessment.id.desc())
            .limit(1)
        ).first()
        if found is not None:
            return found
    return None


def dimension_scores(session: Session, assessment_id: int) -> dict[str, DimensionScore]:
    """The assessment's snapshot per dimension, exactly; empty before any snapshot."""
    rows = session.scalars(
        select(DimensionSnapshot).where(DimensionSnapshot.assessment_id == assessment_id)
    )
    return {
        row.dimension_id: DimensionScore(
            Fraction(row.score) if row.score is not None else None, row.level
        )
        for row in rows
    }


def active_targets(
    session: Session, organization_id: int, questionnaire_id: str, *, for_update: bool = False
) -> dict[str, Target]:
    """The client's active target rows by dimension id."""
    statement = select(Target).where(
        Target.organization_id == organization_id,
        Target.questionnaire_id == questionnaire_id,
        Target.status == TargetStatus.ACTIVE.value,
    )
    if for_update:
        statement = statement.with_for_update()
    return {row.dimension_id: row for row in session.scalars(statement)}


def achieved_targets(session: Session, organization_id: int, questionnaire_id: str) -> list[Target]:
    """The client's achieved targets, the most recently achieved first."""
    return list(
        session.scalars(
            select(Target)
            .where(
                Target.organization_id == organization_id,
                Target.questionnaire_id == questionnaire_id,
                Target.status == TargetStatus.ACHIEVED.value,
            )
            .order_by(Target.updated_at.desc(), Target.id.desc())
        )
    )
