"""`/api/v1/clients/<id>/kpis`: a client's CX key figures per period (DESIGN §5)."""

from __future__ import annotations

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.plan_schemas import KpisIn, KpisOut
from cxmaturity.api.spec import answers, api
from cxmaturity.exports.serializers import json_number
from cxmaturity.services import kpis

TAGS = ["kpis"]


def _read(client_id: int) -> KpisOut:
    found = token()
    shown = kpis.client_kpis(services().sessions, found.actor, found.workspace_slug, client_id)
    periods = [
        {
            "period": period.period,
            "kpis": [
                {
                    "kpi": line.kpi.value,
                    "value": json_number(line.value),
                    "sample_size": line.sample_size,
                    "note": line.note,
                    "inputs": dict(line.inputs),
                    "change": json_number(line.change),
                    "previous_period": line.previous_period,
                }
                for line in period.lines
            ],
        }
        for period in shown.periods
    ]
    return KpisOut.model_validate({"client_id": shown.client_id, "periods": periods})


@blueprint.get("/clients/<int:client_id>/kpis")
@api.validate(resp=answers(HTTP_200=KpisOut), tags=TAGS)
def get_kpis(client_id: int):
    """Every period's key figures of the client, latest first, with the change since the
    latest earlier value."""
    return _read(client_id)


@blueprint.put("/clients/<int:client_id>/kpis/<period>")
@api.validate(json=KpisIn, resp=answers(HTTP_200=KpisOut), tags=TAGS)
def save_kpis(client_id: int, period: str, json: KpisIn):
    """Store the key figures of one period; a key figure not sent stays as it was."""
    found = token()
    kpis.save_kpis(
        services().sessions,
        found.actor,
        found.workspace_slug,
        client_id,
        period,
        json.figures,
        json.notes,
    )
    return _read(client_id)
