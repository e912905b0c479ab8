"""The report's roadmap where the client keeps an action plan: one row per action with
its dimension, owner, due date, status and effect (DESIGN §4.12).

Without actions there is no plan view, and the roadmap lists the priorities' next
steps as before. The template words the status and effect keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity import locale
from cxmaturity.domain.actions import moved_since
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.statuses import UNFINISHED_ACTION_STATUSES


@dataclass(frozen=True)
class PlanRow:
    title: str
    dimension: str
    question: str
    owner: str
    due: str
    """The due date written out, or "" without one."""
    status: str
    """ActionStatus value."""
    effect: str | None
    """ActionEffect value, or None before the action was judged."""
    times_carried: int


@dataclass(frozen=True)
class PlanView:
    rows: tuple[PlanRow, ...]
    moved_without_action: tuple[str, ...]
    """Titles of the dimensions that rose by at least 0.5 with no done action."""

    @property
    def unfinished(self) -> int:
        return sum(1 for row in self.rows if row.status in UNFINISHED_ACTION_STATUSES)


def plan_view(outcome: Outcome, language: str) -> PlanView | None:
    """The plan of the outcome's period; None where the client has no action."""
    if not outcome.actions:
        return None
    questionnaire = outcome.questionnaire
    titles = {d.id: d.title.get(language) for d in questionnaire.dimensions}
    rows = []
    for action in outcome.actions:
        question = questionnaire.questions.get(action.question_id) if action.question_id else None
        rows.append(
            PlanRow(
                title=action.title,
                dimension=titles.get(action.dimension_id, action.dimension_id),
                question=(question.short or question.text).get(language) if question else "",
                owner=action.owner or "",
                due=locale.format_date(action.due_date, language) if action.due_date else "",
                status=action.status,
                effect=action.effect,
                times_carried=action.times_carried,
            )
        )
    moved = tuple(
        titles.get(dimension_id, dimension_id)
        for dimension_id in moved_since(outcome.comparison, outcome.actions)
    )
    return PlanView(rows=tuple(rows), moved_without_action=moved)
