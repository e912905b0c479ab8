"""What a client's targets are measured against, and how they read (services/targets.py).

The basis is the client's latest closed assessment, else its latest open one (else its
latest draft, which has no scores yet): its questionnaire names the dimensions and its
result snapshot gives each dimension's current score and level.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.loader import Catalogue, QuestionnaireMissing
from cxmaturity.domain.questionnaire import LocalizedText, Questionnaire
from cxmaturity.domain.statuses import AssessmentStatus
from cxmaturity.domain.targets import TargetProgress, default_target_level, target_progress
from cxmaturity.services.access import client_for
from cxmaturity.store.models import Assessment, Organization, Target, Workspace
from cxmaturity.store.queries import targets as target_queries


@dataclass(frozen=True)
class TargetRow:
    """One dimension of the client's questionnaire with its score and target."""

    dimension_id: str
    title: LocalizedText
    score: Fraction | None
    level: int | None
    suggested_level: int
    """The default target: the current level + 1, at most 5 (DESIGN §2)."""
    target: TargetProgress | None
    """The active target with its gap and progress; None without one."""


@dataclass(frozen=True)
class AchievedTarget:
    """A target an assessment's close found reached (DESIGN §2: status `achieved`)."""

    dimension_id: str
    title: LocalizedText
    target_level: int
    achieved_on: datetime.date
    achieved_in: str | None = None
    """The period whose close found it reached."""


@dataclass(frozen=True)
class ClientTargets:
    workspace_slug: str
    client_id: int
    client_name: str
    questionnaire: Questionnaire | None
    """The questionnaire of the assessment measured against; None before any assessment."""
    period: str | None
    """The period of that assessment."""
    closed: bool
    """Whether that assessment is closed (else its scores may still change)."""
    rows: tuple[TargetRow, ...]
    may_manage: bool
    achieved: tuple[AchievedTarget, ...] = ()
    """Targets reached at an assessment's close, the latest first."""

    @property
    def scored(self) -> bool:
        return any(row.score is not None for row in self.rows)

    @property
    def without_target(self) -> int:
        """Scored dimensions without a target: what "set default targets" would set."""
        return sum(1 for row in self.rows if row.score is not None and row.target is None)

    def row(self, dimension_id: str) -> TargetRow:
        return next(row for row in self.rows if row.dimension_id == dimension_id)


@dataclass(frozen=True)
class Basis:
    """What targets are set against: the questionnaire and the scores of its assessment."""

    workspace: Workspace
    organization: Organization
    questionnaire: Questionnaire | None
    assessment: Assessment | None
    scores: Mapping[str, target_queries.DimensionScore]

    def score_of(self, dimension_id: str) -> target_queries.DimensionScore:
        return self.scores.get(dimension_id, target_queries.DimensionScore(None, None))


def basis_of(
    session: Session,
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    permission: Permission,
) -> Basis:
    workspace, organization = client_for(session, actor, slug, client_id, permission)
    assessment = target_queries.reference_assessment(session, organization.id)
    if assessment is None:
        return Basis(workspace, organization, None, None, {})
    scored = assessment.status != AssessmentStatus.DRAFT
    return Basis(
        workspace,
        organization,
        _questionnaire(catalogue, assessment),
        assessment,
        target_queries.dimension_scores(session, assessment.id) if scored else {},
    )


def _questionnaire(catalogue: Catalogue, assessment: Assessment) -> Questionnaire | None:
    # The version's file may be gone: the newest version of the same id still names
    # the dimensions; without any, there is nothing to set targets on.
    for version in (assessment.questionnaire_version, None):
        try:
            return catalogue.get(assessment.questionnaire_id, version)
        except QuestionnaireMissing:
            continue
    return None


def view_of(session: Session, basis: Basis, actor: Actor) -> ClientTargets:
    questionnaire = basis.questionnaire
    rows: list[TargetRow] = []
    achieved: list[AchievedTarget] = []
    if questionnaire is not None:
        known = {dimension.id: dimension for dimension in questionnaire.dimensions}
        achieved = [
            AchievedTarget(
                row.dimension_id,
                known[row.dimension_id].title,
                row.target_level,
                row.updated_at.date(),
                row.achieved_period,
            )
            for row in target_queries.achieved_targets(
                session, basis.organization.id, questionnaire.id
            )
            if row.dimension_id in known
        ]
        active = target_queries.active_targets(session, basis.organization.id, questionnaire.id)
        for dimension in questionnaire.dimensions:
            current = basis.score_of(dimension.id)
            stored = active.get(dimension.id)
            rows.append(
                TargetRow(
                    dimension_id=dimension.id,
                    title=dimension.title,
                    score=current.score,
                    level=current.level,
                    suggested_level=default_target_level(current.level),
                    target=None if stored is None else _progress(questionnaire, stored, current),
                )
            )
    allowed = actor.decide(Permission.MANAGE_PLANS, basis.workspace.id, basis.organization.id)
    return ClientTargets(
        workspace_slug=basis.workspace.slug,
        client_id=basis.organization.id,
        client_name=basis.organization.name,
        questionnaire=questionnaire,
        period=basis.assessment.period if basis.assessment is not None else None,
        closed=basis.assessment is not None and basis.assessment.status == AssessmentStatus.CLOSED,
        rows=tuple(rows),
        may_manage=allowed is Decision.ALLOWED,
        achieved=tuple(achieved),
    )


def _progress(
    questionnaire: Questionnaire, stored: Target, current: target_queries.DimensionScore
) -> TargetProgress:
    return target_progress(
        questionnaire,
        stored.dimension_id,
        stored.target_level,
        stored.due_period,
        None if stored.baseline_score is None else Fraction(stored.baseline_score),
        current.score,
        current.level,
    )
