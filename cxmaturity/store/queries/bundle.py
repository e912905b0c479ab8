"""Every stored row of one client, for its bundle: one query per table, in a stable order.

The caller has already decided that the actor may export the client. Rows come
in the order they were made (by id) where the order is the client's own history
(respondents, answers, targets, actions, events), so that a bundle imported and
exported again lists them the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxmaturity.store.models import (
    Action,
    ActionEvent,
    Answer,
    Assessment,
    DimensionSnapshot,
    KpiValue,
    Respondent,
    ResultSnapshot,
    Target,
)


@dataclass
class ClientTables:
    assessments: list[Assessment]
    respondents: dict[int, list[Respondent]] = field(default_factory=lambda: defaultdict(list))
    answers: dict[int, list[Answer]] = field(default_factory=lambda: defaultdict(list))
    snapshots: dict[int, ResultSnapshot] = field(default_factory=dict)
    dimensions: dict[int, list[DimensionSnapshot]] = field(
        default_factory=lambda: defaultdict(list)
    )
    targets: list[Target] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    events: dict[int, list[ActionEvent]] = field(default_factory=lambda: defaultdict(list))
    kpis: list[KpiValue] = field(default_factory=list)


def client_tables(session: Session, organization_id: int) -> ClientTables:
    assessments = select(Assessment.id).where(Assessment.organization_id == organization_id)
    respondents = select(Respondent.id).where(Respondent.assessment_id.in_(assessments))
    actions = select(Action.id).where(Action.organization_id == organization_id)
    tables = ClientTables(
        assessments=list(
            session.scalars(
                select(Assessment)
                .where(Assessment.organization_id == organization_id)
                .order_by(Assessment.questionnaire_id, Assessment.period)
            )
        )
    )
    for respondent in session.scalars(
        select(Respondent).where(Respondent.assessment_id.in_(assessments)).order_by(Respondent.id)
    ):
        tables.respondents[respondent.assessment_id].append(respondent)
    for answer in session.scalars(
        select(Answer).where(Answer.respondent_id.in_(respondents)).order_by(Answer.id)
    ):
        tables.answers[answer.respondent_id].append(answer)
    for snapshot in session.scalars(
        select(ResultSnapshot).where(ResultSnapshot.assessment_id.in_(assessments))
    ):
        tables.snapshots[snapshot.assessment_id] = snapshot
    for dimension in session.scalars(
        select(DimensionSnapshot)
        .where(DimensionSnapshot.assessment_id.in_(assessments))
        .order_by(DimensionSnapshot.assessment_id, DimensionSnapshot.dimension_id)
    ):
        tables.dimensions[dimension.assessment_id].append(dimension)
    tables.targets = list(
        session.scalars(
            select(Target).where(Target.organization_id == organization_id).order_by(Target.id)
        )
    )
    tables.actions = list(
        session.scalars(
            select(Action).where(Action.organization_id == organization_id).order_by(Action.id)
        )
    )
    for event in session.scalars(
        select(ActionEvent).where(ActionEvent.action_id.in_(actions)).order_by(ActionEvent.id)
    ):
        tables.events[event.action_id].append(event)
    tables.kpis = list(
        session.scalars(
            select(KpiValue)
            .where(KpiValue.organization_id == organization_id)
            .order_by(KpiValue.period, KpiValue.kpi)
        )
    )
    return tables
