"""The exports' reads: one statement per table for one client or a whole workspace, streamed.

Each function returns the rows of one query as they arrive (`yield_per`), so a
workspace of a thousand clients costs the same number of queries as one client,
and only a batch of rows is in memory at a time. Every statement is scoped to the
workspace, and to the clients the caller may see (`clients`; None: all of them).
Rows are plain SQL rows whose fields carry the names the services read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import Row, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import RespondentStatus
from cxmaturity.store.models import (
    Action,
    Answer,
    Assessment,
    DimensionSnapshot,
    KpiValue,
    Organization,
    Respondent,
    ResultSnapshot,
    Target,
)

BATCH = 2000
"""Rows fetched from the database at a time."""


def _scoped(statement: Select, workspace_id: int, clients: Collection[int] | None) -> Select:
    statement = statement.where(Organization.workspace_id == workspace_id)
    if clients is not None:
        statement = statement.where(Organization.id.in_(list(clients)))
    return statement


def _stream(session: Session, statement: Select) -> Iterator[Row[Any]]:
    yield from session.execute(statement, execution_options={"yield_per": BATCH})


_CLIENT = (
    Organization.id.label("client_id"),
    Organization.name.label("client"),
)


def _count_of(*conditions):
    """The number of the assessment's respondents meeting `conditions`, as a subquery."""
    return (
        select(func.count(Respondent.id))
        .where(Respondent.assessment_id == Assessment.id, *conditions)
        .correlate(Assessment)
        .scalar_subquery()
    )


def assessments(
    session: Session, workspace_id: int, clients: Collection[int] | None
) -> Iterator[Row[Any]]:
    """Every assessment with its client, participation counts and overall result."""
    statement = (
        select(
            Assessment.id.label("assessment_id"),
            *_CLIENT,
            Organization.industry,
            Organization.size,
            Assessment.period,
            Assessment.questionnaire_id,
            Assessment.questionnaire_version,
            Assessment.status,
            Assessment.anonymity,
            Assessment.due_date,
            Assessment.opened_at,
            Assessment.closed_at,
            _count_of().label("invited"),
            _count_of(Respondent.status == RespondentStatus.SUBMITTED.value).label("submitted"),
            ResultSnapshot.overall_score,
            ResultSnapshot.overall_level,
            ResultSnapshot.capped,
            ResultSnapshot.overall_change,
            ResultSnapshot.overall_comparability,
        )
        .join(Organization, Organization.id == Assessment.organization_id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .order_by(Organization.id, Assessment.period, Assessment.id)
    )
    return _stream(session, _scoped(statement, workspace_id, clients))


def dimension_scores(
    session: Session, workspace_id: int, clients: Collection[int] | None
) -> Iterator[Row[Any]]:
    """Every dimension row of every result snapshot, in the order the snapshot wrote them."""
    statement = (
        select(
            Assessment.id.label("assessment_id"),
            *_CLIENT,
            Assessment.period,
            Assessment.questionnaire_id,
            Assessment.questionnaire_version,
            Assessment.status,
            DimensionSnapshot.dimension_id,
            DimensionSnapshot.score,
            DimensionSnapshot.level,
            DimensionSnapshot.respondents,
            DimensionSnapshot.spread,
            DimensionSnapshot.disagreement,
            DimensionSnapshot.comparability,
            DimensionSnapshot.change,
            DimensionSnapshot.like_for_like_change,
            DimensionSnapshot.stable_panel_change,
        )
        .join(Assessment, Assessment.id == DimensionSnapshot.assessment_id)
        .join(Organization, Organization.id == Assessment.organization_id)
        .order_by(Organization.id, Assessment.period, Assessment.id, DimensionSnapshot.dimension_id)
    )
    return _stream(session, _scoped(statement, workspace_id, clients))


def answers(
    session: Session, workspace_id: int, clients: Collection[int] | None
) -> Iterator[Row[Any]]:
    """The answers of submitted respondents that count: a level or "not applicable", not
    merely pre-filled. Grouped by assessment; within it by respondent in order of
    submission (the order the aliases R1…Rn are numbered in), then by question id."""
    counted = and_(
        or_(Answer.level.is_not(None), Answer.not_applicable.is_(True)),
        Answer.prefilled.is_(False),
    )
    statement = (
        select(
            Assessment.id.label("assessment_id"),
            *_CLIENT,
            Assessment.period,
            Assessment.questionnaire_id,
            Assessment.questionnaire_version,
            Assessment.anonymity,
            Respondent.id.label("respondent_id"),
            Respondent.name.label("respondent_name"),
            Respondent.respondent_group,
            Answer.question_id,
            Answer.level,
            Answer.not_applicable,
            Answer.comment,
        )
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .join(Assessment, Assessment.id == Respondent.assessment_id)
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Respondent.status == RespondentStatus.SUBMITTED.value, counted)
        .order_by(
            Organization.id,
            Assessment.period,
            Assessment.id,
            Respondent.submitted_at,
            Respondent.id,
            Answer.question_id,
        )
    )
    return _stream(session, _scoped(statement, workspace_id, clients))


