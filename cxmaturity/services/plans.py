"""A client's action plan (DESIGN §2 Action, §4.12): read it, add steps by hand or from the
questionnaire's recommendations, edit them and change their status.

Reading needs VIEW_RESULTS, every change MANAGE_PLANS. Each change is one transaction
and leaves an ActionEvent with what changed ({"field": [old, new]}) and by whom.
Carrying over and judging happen when an assessment closes (services/action_effects.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.periods import quarter_of
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import ActionEventKind, ActionSource, ActionStatus
from cxmaturity.services.access import client_for
from cxmaturity.services.action_lines import (
    ActionLine,
    ActionPlan,
    Step,
    action_line,
    find_dimension,
    steps_of,
)
from cxmaturity.services.action_rules import (
    ActionChanges,
    NewAction,
    add_event,
    apply_changes,
    checked_new,
    questionnaire_of,
    step_title,
)
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Action, Assessment, Organization, Workspace
from cxmaturity.store.queries import actions as action_queries

__all__ = ["ActionChanges", "ActionLine", "ActionPlan", "NewAction", "Step"]

MANAGE = Permission.MANAGE_PLANS


def action_plan(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    questionnaire_id: str,
    today: datetime.date,
    *,
    with_steps: bool = True,
) -> ActionPlan:
    """The client's action plan; client staff read their own organization's. Without
    `with_steps` no recommended steps are offered (the client page lists actions only,
    and need not score the latest assessment for them)."""

    def read(session: Session) -> ActionPlan:
        workspace, organization = client_for(
            session, actor, slug, client_id, Permission.VIEW_RESULTS
        )
        assert actor is not None
        plan = _context(session, catalogue, organization, questionnaire_id, today)
        rows = action_queries.actions_of(session, organization.id, questionnaire_id)
        names = action_queries.user_names(
            session, {e.user_id for row in rows for e in row.events if e.user_id is not None}
        )
        added = {row.source_key for row in rows if row.source_key}
        return ActionPlan(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            client_id=organization.id,
            client_name=organization.name,
            current_period=plan.period,
            questionnaire=plan.questionnaire,
            actions=tuple(action_line(row, names) for row in rows),
            steps=steps_of(session, plan.questionnaire, plan.latest, added) if with_steps else (),
            may_manage=_allowed(actor, Permission.MANAGE_PLANS, workspace, organization),
            may_see_workspace=_allowed(actor, Permission.VIEW_WORKSPACE, workspace, organization),
        )

    return run_reading(sessions, read)


def create_action(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    questionnaire_id: str,
    new: NewAction,
    today: datetime.date,
) -> int:
    """A step written by hand; raises InvalidInput naming the refused field."""

    def create(session: Session) -> int:
        plan = _managed(session, catalogue, actor, slug, client_id, questionnaire_id, today)
        return _add(session, actor, plan, checked_new(plan.questionnaire, new), None)

    return run_in_transaction(sessions, create)


def add_recommended_step(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    questionnaire_id: str,
    source_key: str,
    language: str,
    today: datetime.date,
) -> int:
    """One recommended next step ("strategy:2:0": dimension, level, position) as an action,
    titled in `language`. A step already in the plan is refused (field `source_key`)."""

    def create(session: Session) -> int:
        plan = _managed(session, catalogue, actor, slug, client_id, questionnaire_id, today)
        new = NewAction(*_step_of_key(plan.questionnaire, source_key, language))
        if source_key in action_queries.source_keys(
            session, plan.organization.id, questionnaire_id
        ):
            raise InvalidInput("source_key", "this step is already in the plan")
        return _add(session, actor, plan, new, source_key)

    return run_in_transaction(sessions, create)


def add_priority_steps(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    questionnaire_id: str,
    language: str,
    today: datetime.date,
) -> int:
    """Every next step of the priorities (DESIGN §4.7) not yet in the plan; how many were added."""

    def create(session: Session) -> int:
        plan = _managed(session, catalogue, actor, slug, client_id, questionnaire_id, today)
        added = action_queries.source_keys(session, plan.organization.id, questionnaire_id)
        count = 0
        for step in steps_of(session, plan.questionnaire, plan.latest, added):
            if step.priority and not step.added:
                new = NewAction(step.dimension_id, step_title(step.text, language))
                _add(session, actor, plan, new, step.source_key)
                count += 1
        return count

    return run_in_transaction(sessions, create)


def update_action(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    action_id: int,
    changes: ActionChanges,
    today: datetime.date,
) -> None:
    """Change an action's title, owner, due date, question or status (fields left None in
    `changes` stay as they are); one event for the details, one for the status."""

    def update(session: Session) -> None:
        _workspace, organization = client_for(session, actor, slug, client_id, MANAGE)
        action = action_queries.action_for_update(session, organization.id, action_id)
        if action is None:
            raise NotVisible
        plan = _context(session, catalogue, organization, action.questionnaire_id, today)
        user_id = actor.user_id if actor else None
        apply_changes(action, plan.questionnaire, changes, plan.period, user_id)

    run_in_transaction(sessions, update)


@dataclass(frozen=True)
class _Context:
    """A client's plan as a change needs it: where it stands and which questionnaire."""

    organization: Organization
    latest: Assessment | None
    """The client's latest assessment that is not a draft."""
    questionnaire: Questionnaire
    period: str
    """The current period: the latest assessment's, else the quarter of today."""


