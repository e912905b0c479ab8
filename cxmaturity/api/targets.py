"""`/api/v1/clients/<id>/targets`: a client's target level per dimension, with progress."""

from __future__ import annotations

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.plan_schemas import TargetsIn, TargetsOut
from cxmaturity.api.spec import answers, api
from cxmaturity.exports.serializers import json_number
from cxmaturity.services import targets
from cxmaturity.services.target_reading import ClientTargets

TAGS = ["targets"]


def targets_out(shown: ClientTargets) -> TargetsOut:
    questionnaire = shown.questionnaire
    dimensions = []
    for row in shown.rows:
        target = row.target
        dimensions.append(
            {
                "id": row.dimension_id,
                "score": json_number(row.score),
                "level": row.level,
                "suggested_level": row.suggested_level,
                "target": None
                if target is None
                else {
                    "level": target.target_level,
                    "due_period": target.due_period,
                    "baseline": json_number(target.baseline),
                    "gap": json_number(target.gap),
                    "progress": json_number(target.progress),
                    "reached": target.reached,
                },
            }
        )
    return TargetsOut.model_validate(
        {
            "client_id": shown.client_id,
            "questionnaire": None
            if questionnaire is None
            else {"id": questionnaire.id, "version": questionnaire.version},
            "period": shown.period,
            "closed": shown.closed,
            "dimensions": dimensions,
            "achieved": [
                {
                    "id": done.dimension_id,
                    "target_level": done.target_level,
                    "achieved_on": done.achieved_on,
                    "achieved_in": done.achieved_in,
                }
                for done in shown.achieved
            ],
        }
    )


def _read(client_id: int) -> TargetsOut:
    own, found = services(), token()
    shown = targets.client_targets(
        own.sessions, own.catalogue, found.actor, found.workspace_slug, client_id
    )
    return targets_out(shown)


@blueprint.get("/clients/<int:client_id>/targets")
@api.validate(resp=answers(HTTP_200=TargetsOut), tags=TAGS)
def get_targets(client_id: int):
    """Per dimension of the client's questionnaire: score, level, the active target with its
    gap and progress, and the suggested default (the current level + 1)."""
    return _read(client_id)


@blueprint.put("/clients/<int:client_id>/targets")
@api.validate(json=TargetsIn, resp=answers(HTTP_200=TargetsOut), tags=TAGS)
def set_targets(client_id: int, json: TargetsIn):
    """Set (or with null drop) the target of each dimension given; the others stay."""
    own, found = services(), token()
    choices = {
        dimension: None if choice is None else (choice.level, choice.due_period)
        for dimension, choice in json.targets.items()
    }
    targets.set_targets(
        own.sessions, own.catalogue, found.actor, found.workspace_slug, client_id, choices
    )
    return _read(client_id)
