"""The action plan as its pages read it: one line per action with its history, and the
questionnaire's recommended next steps that can be added with one click.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cxmaturity.domain.actions import carries_over, is_stalled, moved_since
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.questionnaire import LocalizedText, Questionnaire
from cxmaturity.domain.scoring import score_assessment
from cxmaturity.services.participants import submitted_participants
from cxmaturity.store.models import Action, ActionEvent, Assessment


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class EventLine:
    """One entry of an action's history."""

    kind: str
    changes: tuple[Change, ...]
    period: str | None
    by: str | None
    """The display name of the user who made the change; None for the system (a close)."""
    at: datetime.datetime


@dataclass(frozen=True)
class ActionLine:
    id: int
    dimension_id: str
    question_id: str | None
    title: str
    owner: str | None
    due_date: datetime.date | None
    status: str
    source: str
    source_key: str | None
    opened_period: str
    closed_period: str | None
    times_carried: int
    carried_unchanged: int
    effect: str | None
    effect_period: str | None
    events: tuple[EventLine, ...]

    @property
    def unfinished(self) -> bool:
        return carries_over(self.status)

    @property
    def stalled(self) -> bool:
        """Carried twice without a change of status (DESIGN §4.12)."""
        return is_stalled(self.status, self.carried_unchanged)


@dataclass(frozen=True)
class Step:
    """A recommended next step of a dimension's current level."""

    source_key: str
    """"dimension:level:position", stored with the action so it is not added twice."""
    dimension_id: str
    level: int
    text: LocalizedText
    priority: bool
    """The dimension is one of the three priorities (DESIGN §4.7)."""
    added: bool


def action_line(row: Action, names: Mapping[int, str]) -> ActionLine:
    return ActionLine(
        id=row.id,
        dimension_id=row.dimension_id,
        question_id=row.question_id,
        title=row.title,
        owner=row.owner,
        due_date=row.due_date,
        status=row.status,
        source=row.source,
        source_key=row.source_key,
        opened_period=row.opened_period,
        closed_period=row.closed_period,
        times_carried=row.times_carried,
        carried_unchanged=row.carried_unchanged,
        effect=row.effect,
        effect_period=row.effect_period,
        events=tuple(_event_line(event, names) for event in row.events),
    )


def _event_line(event: ActionEvent, names: Mapping[int, str]) -> EventLine:
    detail = json.loads(event.detail) if event.detail else {}
    return EventLine(
        kind=event.kind,
        changes=tuple(Change(field, old, new) for field, (old, new) in detail.items()),
        period=event.period,
        by=names.get(event.user_id) if event.user_id is not None else None,
        at=event.at,
    )


def steps_of(
    session: Session,
    questionnaire: Questionnaire,
    latest: Assessment | None,
    added: set[str],
) -> tuple[Step, ...]:
    """The next steps of each scored dimension's level in the client's latest assessment
    (open or closed), the priorities' first; none before any dimension is scored."""
    if latest is None or (latest.questionnaire_version != questionnaire.version):
        return ()
    result = score_assessment(questionnaire, submitted_participants(session, latest.id))
    priorities = result.priorities
    order = {dimension_id: place for place, dimension_id in enumerate(priorities)}
    dimensions = sorted(
        (d for d in questionnaire.dimensions if result.dimension(d.id).level is not None),
        key=lambda d: order.get(d.id, len(order)),
    )
    steps = []
    for dimension in dimensions:
        level = result.dimension(dimension.id).level
        assert level is not None
        for position, text in enumerate(dimension.recommendations.get(level, ())):
            key = f"{dimension.id}:{level}:{position}"
            steps.append(Step(key, dimension.id, level, text, dimension.id in order, key in added))
    return tuple(steps)


@dataclass(frozen=True)
class PlanLine:
    """One action as a results page shows it."""

    title: str
    dimension_title: str
    question_text: str
    owner: str | None
    due_date: datetime.date | None
    status: str
    times_carried: int
    effect_key: str | None
    """"effect_seen", "no_effect_yet", "stalled" (ActionEffect), or None before judging."""


def plan_lines(outcome: Outcome, language: str) -> tuple[PlanLine, ...]:
    questionnaire = outcome.questionnaire
    titles = {d.id: d.title.get(language) for d in questionnaire.dimensions}
    lines = []
    for action in outcome.actions:
        question = questionnaire.questions.get(action.question_id) if action.question_id else None
        lines.append(
            PlanLine(
                title=action.title,
                dimension_title=titles.get(action.dimension_id, action.dimension_id),
                question_text=(question.short or question.text).get(language) if question else "",
                owner=action.owner,
                due_date=action.due_date,
                status=action.status,
                times_carried=action.times_carried,
                effect_key=action.effect,
            )
        )
    return tuple(lines)


def moved_dimensions(outcome: Outcome) -> tuple[str, ...]:
    """Dimensions that rose by at least 0.5 since last period with no done action (§4.12)."""
    return moved_since(outcome.comparison, outcome.actions)
