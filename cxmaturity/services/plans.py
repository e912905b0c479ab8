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
from cxmaturity.domain.questionnaire import Dimension, Questionnaire
from cxmaturity.domain.statuses import ActionEventKind, ActionSource, ActionStatus
from cxmaturity.services.access import workspace_for
from cxmaturity.services.action_lines import ActionLine, Step, action_line, steps_of
from cxmaturity.services.action_rules import (
    ActionChanges,
    NewAction,
    add_event,
    apply_changes,
    checked_new,
    current_period,
    questionnaire_of,
    step_title,
)
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Action, Organization, Workspace
from cxmaturity.store.queries import actions as action_queries
from cxmaturity.store.queries import clients as client_queries

__all__ = ["ActionChanges", "ActionLine", "ActionPlan", "NewAction", "Step"]

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
        found = _dimension(self.questionnaire, dimension_id)
        return found.title.get(language) if found else dimension_id

    def question_text(self, question_id: str | None, language: str) -> str:
        question = self.questionnaire.questions.get(question_id) if question_id else None
        return (question.short or question.text).get(language) if question else ""


def action_plan(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    questionnaire_id: str,
    today: datetime.date,
) -> ActionPlan:
    """The client's action plan; client staff read their own organization's."""

    def read(session: Session) -> ActionPlan:
        workspace, organization = _client(session, actor, slug, client_id, Permission.VIEW_RESULTS)
        assert actor is not None
        latest = action_queries.latest_assessment(session, organization.id, questionnaire_id)
        questionnaire = questionnaire_of(catalogue, questionnaire_id, latest)
        rows = action_queries.actions_of(session, organization.id, questionnaire.id)
        names = action_queries.user_names(
            session, {e.user_id for row in rows for e in row.events if e.user_id is not None}
        )
        added = {row.source_key for row in rows if row.source_key}
        return ActionPlan(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            client_id=organization.id,
            client_name=organization.name,
            current_period=current_period(session, organization.id, questionnaire.id, today),
            questionnaire=questionnaire,
            actions=tuple(action_line(row, names) for row in rows),
            steps=steps_of(session, questionnaire, latest, added),
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
        _workspace, organization = _managed_client(session, actor, slug, client_id)
        latest = action_queries.latest_assessment(session, organization.id, questionnaire_id)
        questionnaire = questionnaire_of(catalogue, questionnaire_id, latest)
        checked = checked_new(questionnaire, new)
        period = current_period(session, organization.id, questionnaire.id, today)
        return _add(session, actor, organization, questionnaire, checked, period, None)

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
        _workspace, organization = _managed_client(session, actor, slug, client_id)
        latest = action_queries.latest_assessment(session, organization.id, questionnaire_id)
        questionnaire = questionnaire_of(catalogue, questionnaire_id, latest)
        new = NewAction(*_step_of_key(questionnaire, source_key, language))
        if source_key in action_queries.source_keys(session, organization.id, questionnaire.id):
            raise InvalidInput("source_key", "this step is already in the plan")
        period = current_period(session, organization.id, questionnaire.id, today)
        return _add(session, actor, organization, questionnaire, new, period, source_key)

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
        _workspace, organization = _managed_client(session, actor, slug, client_id)
        latest = action_queries.latest_assessment(session, organization.id, questionnaire_id)
        questionnaire = questionnaire_of(catalogue, questionnaire_id, latest)
        added = action_queries.source_keys(session, organization.id, questionnaire.id)
        period = current_period(session, organization.id, questionnaire.id, today)
        count = 0
        for step in steps_of(session, questionnaire, latest, added):
            if step.priority and not step.added:
                new = NewAction(step.dimension_id, step_title(step.text, language))
                _add(session, actor, organization, questionnaire, new, period, step.source_key)
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
        _workspace, organization = _managed_client(session, actor, slug, client_id)
        action = action_queries.action_for_update(session, organization.id, action_id)
        if action is None:
            raise NotVisible
        latest = action_queries.latest_assessment(session, organization.id, action.questionnaire_id)
        questionnaire = questionnaire_of(catalogue, action.questionnaire_id, latest)
        period = current_period(session, organization.id, action.questionnaire_id, today)
        apply_changes(action, questionnaire, changes, period, actor.user_id if actor else None)

    run_in_transaction(sessions, update)


def _add(
    session: Session,
    actor: Actor | None,
    organization: Organization,
    questionnaire: Questionnaire,
    new: NewAction,
    period: str,
    source_key: str | None,
) -> int:
    closing = new.status in (ActionStatus.DONE, ActionStatus.DROPPED)
    action = Action(
        organization_id=organization.id,
        questionnaire_id=questionnaire.id,
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
    dimension = _dimension(questionnaire, dimension_id)
    if dimension is None or not level_text.isdigit() or not index_text.isdigit():
        raise InvalidInput("source_key", "is not a recommended step of this questionnaire")
    steps = dimension.recommendations.get(int(level_text), ())
    if int(index_text) >= len(steps):
        raise InvalidInput("source_key", "is not a recommended step of this questionnaire")
    return dimension.id, step_title(steps[int(index_text)], language)


def _dimension(questionnaire: Questionnaire, dimension_id: str) -> Dimension | None:
    return next((d for d in questionnaire.dimensions if d.id == dimension_id), None)


def _client(
    session: Session, actor: Actor | None, slug: str, client_id: int, permission: Permission
) -> tuple[Workspace, Organization]:
    """The workspace and its client if the actor may do `permission` to it: NotVisible for
    a client outside the actor's sight, Forbidden for one they only read."""
    workspace = workspace_for(session, actor, slug, permission=None)
    assert actor is not None
    organization = client_queries.client_in(session, workspace.id, client_id)
    if organization is None:
        raise NotVisible
    actor.require(permission, workspace.id, organization.id)
    return workspace, organization


def _managed_client(
    session: Session, actor: Actor | None, slug: str, client_id: int
) -> tuple[Workspace, Organization]:
    return _client(session, actor, slug, client_id, Permission.MANAGE_PLANS)


def _allowed(
    actor: Actor, permission: Permission, workspace: Workspace, organization: Organization
) -> bool:
    return actor.decide(permission, workspace.id, organization.id) is Decision.ALLOWED