_ANSWERED = func.count(
    case(
        (
            and_(
                or_(Answer.level.is_not(None), Answer.not_applicable.is_(True)),
                Answer.prefilled.is_(False),
            ),
            1,
        )
    )
)


def participation(
    session: Session, workspace_id: int, clients: Collection[int] | None
) -> Iterator[Row[Any]]:
    """Every respondent with their count of answers, as the participation page lists them."""
    statement = (
        select(
            Assessment.id.label("assessment_id"),
            *_CLIENT,
            Assessment.period,
            Assessment.anonymity,
            Respondent.id.label("respondent_id"),
            Respondent.name,
            Respondent.email,
            Respondent.respondent_group,
            Respondent.language,
            Respondent.status,
            Respondent.invited_at,
            Respondent.submitted_at,
            Respondent.last_opened_at,
            Respondent.expires_at,
            Respondent.revoked_at,
            Respondent.opted_out_at,
            Respondent.delivery,
            Respondent.reminder_count,
            _ANSWERED.label("answered"),
        )
        .join(Assessment, Assessment.id == Respondent.assessment_id)
        .join(Organization, Organization.id == Assessment.organization_id)
        .outerjoin(Answer, Answer.respondent_id == Respondent.id)
        .group_by(Respondent.id, Assessment.id, Organization.id)
        .order_by(
            Organization.id, Assessment.period, Assessment.id, Respondent.invited_at, Respondent.id
        )
    )
    return _stream(session, _scoped(statement, workspace_id, clients))


def targets(
    session: Session, workspace_id: int, clients: Collection[int] | None
) -> Iterator[Row[Any]]:
    """Every target, active or not (the status says which)."""
    statement = (
        select(
            Target.id.label("target_id"),
            *_CLIENT,
            Target.questionnaire_id,
            Target.dimension_id,
            Target.target_level,
            Target.due_period,
            Target.baseline_score,
            Target.baseline_period,
            Target.status,
            Target.achieved_period,
            Target.created_at,
        )
        .join(Organization, Organization.id == Target.organization_id)
        .order_by(Organization.id, Target.questionnaire_id, Target.dimension_id, Target.id)
    )
    return _stream(session, _scoped(statement, workspace_id, clients))


def actions(
    session: Session, workspace_id: int, clients: Collection[int] | None
) -> Iterator[Row[Any]]:
    statement = (
        select(
            Action.id.label("action_id"),
            *_CLIENT,
            Action.questionnaire_id,
            Action.dimension_id,
            Action.question_id,
            Action.title,
            Action.owner,
            Action.due_date,
            Action.status,
            Action.source,
            Action.opened_period,
            Action.closed_period,
            Action.times_carried,
            Action.carried_unchanged,
            Action.effect,
            Action.effect_period,
        )
        .join(Organization, Organization.id == Action.organization_id)
        .order_by(Organization.id, Action.id)
    )
    return _stream(session, _scoped(statement, workspace_id, clients))


def kpis(
    session: Session, workspace_id: int, clients: Collection[int] | None
) -> Iterator[Row[Any]]:
    statement = (
        select(
            *_CLIENT,
            KpiValue.period,
            KpiValue.kpi,
            KpiValue.value,
            KpiValue.sample_size,
            KpiValue.note,
            KpiValue.updated_at,
        )
        .join(Organization, Organization.id == KpiValue.organization_id)
        .order_by(Organization.id, KpiValue.period, KpiValue.kpi)
    )
    return _stream(session, _scoped(statement, workspace_id, clients))
