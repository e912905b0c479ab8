"""Reading and locking a client's actions for the action plan's services.

Callers have already decided that the actor may see or change the client; these
reads are scoped to one organization id, so an action of another client is not found.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cxmaturity.domain.statuses import (
    UNFINISHED_ACTION_STATUSES,
    ActionStatus,
    AssessmentStatus,
)
from cxmaturity.store.models import Action, Assessment, User


def actions_of(session: Session, organization_id: int, questionnaire_id: str) -> list[Action]:
    """Every action of the client for the questionnaire, with its events, oldest first."""
    return list(
        session.scalars(
            select(Action)
            .where(
                Action.organization_id == organization_id,
                Action.questionnaire_id == questionnaire_id,
            )
            .options(selectinload(Action.events))
            .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        )
    )


def action_for_update(session: Session, organization_id: int, action_id: int) -> Action | None:
    """The client's action `action_id`, locked for this transaction; None where it is not
    the client's (or does not exist)."""
    return session.scalars(
        select(Action)
        .where(Action.id == action_id, Action.organization_id == organization_id)
        .with_for_update()
    ).one_or_none()


def unfinished_or_unjudged(
    session: Session, organization_id: int, questionnaire_id: str
) -> list[Action]:
    """The client's actions that a closing assessment may carry or judge, locked: the
    unfinished ones, and the done ones not judged since they were done."""
    unfinished = [status.value for status in UNFINISHED_ACTION_STATUSES]
    return list(
        session.scalars(
            select(Action)
            .where(
                Action.organization_id == organization_id,
                Action.questionnaire_id == questionnaire_id,
                Action.status.in_(unfinished)
                | ((Action.status == ActionStatus.DONE.value) & Action.effect.is_(None)),
            )
            .order_by(Action.id)
            .with_for_update()
        )
    )


def source_keys(session: Session, organization_id: int, questionnaire_id: str) -> set[str]:
    """The recommended steps already in the client's plan (whatever their status)."""
    return set(
        session.scalars(
            select(Action.source_key).where(
                Action.organization_id == organization_id,
                Action.questionnaire_id == questionnaire_id,
                Action.source_key.is_not(None),
            )
        )
    )


def latest_assessment(
    session: Session, organization_id: int, questionnaire_id: str
) -> Assessment | None:
    """The client's assessment of the latest period that is open or closed (no draft)."""
    return session.scalars(
        select(Assessment)
        .where(
            Assessment.organization_id == organization_id,
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.status != AssessmentStatus.DRAFT.value,
        )
        .order_by(Assessment.period.desc())
        .limit(1)
    ).one_or_none()


def closed_after(
    session: Session, organization_id: int, questionnaire_id: str, period: str
) -> bool:
    """Whether the client has a closed assessment of a period later than `period`."""
    # Periods look like 2026-Q4, so text order is time order.
    found = session.scalars(
        select(Assessment.id)
        .where(
            Assessment.organization_id == organization_id,
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.period > period,
            Assessment.status == AssessmentStatus.CLOSED.value,
        )
        .limit(1)
    ).first()
    return found is not None


def user_names(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """User id → display name, for the events' "by whom"."""
    wanted = set(user_ids)
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}
