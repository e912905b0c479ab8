"""When an assessment closes: unfinished actions carry into the next quarter, and every
action is judged against the change since last period (DESIGN §4.12).

The rules, precisely (the domain's are in domain/actions.py):

- Only the close of the client's latest closed period counts: an old period imported
  and closed after a newer one carries and judges nothing newer than itself. An action
  is carried at most once per period (`last_carried_period`), so closing twice (or
  re-running an import) carries nothing twice; an action opened in a later period
  than the one closed is left alone.
- Carrying an unfinished action (planned, in progress, blocked): `times_carried` + 1,
  `carried_unchanged` + 1. A change of status sets `carried_unchanged` to 0
  (services/action_rules.py), so the first carry after it counts 1 and the action is
  stalled after two carries in a row without a change of status.
- Judging: a carried action is stalled or nothing; a done action is judged once, at the
  first close of a period at or after the one it was done in that has a previous period
  to compare with, by its dimension's change (the same `compare` the snapshot just
  stored) or, for an action on one question, by that question's mean change. Dropped
  actions are never judged.
"""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy.orm import Session

from cxmaturity.domain.actions import carries_over, judge
from cxmaturity.domain.comparison import Comparison, compare
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.statuses import ActionEventKind, ActionStatus
from cxmaturity.services.action_rules import add_event
from cxmaturity.services.participants import previous_period, submitted_participants
from cxmaturity.store.models import Action, Assessment
from cxmaturity.store.queries import actions as action_queries


def assessment_closed(session: Session, catalogue: Catalogue, assessment: Assessment) -> None:
    """Carry and judge the client's actions for the close of `assessment`; runs in the
    closing transaction, after the snapshot was written."""
    organization_id, questionnaire_id = assessment.organization_id, assessment.questionnaire_id
    period = assessment.period
    if action_queries.closed_after(session, organization_id, questionnaire_id, period):
        return
    actions = action_queries.unfinished_or_unjudged(session, organization_id, questionnaire_id)
    if not actions:
        return
    comparison = _comparison(session, catalogue, assessment)
    for action in actions:
        if action.opened_period > period:
            continue
        if carries_over(action.status):
            if action.last_carried_period is None or action.last_carried_period < period:
                _carry(action, period)
                _judge(action, period, comparison)
        elif _awaits_judgement(action, period) and comparison is not None:
            _judge(action, period, comparison)
    session.flush()


def _awaits_judgement(action: Action, period: str) -> bool:
    """A done action not judged since it was done, done in this period or before."""
    return (
        action.status == ActionStatus.DONE
        and action.effect is None
        and (action.closed_period is None or action.closed_period <= period)
    )


def _carry(action: Action, period: str) -> None:
    detail = {
        "times_carried": [action.times_carried, action.times_carried + 1],
        "carried_unchanged": [action.carried_unchanged, action.carried_unchanged + 1],
    }
    action.times_carried += 1
    action.carried_unchanged += 1
    action.last_carried_period = period
    add_event(action, ActionEventKind.CARRIED, detail, period, None)


def _judge(action: Action, period: str, comparison: Comparison | None) -> None:
    effect = judge(
        action.status,
        action.question_id,
        action.carried_unchanged,
        _dimension_change(comparison, action.dimension_id),
        _question_change(comparison, action.question_id),
    )
    if effect is None or effect == action.effect:
        return
    add_event(
        action, ActionEventKind.JUDGED, {"effect": [action.effect, effect.value]}, period, None
    )
    action.effect = effect.value
    action.effect_period = period


def _dimension_change(comparison: Comparison | None, dimension_id: str) -> Fraction | None:
    change = comparison.dimension(dimension_id) if comparison is not None else None
    return change.change if change is not None else None


def _question_change(comparison: Comparison | None, question_id: str | None) -> Fraction | None:
    if comparison is None or question_id is None:
        return None
    movement = comparison.question(question_id)
    return movement.change if movement is not None else None


def _comparison(
    session: Session, catalogue: Catalogue, assessment: Assessment
) -> Comparison | None:
    """The closed assessment compared with its previous period. Every question mean counts
    here, however few answered it: the three-answer rule is for showing a question's
    figures (DESIGN §8), and the judgement shows only its verdict."""
    previous = previous_period(session, catalogue, assessment)
    if previous is None:
        return None
    before = previous[1]
    questionnaire = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
    return compare(
        before.questionnaire,
        before.respondents,
        questionnaire,
        submitted_participants(session, assessment.id),
        before.period,
    )
