"""Result snapshots (DESIGN §2): written when an assessment closes, kept current while it is open.

The snapshot is scored here by domain.scoring over the submitted respondents,
exactly as the results page scores them (services/results.py); portfolio,
history and the start page read it and never score on read.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.scoring import AssessmentResult, RespondentAnswers, score_assessment
from cxmaturity.store import queries
from cxmaturity.store.models import Assessment
from cxmaturity.store.queries import clients as client_queries
from cxmaturity.store.queries import snapshots as snapshot_queries


def lock_assessment(session: Session, assessment_id: int) -> Assessment:
    """The assessment, locked for this transaction: take it before changing what it scores."""
    return client_queries.assessment_for_update(session, assessment_id)


def refresh_snapshot(session: Session, catalogue: Catalogue, assessment: Assessment) -> None:
    """Score the assessment's submitted respondents and store the result as its snapshot.

    Runs in the caller's transaction, which must hold `lock_assessment`.
    """
    questionnaire = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
    respondents = [
        RespondentAnswers(
            name=respondent.name or "",
            answers={answer.question_id: answer.level for answer in respondent.answers},
        )
        for respondent in queries.submitted_respondents_with_answers(session, assessment.id)
    ]
    result = score_assessment(questionnaire, respondents)
    snapshot_queries.write_snapshot(session, assessment.id, figures_of(result, len(respondents)))


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
