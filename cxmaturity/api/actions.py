"""`/api/v1/clients/<id>/actions`: a client's action plan (list, add a step, change one), and
the questionnaire's recommended next steps to add by their key, or the priorities' all at once.
"""

from __future__ import annotations

from flask import current_app

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.lifecycle_schemas import (
    PriorityStepsIn,
    StepIn,
    StepOut,
    StepsAddedOut,
    StepsOut,
    StepsQuery,
)
from cxmaturity.api.plan_schemas import ActionChangesIn, ActionIn, ActionOut, ActionsOut
from cxmaturity.api.problems import ApiProblem
from cxmaturity.api.schemas import IdempotencyHeaders, Problem
from cxmaturity.api.spec import answers, api
from cxmaturity.services import plans
from cxmaturity.services.action_rules import ActionChanges, NewAction
from cxmaturity.services.errors import InvalidInput

TAGS = ["actions"]


def _plan(client_id: int, *, with_steps: bool) -> plans.ActionPlan:
    own, found = services(), token()
    return plans.action_plan(
        own.sessions,
        own.catalogue,
        found.actor,
        found.workspace_slug,
        client_id,
        current_app.config["QUESTIONNAIRE_ID"],
        own.now().date(),
        with_steps=with_steps,
    )


def _read(client_id: int) -> ActionsOut:
    plan = _plan(client_id, with_steps=False)
    actions = [
        ActionOut(
            id=line.id,
            dimension_id=line.dimension_id,
            question_id=line.question_id,
            title=line.title,
            owner=line.owner,
            due_date=line.due_date,
            status=line.status,  # type: ignore[arg-type]  # checked by the model
            source=line.source,
            opened_period=line.opened_period,
            closed_period=line.closed_period,
            times_carried=line.times_carried,
            stalled=line.stalled,
            effect=line.effect,
            effect_period=line.effect_period,
        )
        for line in plan.actions
    ]
    return ActionsOut(client_id=plan.client_id, current_period=plan.current_period, actions=actions)


@blueprint.get("/clients/<int:client_id>/actions")
@api.validate(resp=answers(HTTP_200=ActionsOut), tags=TAGS)
def list_actions(client_id: int):
    """The client's action plan: every step with its status, carry-overs and effect."""
    return _read(client_id)


@blueprint.post("/clients/<int:client_id>/actions")
@api.validate(
    json=ActionIn, headers=IdempotencyHeaders, resp=answers(HTTP_201=ActionsOut), tags=TAGS
)
def create_action(client_id: int, json: ActionIn):
    """Add a step written by hand to the plan; answers the whole plan."""
    own, found = services(), token()
    new = NewAction(
        json.dimension_id, json.title, json.question_id, json.owner, json.due_date, json.status
    )
    plans.create_action(
        own.sessions,
        own.catalogue,
        found.actor,
        found.workspace_slug,
        client_id,
        current_app.config["QUESTIONNAIRE_ID"],
        new,
        own.now().date(),
    )
    return _read(client_id), 201


@blueprint.patch("/clients/<int:client_id>/actions/<int:action_id>")
@api.validate(json=ActionChangesIn, resp=answers(HTTP_200=ActionsOut), tags=TAGS)
def update_action(client_id: int, action_id: int, json: ActionChangesIn):
    """Change a step's title, owner, due date, question or status."""
    own, found = services(), token()
    sent = json.model_fields_set
    changes = ActionChanges(
        title=json.title,
        owner=json.owner if "owner" in sent else None,
        due_date=json.due_date,
        clear_due_date="due_date" in sent and json.due_date is None,
        question_id=json.question_id,
        status=json.status,
    )
    plans.update_action(
        own.sessions,
        own.catalogue,
        found.actor,
        found.workspace_slug,
        client_id,
        action_id,
        changes,
        own.now().date(),
    )
    return _read(client_id)


@blueprint.get("/clients/<int:client_id>/actions/steps")
@api.validate(query=StepsQuery, resp=answers(HTTP_200=StepsOut), tags=TAGS)
def list_steps(client_id: int, query: StepsQuery):
    """The recommended next steps of each scored dimension's level in the client's latest
    assessment, the priorities' first (in ?lang=de|en), and whether each is in the plan."""
    plan = _plan(client_id, with_steps=True)
    steps = [
        StepOut(
            source_key=step.source_key,
            dimension_id=step.dimension_id,
            level=step.level,
            text=step.text.get(query.lang),
            priority=step.priority,
            added=step.added,
        )
        for step in plan.steps
    ]
    return StepsOut(client_id=plan.client_id, current_period=plan.current_period, steps=steps)


@blueprint.post("/clients/<int:client_id>/actions/steps")
@api.validate(
    json=StepIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_201=ActionsOut, HTTP_409=Problem),
    tags=TAGS,
)
def add_step(client_id: int, json: StepIn):
    """Add one recommended step, by its `source_key`, titled in `language`; a step already
    in the plan is refused (409). Answers the whole plan."""
    own, found = services(), token()
    try:
        plans.add_recommended_step(
            own.sessions,
            own.catalogue,
            found.actor,
            found.workspace_slug,
            client_id,
            current_app.config["QUESTIONNAIRE_ID"],
            json.source_key,
            json.language,
            own.now().date(),
        )
    except InvalidInput as refused:
        if "already" not in str(refused):
            raise
        detail = "This recommended step is already in the plan."
        raise ApiProblem(409, "step-already-added", "Conflict", detail) from None
    return _read(client_id), 201


@blueprint.post("/clients/<int:client_id>/actions/priority-steps")
@api.validate(
    json=PriorityStepsIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_200=StepsAddedOut),
    tags=TAGS,
)
def add_priority_steps(client_id: int, json: PriorityStepsIn):
    """Add every recommended step of the three priorities not yet in the plan; answers the
    whole plan and how many steps were added."""
    own, found = services(), token()
    added = plans.add_priority_steps(
        own.sessions,
        own.catalogue,
        found.actor,
        found.workspace_slug,
        client_id,
        current_app.config["QUESTIONNAIRE_ID"],
        json.language,
        own.now().date(),
    )
    plan = _read(client_id)
    return StepsAddedOut(**plan.model_dump(), added=added)