def _context(
    session: Session,
    catalogue: Catalogue,
    organization: Organization,
    questionnaire_id: str,
    today: datetime.date,
) -> _Context:
    latest = action_queries.latest_assessment(session, organization.id, questionnaire_id)
    return _Context(
        organization=organization,
        latest=latest,
        questionnaire=questionnaire_of(catalogue, questionnaire_id, latest),
        period=latest.period if latest is not None else quarter_of(today),
    )


def _managed(
    session: Session,
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    questionnaire_id: str,
    today: datetime.date,
) -> _Context:
    _workspace, organization = client_for(session, actor, slug, client_id, MANAGE)
    return _context(session, catalogue, organization, questionnaire_id, today)


def _add(
    session: Session, actor: Actor | None, plan: _Context, new: NewAction, source_key: str | None
) -> int:
    period = plan.period
    closing = new.status in (ActionStatus.DONE, ActionStatus.DROPPED)
    action = Action(
        organization_id=plan.organization.id,
        questionnaire_id=plan.questionnaire.id,
        dimension_id=new.dimension_id,
        question_id=new.question_id,
        title=new.title,
        owner=new.owner,
        due_date=new.due_date,
        status=str(new.status),
        source=(ActionSource.RECOMMENDATION if source_key else ActionSource.MANUAL).value,
        source_key=source_key,
        opened_period=period,
        closed_period=period if closing else None,
        times_carried=0,
        carried_unchanged=0,
    )
    session.add(action)
    session.flush()
    detail = {"title": [None, new.title], "status": [None, str(new.status)]}
    add_event(action, ActionEventKind.CREATED, detail, period, actor.user_id if actor else None)
    session.flush()
    return action.id


def _step_of_key(questionnaire: Questionnaire, key: str, language: str) -> tuple[str, str]:
    """(dimension id, title) of the recommended step `key`; InvalidInput if there is none."""
    dimension_id, _, rest = key.partition(":")
    level_text, _, index_text = rest.partition(":")
    dimension = find_dimension(questionnaire, dimension_id)
    if dimension is None or not level_text.isdigit() or not index_text.isdigit():
        raise InvalidInput("source_key", "is not a recommended step of this questionnaire")
    steps = dimension.recommendations.get(int(level_text), ())
    if int(index_text) >= len(steps):
        raise InvalidInput("source_key", "is not a recommended step of this questionnaire")
    return dimension.id, step_title(steps[int(index_text)], language)


def _allowed(
    actor: Actor, permission: Permission, workspace: Workspace, organization: Organization
) -> bool:
    return actor.decide(permission, workspace.id, organization.id) is Decision.ALLOWED
