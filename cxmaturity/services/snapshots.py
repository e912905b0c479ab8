"""Result snapshots (DESIGN §2): written when an assessment closes, kept current while it is open.

The snapshot is scored here by domain.scoring over the submitted respondents,
exactly as the results page scores them (services/results.py); portfolio,
history and the start page read it and never score on read.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxmaturity.domain.comparison import Comparison, compare
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.scoring import AssessmentResult, score_assessment
from cxmaturity.domain.statuses import Anonymity
from cxmaturity.services.participants import previous_period, submitted_participants
from cxmaturity.store.models import Assessment
from cxmaturity.store.queries import clients as client_queries
from cxmaturity.store.queries import snapshots as snapshot_queries


def lock_assessment(session: Session, assessment_id: int) -> Assessment:
    """The assessment, locked for this transaction: take it before changing what it scores."""
    return client_queries.assessment_for_update(session, assessment_id)


def refresh_snapshot(session: Session, catalogue: Catalogue, assessment: Assessment) -> None:
    """Score the assessment's submitted respondents, compare them with the previous closed
    period (DESIGN §4.9–4.10), and store both as its snapshot.

    Runs in the caller's transaction, which must hold `lock_assessment`.
    """
    questionnaire = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
    respondents = submitted_participants(session, assessment.id)
    result = score_assessment(questionnaire, respondents)
    previous = previous_period(session, catalogue, assessment)
    comparison = None
    if previous is not None:
        before = previous[1]
        comparison = compare(
            before.questionnaire,
            before.respondents,
            questionnaire,
            respondents,
            before.period,
            panel_known=Anonymity.ANONYMOUS not in (assessment.anonymity, before.anonymity),
        )
    snapshot_queries.write_snapshot(
        session,
        assessment.id,
        figures_of(result, len(respondents)),
        comparison_of(previous[0].id, comparison) if previous and comparison else None,
    )


def refresh_later_snapshots(session: Session, catalogue: Catalogue, assessment: Assessment) -> None:
    """After `assessment` closed, the later assessments of its client and questionnaire may
    compare with it now: their snapshots are written again, in period order."""
    for later in client_queries.later_assessments(
        session, assessment.organization_id, assessment.questionnaire_id, assessment.period
    ):
        refresh_snapshot(session, catalogue, lock_assessment(session, later.id))


def figures_of(result: AssessmentResult, submitted: int) -> snapshot_queries.SnapshotFigures:
    return snapshot_queries.SnapshotFigures(
        overall_score=result.overall_score,
        overall_level=result.overall_level,
        capped=result.capped,
        submitted_respondents=submitted,
        dimensions=tuple(
            snapshot_queries.DimensionFigures(
                dimension_id=dimension.dimension_id,
                score=dimension.score,
                level=dimension.level,
                spread=dimension.spread,
                respondents=dimension.respondents,
                disagreement=dimension.disagreement,
            )
            for dimension in result.dimensions
        ),
    )


def comparison_of(
    previous_assessment_id: int, comparison: Comparison
) -> snapshot_queries.ComparisonFigures:
    return snapshot_queries.ComparisonFigures(
        previous_assessment_id=previous_assessment_id,
        overall_change=comparison.overall_change,
        overall_comparability=comparison.overall_comparability,
        previous_respondents=comparison.respondents_then,
        matched_respondents=comparison.matched_respondents if comparison.panel_known else None,
        dimensions=tuple(
            snapshot_queries.DimensionChangeFigures(
                dimension_id=change.dimension_id,
                comparability=change.comparability,
                change=change.change,
                like_for_like_change=change.like_for_like_change,
                stable_panel_change=change.stable_panel_change,
                changed_questions=change.changed_questions,
                question_ids=change.question_ids,
            )
            for change in comparison.dimensions
        ),
    )
