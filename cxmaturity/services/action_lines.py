"""The action plan as its pages read it: the plan of a client, one line per action with
its history, and the questionnaire's recommended next steps to add with one click.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cxmaturity.domain.actions import carries_over, is_stalled
from cxmaturity.domain.questionnaire import Dimension, LocalizedText, Questionnaire
from cxmaturity.domain.scoring import score_assessment
from cxmaturity.domain.statuses import ActionStatus
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


STATUS_ORDER = tuple(ActionStatus)


@dataclass(frozen=True)
class ActionPlan:
    """The plan page of one client: its actions, and the recommended steps to add."""

    workspace_slug: str
    workspace_name: str
    client_id: int
    client_name: str
    current_period: str
    questionnaire: Questionnaire
    actions: tuple[ActionLine, ...]
    steps: tuple[Step, ...]
    """The next steps of each scored dimension's current level, priorities first."""
    may_manage: bool
    may_see_workspace: bool

    @property
    def groups(self) -> tuple[tuple[str, tuple[ActionLine, ...]], ...]:
        """(status, actions) for every status that has actions, unfinished ones first."""
        return tuple(
            (status.value, found)
            for status in STATUS_ORDER
            if (found := tuple(line for line in self.actions if line.status == status))
        )

    @property
    def open_actions(self) -> tuple[ActionLine, ...]:
        return tuple(line for line in self.actions if line.unfinished)

    @property
    def steps_to_add(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if not step.added)

    @property
    def priority_steps_to_add(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps_to_add if step.priority)

    def action(self, action_id: int) -> ActionLine | None:
        return next((line for line in self.actions if line.id == action_id), None)

    def dimension_title(self, dimension_id: str, language: str) -> str:
        found = find_dimension(self.questionnaire, dimension_id)
        return found.title.get(language) if found else dimension_id

    def question_text(self, question_id: str | None, language: str) -> str:
        question = self.questionnaire.questions.get(question_id) if question_id else None
        return (question.short or question.text).get(language) if question else ""


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


def find_dimension(questionnaire: Questionnaire, dimension_id: str) -> Dimension | None:
    return next((d for d in questionnaire.dimensions if d.id == dimension_id), None)
