"""`/api/v1/clients`: the workspace's clients (list, create, read, replace); archiving,
purging and the bundle are in client_lifecycle.py."""

from __future__ import annotations

from flask import url_for

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.lifecycle_schemas import ClientListQuery
from cxmaturity.api.pagination import page_of
from cxmaturity.api.schemas import ClientIn, ClientOut, ClientPage, IdempotencyHeaders
from cxmaturity.api.spec import answers, api
from cxmaturity.services import clients
from cxmaturity.services.clients import Client, ClientDetails

TAGS = ["clients"]


def client_out(client: Client) -> ClientOut:
    return ClientOut(
        id=client.id,
        name=client.name,
        industry=client.industry,
        size=client.size,
        external_reference=client.external_reference,
        tags=list(client.tags),
        archived=client.archived,
    )


def _details(body: ClientIn) -> ClientDetails:
    return ClientDetails(body.name, body.industry, body.size, body.external_reference, body.tags)


def _read(client_id: int) -> ClientOut:
    found = token()
    page = clients.client_page(services().sessions, found.actor, found.workspace_slug, client_id)
    return client_out(page.client)


@blueprint.get("/clients")
@api.validate(query=ClientListQuery, resp=answers(HTTP_200=ClientPage), tags=TAGS)
def list_clients(query: ClientListQuery):
    """The clients the token sees, oldest first: those in use, or with `archived=true` the
    archived ones (to restore or purge)."""
    found = token()
    listing = clients.client_list(
        services().sessions, found.actor, found.workspace_slug, archived=query.archived
    )
    page, next_cursor = page_of(listing.clients, lambda c: c.id, query.cursor, query.limit)
    return ClientPage(items=[client_out(c) for c in page], next_cursor=next_cursor)


@blueprint.post("/clients")
@api.validate(
    json=ClientIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_201=ClientOut),
    tags=TAGS,
)
def create_client(json: ClientIn):
    """Add a client to the workspace."""
    found = token()
    client_id = clients.create_client(
        services().sessions, found.actor, found.workspace_slug, _details(json)
    )
    location = url_for("api.get_client", client_id=client_id)
    return _read(client_id), 201, {"Location": location}


@blueprint.get("/clients/<int:client_id>")
@api.validate(resp=answers(HTTP_200=ClientOut), tags=TAGS)
def get_client(client_id: int):
    """One client."""
    return _read(client_id)


@blueprint.put("/clients/<int:client_id>")
@api.validate(json=ClientIn, resp=answers(HTTP_200=ClientOut), tags=TAGS)
def update_client(client_id: int, json: ClientIn):
    """Replace a client's details (a field left out is emptied)."""
    found = token()
    clients.update_client(
        services().sessions, found.actor, found.workspace_slug, client_id, _details(json)
    )
    return _read(client_id)
