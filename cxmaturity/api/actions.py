"""`/api/v1/clients/<id>/actions`: a client's action plan (list, add a step, change one)."""

from __future__ import annotations

from flask import current_app

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.plan_schemas import ActionChangesIn, ActionIn, ActionOut, ActionsOut
from cxmaturity.api.schemas import IdempotencyHeaders
from cxmaturity.api.spec import answers, api
from cxmaturity.services import plans
from cxmaturity.services.action_rules import ActionChanges, NewAction

TAGS = ["actions"]


def _read(client_id: int) -> ActionsOut:
    own, found = services(), token()
    plan = plans.action_plan(
        own.sessions,
        own.catalogue,
        found.actor,
        found.workspace_slug,
        client_id,
        current_app.config["QUESTIONNAIRE_ID"],
        own.now().date(),
        with_steps=False,
    )
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
