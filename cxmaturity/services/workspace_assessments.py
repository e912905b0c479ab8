"""A client's assessments in a workspace: create one per period, open it, close it, read it.

Lifecycle: draft (links not usable yet) → open (respondents answer) → closed
(the result snapshot is written and every link is read-only). One assessment
per client, questionnaire and period (DESIGN §2).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.periods import Period, PeriodRefused
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import AssessmentStatus, AuditAction, Language
from cxmaturity.jobs.queue import enqueue
from cxmaturity.services import action_effects, audit, snapshots, targets
from cxmaturity.services.access import client_for, workspace_for
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Assessment, Organization, Workspace, utc_now
from cxmaturity.store.queries import clients as client_queries
from cxmaturity.store.queries import snapshots as snapshot_queries


class WrongStatus(Exception):
    """The assessment is not in the status this step starts from (e.g. closing a draft)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class NewAssessment:
    client_id: int
    period: str
    due_date: datetime.date | None = None


@dataclass(frozen=True)
class Overview:
    """The overview page of one assessment and what the actor may do there."""

    workspace_slug: str
    client_id: int
    client_name: str
    client_archived: bool
    row: client_queries.AssessmentRow
    overall_score: Fraction | None
    may_manage: bool
    may_see_participation: bool

    @property
    def id(self) -> int:
        return self.row.id


def create_assessment(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    questionnaire_id: str,
    new: NewAssessment,
    today: datetime.date,
) -> int:
    """A draft assessment of the questionnaire's newest version for the client and period.

    Raises InvalidInput for a period that is not a quarter, a due date in the past,
    an archived client, or a period the client already has an assessment of.
    """
    period = checked_period(new.period)
    if new.due_date is not None and new.due_date < today:
        raise InvalidInput("due_date", "is in the past")
    questionnaire = catalogue.get(questionnaire_id)

    def create(session: Session) -> int:
        return add_draft(session, actor, slug, new, questionnaire, period).id

    try:
        return run_in_transaction(sessions, create)
    except IntegrityError:  # the same period created at the same moment elsewhere
        raise InvalidInput("period", f"this client already has an assessment of {period}") from None


def add_draft(
    session: Session,
    actor: Actor | None,
    slug: str,
    new: NewAssessment,
    questionnaire: Questionnaire,
    period: str,
) -> Assessment:
    """Add the draft inside the caller's transaction (also services/next_quarter.py); the
    period and due date are checked already. Raises InvalidInput for an archived client or a
    period the client already has an assessment of."""
    _workspace, organization = managed_client(session, actor, slug, new.client_id)
    if organization.archived_at is not None:
        raise InvalidInput("client", "is archived; restore it first")
    if client_queries.assessment_of_period(session, organization.id, questionnaire.id, period):
        raise InvalidInput("period", f"this client already has an assessment of {period}")
    assessment = Assessment(
        organization_id=organization.id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        period=period,
        status=AssessmentStatus.DRAFT.value,
        due_date=new.due_date,
    )
    session.add(assessment)
    session.flush()
    return assessment


def open_assessment(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, assessment_id: int
) -> None:
    """Draft → open: from now on its links can be used. Raises WrongStatus otherwise."""

    def open_(session: Session) -> None:
        assessment = _managed(session, actor, slug, assessment_id)
        if assessment.status != AssessmentStatus.DRAFT:
            raise WrongStatus(assessment.status)
        assessment.status = AssessmentStatus.OPEN.value
        assessment.opened_at = utc_now()

    run_in_transaction(sessions, open_)


