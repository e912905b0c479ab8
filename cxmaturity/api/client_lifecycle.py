"""`/api/v1/clients/<id>/…` when a client leaves: its JSON bundle (the hand-over), archive,
restore within 30 days, and purge (DESIGN §9), with the web's rules.

The web's purge asks the owner to type the client's name; the API asks the same, as
`confirm_name` in the body, so that a script purging the wrong id deletes nothing.
"""

from __future__ import annotations

import json as json_module

from flask import Response

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.clients import client_out
from cxmaturity.api.lifecycle_schemas import ArchivedOut, PurgeIn
from cxmaturity.api.problems import ApiProblem
from cxmaturity.api.schemas import ClientOut, Done, IdempotencyHeaders, Problem
from cxmaturity.api.spec import answers, api
from cxmaturity.services import bundle, client_deletion, clients
from cxmaturity.services.clients import Client
from cxmaturity.services.errors import InvalidInput

TAGS = ["clients"]


def _client(client_id: int) -> Client:
    found, own = token(), services()
    return clients.client_page(
        own.sessions, found.actor, found.workspace_slug, client_id, own.now()
    ).client


@blueprint.get("/clients/<int:client_id>/bundle")
@api.validate(resp=answers(), tags=TAGS)
def client_bundle(client_id: int):
    """The client's JSON bundle (`cxmaturity-export/1`, docs/bundle.schema.json), as the
    web downloads it: everything stored about the client, for `cxmaturity import-bundle`.
    Owners only; every bundle made is written to the audit log."""
    own, found = services(), token()
    data = bundle.export_bundle(
        own.sessions, own.catalogue, found.actor, found.workspace_slug, client_id
    )
    name = f"cxmaturity-client-{client_id}-{own.now().date().isoformat()}.json"
    return Response(
        json_module.dumps(data, ensure_ascii=False, indent=2) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blueprint.post("/clients/<int:client_id>/archive")
@api.validate(headers=IdempotencyHeaders, resp=answers(HTTP_200=ArchivedOut), tags=TAGS)
def archive_client(client_id: int):
    """Archive the client: it leaves the lists and can be restored for 30 days, then it is
    deleted for good. Its open assessments stay open. Archiving twice changes nothing."""
    found = token()
    archived = clients.archive_client(
        services().sessions, found.actor, found.workspace_slug, client_id
    )
    client = _client(client_id)
    return ArchivedOut(
        client=client_out(client),
        purge_due_at=client.purge_due_at,
        open_assessments=archived.open_assessments,
    )


@blueprint.post("/clients/<int:client_id>/restore")
@api.validate(
    headers=IdempotencyHeaders, resp=answers(HTTP_200=ClientOut, HTTP_409=Problem), tags=TAGS
)
def restore_client(client_id: int):
    """Bring an archived client back into the lists, within 30 days of archiving (409 after
    them). Restoring a client that is not archived changes nothing."""
    own, found = services(), token()
    try:
        clients.restore_client(
            own.sessions, found.actor, found.workspace_slug, client_id, own.now()
        )
    except InvalidInput as refused:
        if refused.field != "restore":
            raise
        detail = "The 30 days to restore this client are over; it is due to be deleted."
        raise ApiProblem(409, "restore-period-over", "Conflict", detail) from None
    return client_out(_client(client_id))


@blueprint.post("/clients/<int:client_id>/purge")
@api.validate(
    json=PurgeIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_200=Done, HTTP_409=Problem, HTTP_422=Problem),
    tags=TAGS,
)
def purge_client(client_id: int, json: PurgeIn):
    """Delete an archived client and all its data for good, its cached reports and ZIPs
    included; `confirm_name` must be its name. Owners only. The audit log keeps one line,
    "client #id" deleted by the token's creator."""
    own, found = services(), token()
    try:
        purged = client_deletion.purge_client(
            own.sessions,
            own.report_cache,
            found.actor,
            found.workspace_slug,
            client_id,
            json.confirm_name,
        )
    except InvalidInput as refused:
        if refused.field == "client":
            detail = "Only an archived client can be deleted: archive it first."
            raise ApiProblem(409, "not-archived", "Conflict", detail) from None
        raise InvalidInput(
            "confirm_name", "is not the client's name; nothing was deleted"
        ) from None
    client_deletion.forget_stored_files(own, purged)
    return Done(id=purged.client_id)
