"""Reading a client's plan for its results: active targets, actions and key figures.

Callers have already decided that the actor may see the client; these reads are
scoped to one organization id.
"""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxmaturity.domain.actions import PlannedAction
from cxmaturity.domain.kpi import KpiReading
from cxmaturity.domain.statuses import ActionStatus, TargetStatus
from cxmaturity.domain.targets import TargetSetting
from cxmaturity.store.models import Action, KpiValue, Target


def _fraction(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


def active_targets(
    session: Session, organization_id: int, questionnaire_id: str, period: str
) -> tuple[TargetSetting, ...]:
    """The targets `period`'s results measure against: the active ones, and those the
    close of `period` found reached (achieved by it)."""
    rows = session.scalars(
        select(Target).where(
            Target.organization_id == organization_id,
            Target.questionnaire_id == questionnaire_id,
            (Target.status == TargetStatus.ACTIVE.value)
            | ((Target.status == TargetStatus.ACHIEVED.value) & (Target.achieved_period == period)),
        )
    )
    return tuple(
        TargetSetting(
            row.dimension_id, row.target_level, row.due_period, _fraction(row.baseline_score)
        )
        for row in rows
    )


def planned_actions(
    session: Session, organization_id: int, questionnaire_id: str, period: str
) -> tuple[PlannedAction, ...]:
    """The actions open in `period` or before and not closed before it, oldest first;
    also those done earlier that this period judged, or will judge when it closes."""
    rows = session.scalars(
        select(Action)
        .where(
            Action.organization_id == organization_id,
            Action.questionnaire_id == questionnaire_id,
            Action.opened_period <= period,
            (Action.closed_period.is_(None))
            | (Action.closed_period >= period)
            | (Action.effect_period == period)
            | ((Action.status == ActionStatus.DONE.value) & Action.effect.is_(None)),
        )
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )
    return tuple(
        PlannedAction(
            dimension_id=row.dimension_id,
            question_id=row.question_id,
            title=row.title,
            owner=row.owner,
            due_date=row.due_date,
            status=row.status,
            times_carried=row.times_carried,
            # A judgement made when a later quarter closed is not this quarter's to show.
            effect=row.effect if row.effect_period and row.effect_period <= period else None,
        )
        for row in rows
    )


def kpi_readings(session: Session, organization_id: int, period: str) -> tuple[KpiReading, ...]:
    """The client's key figures of `period`, each with its value in the latest earlier
    period that has one (for the change)."""
    rows = list(
        session.scalars(
            select(KpiValue)
            .where(KpiValue.organization_id == organization_id, KpiValue.period <= period)
            .order_by(KpiValue.kpi, KpiValue.period.desc())
        )
    )
    readings = []
    for row in rows:
        if row.period != period:
            continue
        earlier = next(
            (
                other
                for other in rows
                if other.kpi == row.kpi and other.period < period and other.value is not None
            ),
            None,
        )
        readings.append(
            KpiReading(
                kpi=row.kpi,
                period=row.period,
                value=_fraction(row.value),
                sample_size=row.sample_size,
                previous_value=_fraction(earlier.value) if earlier else None,
                note=row.note,
            )
        )
    return tuple(readings)