def close_assessment(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
) -> None:
    """Open → closed: the result snapshot is written; every link becomes read-only. The
    workspace's reports in both languages are rendered in the background after the commit."""

    def close(session: Session) -> None:
        workspace = workspace_for(session, actor, slug, permission=None)
        assessment = _managed(session, actor, slug, assessment_id, workspace)
        locked = snapshots.lock_assessment(session, assessment.id)
        if locked.status != AssessmentStatus.OPEN:
            raise WrongStatus(locked.status)
        close_locked(session, catalogue, locked)
        audit.record(
            session,
            actor,
            AuditAction.ASSESSMENT_CLOSED,
            "assessment",
            assessment.id,
            workspace_id=workspace.id,
        )
        enqueue(session, "render_reports", assessment.id, [str(code) for code in Language])

    run_in_transaction(sessions, close)


def close_locked(session: Session, catalogue: Catalogue, assessment: Assessment) -> None:
    """Close an assessment whose row the caller has locked, and write its snapshot (and
    those of later periods, which may compare with it now); targets it reached are
    achieved."""
    assessment.status = AssessmentStatus.CLOSED.value
    assessment.closed_at = utc_now()
    session.flush()
    snapshots.refresh_snapshot(session, catalogue, assessment)
    snapshots.refresh_later_snapshots(session, catalogue, assessment)
    targets.achieve_reached(session, assessment)
    action_effects.assessment_closed(session, catalogue, assessment)


def overview(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, assessment_id: int
) -> Overview:
    """The assessment's status, due date, participation and level; client staff read theirs."""

    def read(session: Session) -> Overview:
        workspace = workspace_for(session, actor, slug, permission=None)
        assert actor is not None
        assessment = client_queries.assessment_in(session, workspace.id, assessment_id)
        if assessment is None:
            raise NotVisible
        organization = assessment.organization
        actor.require(Permission.VIEW_RESULTS, workspace.id, organization.id)
        rows = client_queries.assessments_of_client(session, workspace.id, organization.id)
        snapshot = assessment_snapshot(session, assessment.id)
        return Overview(
            workspace_slug=workspace.slug,
            client_id=organization.id,
            client_name=organization.name,
            client_archived=organization.archived_at is not None,
            row=next(row for row in rows if row.id == assessment.id),
            overall_score=snapshot,
            may_manage=_allowed(actor, Permission.MANAGE_ASSESSMENTS, workspace, organization),
            may_see_participation=_allowed(
                actor, Permission.VIEW_WORKSPACE, workspace, organization
            ),
        )

    return run_reading(sessions, read)


def assessment_snapshot(session: Session, assessment_id: int) -> Fraction | None:
    """The overall score of the assessment's snapshot, exactly; None before any is scored."""
    snapshot = snapshot_queries.snapshot_of(session, assessment_id)
    if snapshot is None or snapshot.overall_score is None:
        return None
    return Fraction(snapshot.overall_score)


def checked_period(text: str) -> str:
    """The period written as `2026-Q4`; raises InvalidInput for anything else."""
    try:
        return str(Period.parse(text))
    except PeriodRefused as refused:
        raise InvalidInput("period", str(refused)) from None


def managed_client(
    session: Session, actor: Actor | None, slug: str, client_id: int
) -> tuple[Workspace, Organization]:
    """The workspace's client if the actor may manage its assessments; NotVisible (404) or
    Forbidden (403) otherwise."""
    return client_for(session, actor, slug, client_id, Permission.MANAGE_ASSESSMENTS)


def _managed(
    session: Session,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    workspace: Workspace | None = None,
) -> Assessment:
    """The assessment if the actor may manage it; NotVisible or Forbidden otherwise."""
    workspace = workspace or workspace_for(session, actor, slug, permission=None)
    assert actor is not None
    assessment = client_queries.assessment_in(session, workspace.id, assessment_id)
    if assessment is None:
        raise NotVisible
    actor.require(Permission.MANAGE_ASSESSMENTS, workspace.id, assessment.organization_id)
    return assessment


def _allowed(
    actor: Actor, permission: Permission, workspace: Workspace, organization: Organization
) -> bool:
    return actor.decide(permission, workspace.id, organization.id) is Decision.ALLOWED
