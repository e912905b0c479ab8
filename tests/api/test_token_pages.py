"""The owners' tokens page: make a token (shown once), see the list, revoke; others get no page."""

from __future__ import annotations

import re

from api_helpers import bearer
from web_helpers import csrf_token, log_in

from cxmaturity.store.database import reading
from cxmaturity.store.models import ApiToken, AuditEntry, hash_token


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_an_owner_makes_a_token_sees_its_secret_once_and_only_its_hash_is_stored(
    client, world, sessions
):
    log_in(client, world.owner_email)
    page = text_of(client.get("/w/nord/tokens"))
    assert "API tokens" in page
    response = client.post(
        "/w/nord/tokens",
        data={"csrf_token": csrf_token(page), "name": "CRM sync", "scope": "write"},
    )
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-token" value="(cxm_[^"]+)"', text_of(response)).group(1)
    with reading(sessions) as session:
        stored = session.query(ApiToken).filter_by(name="CRM sync").one()
        assert stored.token_hash == hash_token(secret)
        assert secret not in repr(stored.__dict__)
        actions = [entry.action for entry in session.query(AuditEntry)]
    assert "token_created" in actions
    again = text_of(client.get("/w/nord/tokens"))
    assert "CRM sync" in again and secret not in again


def test_an_owner_revokes_a_token_and_the_api_refuses_it_from_then_on(client, world, sessions):
    assert (
        client.get("/api/v1/clients", headers=bearer(world.tokens["consultant"])).status_code == 200
    )
    log_in(client, world.owner_email)
    page = text_of(client.get("/w/nord/tokens"))
    with reading(sessions) as session:
        token_id = session.query(ApiToken).filter_by(name="consultant").one().id
    response = client.post(
        f"/w/nord/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 303
    assert "revoked" in text_of(client.get("/w/nord/tokens"))
    refused = client.get("/api/v1/clients", headers=bearer(world.tokens["consultant"]))
    assert refused.status_code == 401


def test_the_navigation_offers_tokens_to_owners_only(app, client, world):
    log_in(client, world.owner_email)
    assert "/w/nord/tokens" in text_of(client.get("/w/nord/members"))
    client = app.test_client()
    log_in(client, world.consultant_email)
    assert "/w/nord/tokens" not in text_of(client.get("/w/nord/members"))
    assert client.get("/w/nord/tokens").status_code == 403


def test_the_tokens_page_of_another_workspace_is_not_found(client, world):
    log_in(client, world.owner_email)
    assert client.get("/w/sued/tokens").status_code == 404
    page = text_of(client.get("/w/nord/tokens"))
    response = client.post("/w/sued/tokens/1/revoke", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404


def test_a_bad_scope_is_refused_with_a_message_and_nothing_is_made(client, world, sessions):
    log_in(client, world.owner_email)
    page = text_of(client.get("/w/nord/tokens"))
    response = client.post(
        "/w/nord/tokens", data={"csrf_token": csrf_token(page), "name": "x", "scope": "admin"}
    )
    assert response.status_code == 400
    assert "Choose one of the scopes offered." in text_of(response)
    with reading(sessions) as session:
        assert session.query(ApiToken).filter_by(name="x").count() == 0


def test_the_tokens_page_speaks_german(client, world):
    log_in(client, world.owner_email)
    page = text_of(client.get("/w/nord/tokens", headers={"Accept-Language": "de"}))
    assert "Token" in page and "Nur lesen" in page
