"""A client leaving through the API: its bundle as the web gives it, archived and restored,
and purged only when archived and named, by an owner, with the web's audit line."""

from __future__ import annotations

import datetime

import pytest
from api_helpers import call
from jsonschema import Draft202012Validator
from sqlalchemy import select
from web_helpers import log_in

from cxmaturity.exports.bundle_schema import bundle_schema
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import AuditEntry, Organization


def client_path(world, tail: str = "") -> str:
    return f"/api/v1/clients/{world.client_id}{tail}"


def archived_at(sessions, client_id: int):
    with reading(sessions) as session:
        organization = session.get(Organization, client_id)
        return None if organization is None else (organization.archived_at or "active")


def audit_details(sessions) -> list[str]:
    with reading(sessions) as session:
        return list(session.scalars(select(AuditEntry.detail).order_by(AuditEntry.id)))


def test_the_bundle_is_the_webs_download(client, app, world):
    response = call(client, "GET", client_path(world, "/bundle"), world.tokens["owner"])
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="cxmaturity-client-{world.client_id}-'
    )
    bundle = response.get_json()
    Draft202012Validator(bundle_schema()).validate(bundle)
    assert bundle["client"]["name"] == "Erste GmbH"

    browser = app.test_client()
    log_in(browser, world.owner_email)
    web = browser.get(f"/w/nord/clients/{world.client_id}/bundle.json").get_json()
    assert {**web, "exported_at": None} == {**bundle, "exported_at": None}


@pytest.mark.parametrize("who", ["consultant", "viewer", "read"])
def test_only_an_owners_write_token_gets_the_bundle(client, world, who):
    response = call(client, "GET", client_path(world, "/bundle"), world.tokens[who])
    assert response.status_code == 403


def test_an_archived_client_leaves_the_list_and_is_restored(client, sessions, world):
    token = world.tokens["consultant"]
    archived = call(client, "POST", client_path(world, "/archive"), token)
    assert archived.status_code == 200, archived.get_json()
    body = archived.get_json()
    assert body["client"]["archived"] is True and body["open_assessments"] == 1
    due = datetime.datetime.fromisoformat(body["purge_due_at"])
    assert 29 <= (due - datetime.datetime.now(datetime.UTC)).days <= 30

    listed = call(client, "GET", "/api/v1/clients", token).get_json()["items"]
    assert world.client_id not in [c["id"] for c in listed]
    shelved = call(client, "GET", "/api/v1/clients?archived=true", token).get_json()["items"]
    assert [c["id"] for c in shelved] == [world.client_id]
    # Archiving twice changes nothing.
    assert call(client, "POST", client_path(world, "/archive"), token).status_code == 200

    restored = call(client, "POST", client_path(world, "/restore"), token)
    assert restored.status_code == 200 and restored.get_json()["archived"] is False
    assert archived_at(sessions, world.client_id) == "active"


def test_restoring_after_30_days_is_a_409_problem(client, sessions, world):
    with transaction(sessions) as session:
        organization = session.get(Organization, world.client_id)
        organization.archived_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(31)
    response = call(client, "POST", client_path(world, "/restore"), world.tokens["owner"])
    assert response.status_code == 409
    assert response.get_json()["type"] == "urn:cxmaturity:problem:restore-period-over"
    assert archived_at(sessions, world.client_id) != "active"


@pytest.mark.parametrize("who", ["viewer", "read"])
def test_a_reader_may_not_archive(client, sessions, world, who):
    assert (
        call(client, "POST", client_path(world, "/archive"), world.tokens[who]).status_code == 403
    )
    assert archived_at(sessions, world.client_id) == "active"


def purge(client, world, token_key: str, name: str, **headers):
    body = {"confirm_name": name}
    return call(
        client, "POST", client_path(world, "/purge"), world.tokens[token_key], body, **headers
    )


def test_a_client_not_archived_is_not_purged(client, sessions, world):
    response = purge(client, world, "owner", "Erste GmbH")
    assert response.status_code == 409
    assert response.get_json()["type"] == "urn:cxmaturity:problem:not-archived"
    assert archived_at(sessions, world.client_id) == "active"


def test_a_purge_needs_the_clients_name_and_an_owner(client, sessions, world):
    call(client, "POST", client_path(world, "/archive"), world.tokens["owner"])
    wrong = purge(client, world, "owner", "Erste AG")
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"][0]["field"] == "confirm_name"
    assert purge(client, world, "consultant", "Erste GmbH").status_code == 403
    assert purge(client, world, "read", "Erste GmbH").status_code == 403
    assert archived_at(sessions, world.client_id) not in (None, "active")


def test_an_owner_purges_an_archived_client_for_good_with_the_webs_audit_line(
    client, sessions, world
):
    call(client, "POST", client_path(world, "/archive"), world.tokens["owner"])
    # The name is compared as the web compares it: case and spaces aside.
    purged = purge(client, world, "owner", "  erste   gmbh ", **{"Idempotency-Key": "bye"})
    assert purged.status_code == 200, purged.get_json()
    assert purged.get_json() == {"id": world.client_id, "done": True}
    assert archived_at(sessions, world.client_id) is None
    assert call(client, "GET", client_path(world), world.tokens["owner"]).status_code == 404
    assert audit_details(sessions)[-1] == f"client #{world.client_id}"
    assert not any("Erste GmbH" in (detail or "") for detail in audit_details(sessions))
    # A purge forgets the workspace's stored answers, its own too: a retry finds no client.
    again = purge(client, world, "owner", "  erste   gmbh ", **{"Idempotency-Key": "bye"})
    assert again.status_code == 404
