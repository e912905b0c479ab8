"""The action plan's input rules and the bookkeeping of a change (services/plans.py uses them).

What a person types is checked here, whether it came from a form, the API or a script;
a change of status resets the count of carries without change and the last judgement.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, replace
from typing import Any

from cxmaturity.domain.loader import Catalogue, QuestionnaireMissing
from cxmaturity.domain.questionnaire import LocalizedText, Questionnaire
from cxmaturity.domain.statuses import ActionEventKind, ActionStatus
from cxmaturity.domain.text import TextRefused, clean_optional_text, clean_text
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.models import Action, ActionEvent, Assessment

TITLE_MAX_LENGTH = 300
OWNER_MAX_LENGTH = 200
CLOSING_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)
EARLIEST_DUE = datetime.date(2000, 1, 1)
LATEST_DUE = datetime.date(2100, 12, 31)


@dataclass(frozen=True)
class NewAction:
    """A step as a person writes it; checked by `checked_new`."""

    dimension_id: str
    title: str
    question_id: str | None = None
    owner: str | None = None
    due_date: datetime.date | None = None
    status: str = ActionStatus.PLANNED


@dataclass(frozen=True)
class ActionChanges:
    """What to change of an action; a field left None stays as it is. `owner=""` and
    `clear_due_date` remove the owner and the due date; `question_id=""` the question."""

    title: str | None = None
    owner: str | None = None
    due_date: datetime.date | None = None
    clear_due_date: bool = False
    question_id: str | None = None
    status: str | None = None


def questionnaire_of(
    catalogue: Catalogue, questionnaire_id: str, latest: Assessment | None
) -> Questionnaire:
    """The questionnaire version of the client's latest assessment, else the newest one."""
    if latest is not None:
        try:
            return catalogue.get(latest.questionnaire_id, latest.questionnaire_version)
        except QuestionnaireMissing:  # its file is gone: the steps come from the newest
            pass
    return catalogue.get(questionnaire_id)


def step_title(text: LocalizedText, language: str) -> str:
    """A recommended step's text as an action's title."""
    return clean_text(text.get(language))[:TITLE_MAX_LENGTH].strip()


def checked_new(questionnaire: Questionnaire, new: NewAction) -> NewAction:
    """`new` as it is stored; raises InvalidInput naming the first refused field."""
    if not any(d.id == new.dimension_id for d in questionnaire.dimensions):
        raise InvalidInput("dimension_id", "is not a dimension of this questionnaire")
    return replace(
        new,
        title=_title(new.title),
        owner=_owner(new.owner),
        question_id=_question(questionnaire, new.dimension_id, new.question_id),
        due_date=_due(new.due_date),
        status=_status(new.status),
    )


def apply_changes(
    action: Action,
    questionnaire: Questionnaire,
    changes: ActionChanges,
    period: str,
    user_id: int | None,
) -> None:
    """Check `changes` and apply them to the locked `action`, each with its event."""
    new: dict[str, Any] = {}
    if changes.title is not None:
        new["title"] = _title(changes.title)
    if changes.owner is not None:
        new["owner"] = _owner(changes.owner)
    if changes.clear_due_date:
        new["due_date"] = None
    elif changes.due_date is not None:
        new["due_date"] = _due(changes.due_date)
    if changes.question_id is not None:
        new["question_id"] = _question(
            questionnaire, action.dimension_id, changes.question_id or None
        )
    status = _status(changes.status) if changes.status is not None else None
    detail = {}
    for field, value in new.items():
        old = getattr(action, field)
        if old != value:
            detail[field] = [_shown(old), _shown(value)]
            setattr(action, field, value)
    if detail:
        add_event(action, ActionEventKind.EDITED, detail, period, user_id)
    if status is not None and status != action.status:
        _change_status(action, status, period, user_id)


def _change_status(action: Action, status: str, period: str, user_id: int | None) -> None:
    # A changed status starts the count of carries without change anew (the next carry
    # counts 1, so "stalled" needs two more carries without a change), and makes the last
    # judgement stale: a done action is judged afresh at the next close.
    detail: dict[str, list] = {"status": [action.status, status]}
    action.status = status
    action.carried_unchanged = 0
    if action.effect is not None:
        detail["effect"] = [action.effect, None]
        action.effect = None
        action.effect_period = None
    closed = period if status in CLOSING_STATUSES else None
    if closed != action.closed_period:
        detail["closed_period"] = [action.closed_period, closed]
        action.closed_period = closed
    add_event(action, ActionEventKind.STATUS_CHANGED, detail, period, user_id)


def add_event(
    action: Action, kind: ActionEventKind, detail: dict, period: str | None, user_id: int | None
) -> None:
    action.events.append(
        ActionEvent(
            kind=kind.value,
            detail=json.dumps(detail, ensure_ascii=False),
            period=period,
            user_id=user_id,
        )
    )


def _shown(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _title(text: str) -> str:
    try:
        return clean_text(text, required=True, max_length=TITLE_MAX_LENGTH)
    except TextRefused as refused:
        raise InvalidInput("title", str(refused)) from None


def _owner(text: str | None) -> str | None:
    try:
        return clean_optional_text(text, max_length=OWNER_MAX_LENGTH)
    except TextRefused as refused:
        raise InvalidInput("owner", str(refused)) from None


def _question(
    questionnaire: Questionnaire, dimension_id: str, question_id: str | None
) -> str | None:
    if not question_id:
        return None
    dimension = next((d for d in questionnaire.dimensions if d.id == dimension_id), None)
    if dimension is None or not any(q.id == question_id for q in dimension.questions):
        raise InvalidInput("question_id", "is not a question of this dimension")
    return question_id


def _due(day: datetime.date | None) -> datetime.date | None:
    if day is not None and not EARLIEST_DUE <= day <= LATEST_DUE:
        raise InvalidInput("due_date", "must lie between 2000 and 2100")
    return day


def _status(status: str) -> str:
    if status not in tuple(ActionStatus):
        raise InvalidInput("status", "is not a status of an action")
    return ActionStatus(status).value
