"""Cohort statistics from result snapshots: the portfolio's band and a client's position in it.

The rule itself (leave-one-out, min-n, quartiles) is the domain's
(`domain/cohorts.py`); this module only reads the period's closed results and
hands them over. Callers have authorized the workspace already.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence

from sqlalchemy.orm import Session

from cxmaturity.domain.cohorts import CohortClient, CohortFilter, CohortPosition, position_of
from cxmaturity.domain.scoring import AssessmentResult
from cxmaturity.domain.statuses import WorkspaceKind
from cxmaturity.store.models import Assessment, Workspace
from cxmaturity.store.queries import cohorts as cohort_queries
from cxmaturity.store.queries.cohorts import PeriodResult
from cxmaturity.store.queries.snapshots import exact_value


def cohort_clients(results: Sequence[PeriodResult]) -> list[CohortClient]:
    """The domain's view of the period's closed results (exact scores)."""
    return [cohort_client(result) for result in results]


def cohort_client(result: PeriodResult) -> CohortClient:
    return CohortClient(
        client_id=result.client_id,
        questionnaire_id=result.questionnaire_id,
        questionnaire_version=result.questionnaire_version,
        period=result.period,
        overall=exact_value(result.overall_score),
        dimensions={key: exact_value(value) for key, value in result.dimension_scores.items()},
        industry=result.industry,
        size=result.size,
        tags=result.tags,
    )


def closed_clients_of_period(
    session: Session,
    workspace_id: int,
    period: str,
    *,
    questionnaire_id: str | None = None,
    visible: Collection[int] | None = None,
) -> list[CohortClient]:
    return cohort_clients(
        cohort_queries.closed_results_of_period(
            session, workspace_id, period, questionnaire_id=questionnaire_id, visible=visible
        )
    )


class PeriodPeers:
    """The closed results of a period, read once and kept for a job that reports on many
    clients of one period (bulk PDFs): each report would otherwise read the whole period
    again. The job's reports all stand against the period as it was when it started."""

    def __init__(self) -> None:
        self._read: dict[tuple[int, str, str], list[CohortClient]] = {}
        self._lock = threading.Lock()

    def of(
        self, session: Session, workspace_id: int, period: str, questionnaire_id: str
    ) -> list[CohortClient]:
        key = (workspace_id, period, questionnaire_id)
        with self._lock:  # the job's threads ask at once; one of them reads
            if key not in self._read:
                self._read[key] = closed_clients_of_period(
                    session, workspace_id, period, questionnaire_id=questionnaire_id
                )
            return self._read[key]


def position_in_workspace(
    session: Session,
    workspace: Workspace,
    assessment: Assessment,
    dimension_ids: Sequence[str],
    own_scores: CohortClient,
    cohort: CohortFilter | None = None,
    peers: PeriodPeers | None = None,
) -> CohortPosition:
    """Where this assessment stands among the workspace's other comparable clients.

    `own_scores` is the assessment's own result (it need not be closed yet); the peers are
    the other clients' closed assessments of the same period, questionnaire id and major
    version, so the client never counts in its own band. `peers` keeps them across calls.
    """
    candidates = (peers or PeriodPeers()).of(
        session, workspace.id, assessment.period, assessment.questionnaire_id
    )
    return position_of(own_scores, candidates, dimension_ids, workspace.cohort_min_n, cohort)


def position_of_assessment(
    session: Session,
    assessment: Assessment,
    result: AssessmentResult,
    peers: PeriodPeers | None = None,
) -> CohortPosition | None:
    """The assessment's place among its workspace's other clients, with the workspace's
    min-n; None in a team workspace, whose one client has no peers.

    `result` is the assessment's own scoring (exact), which the band never includes.
    """
    workspace = assessment.organization.workspace
    if workspace.kind == WorkspaceKind.TEAM:
        return None
    own = CohortClient(
        client_id=assessment.organization_id,
        questionnaire_id=assessment.questionnaire_id,
        questionnaire_version=assessment.questionnaire_version,
        period=assessment.period,
        overall=result.overall_score,
        dimensions={dimension.dimension_id: dimension.score for dimension in result.dimensions},
    )
    dimension_ids = [dimension.dimension_id for dimension in result.dimensions]
    return position_in_workspace(session, workspace, assessment, dimension_ids, own, peers=peers)
