"""The reads of "next quarter in one step": a client's latest closed period and its people.

None of these functions commits: the caller decides the transaction.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cxmaturity.domain.statuses import AssessmentStatus
from cxmaturity.store.models import Assessment, Respondent


def latest_closed(session: Session, organization_id: int) -> Assessment | None:
    """The organization's closed assessment of the latest period (any questionnaire)."""
    # Periods look like 2026-Q4, so text order is time order.
    return session.scalars(
        select(Assessment)
        .where(
            Assessment.organization_id == organization_id,
            Assessment.status == AssessmentStatus.CLOSED.value,
        )
        .order_by(Assessment.period.desc(), Assessment.id.desc())
        .limit(1)
    ).one_or_none()


def periods_taken(session: Session, organization_id: int, questionnaire_id: str) -> set[str]:
    """The periods the organization has an assessment of, with this questionnaire id."""
    return set(
        session.scalars(
            select(Assessment.period).where(
                Assessment.organization_id == organization_id,
                Assessment.questionnaire_id == questionnaire_id,
            )
        )
    )


def respondents_with_answers(session: Session, assessment_id: int) -> list[Respondent]:
    """Every respondent of the assessment in the order they were invited, answers loaded."""
    return list(
        session.scalars(
            select(Respondent)
            .where(Respondent.assessment_id == assessment_id)
            .options(selectinload(Respondent.answers))
            .order_by(Respondent.id)
        )
    )
