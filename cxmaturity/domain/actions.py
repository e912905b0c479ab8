"""The action plan's rules (DESIGN §4.12): what carries over, and each action's effect.

An action belongs to the client, not to one assessment. When the next assessment
closes, a done action is judged by the change of its dimension (or its one question);
an unfinished action carried twice without a change of status is stalled.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.comparison import Comparison
from cxmaturity.domain.statuses import UNFINISHED_ACTION_STATUSES, ActionEffect, ActionStatus

DIMENSION_EFFECT = Fraction(1, 2)
"""A dimension's score must rise by this much for a done action to show an effect."""
QUESTION_EFFECT = Fraction(1)
"""For an action on one question: its mean must rise by this much."""
STALLED_AFTER_CARRIES = 2


def carries_over(status: str) -> bool:
    """Unfinished actions (planned, in progress, blocked) go into the next quarter."""
    return status in UNFINISHED_ACTION_STATUSES


def is_stalled(status: str, carried_unchanged: int) -> bool:
    return carries_over(status) and carried_unchanged >= STALLED_AFTER_CARRIES


def judge(
    status: str,
    question_id: str | None,
    carried_unchanged: int,
    dimension_change: Fraction | None,
    question_change: Fraction | None,
) -> ActionEffect | None:
    """The effect of one action when the next assessment closes; None where there is
    nothing to say (planned, in progress, blocked but not stalled; dropped)."""
    if status == ActionStatus.DONE:
        if question_id is not None:
            rose = question_change is not None and question_change >= QUESTION_EFFECT
        else:
            rose = dimension_change is not None and dimension_change >= DIMENSION_EFFECT
        return ActionEffect.EFFECT_SEEN if rose else ActionEffect.NO_EFFECT_YET
    if is_stalled(status, carried_unchanged):
        return ActionEffect.STALLED
    return None


def moved_without_action(
    dimension_changes: Mapping[str, Fraction | None], done_dimensions: Iterable[str]
) -> tuple[str, ...]:
    """Dimensions that rose by at least 0.5 with no done action on them."""
    done = set(done_dimensions)
    return tuple(
        dimension_id
        for dimension_id, change in dimension_changes.items()
        if change is not None and change >= DIMENSION_EFFECT and dimension_id not in done
    )


@dataclass(frozen=True)
class PlannedAction:
    """One action as the results page and the PDF's roadmap show it."""

    dimension_id: str
    question_id: str | None
    title: str
    owner: str | None
    due_date: datetime.date | None
    status: str
    times_carried: int
    effect: str | None
    """ActionEffect value, judged when the last assessment closed; None before."""


def moved_since(comparison: Comparison | None, actions: Iterable[PlannedAction]) -> tuple[str, ...]:
    """The dimensions of `comparison` that rose by at least 0.5 with no done action among
    `actions` (the results page and the PDF say "moved without a recorded action")."""
    if comparison is None:
        return ()
    changes = {change.dimension_id: change.change for change in comparison.dimensions}
    done = (action.dimension_id for action in actions if action.status == ActionStatus.DONE)
    return moved_without_action(changes, done)
