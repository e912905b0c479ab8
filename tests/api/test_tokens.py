"""API tokens: only their hash is stored, they act with their creator's current role at most,
and revoking, removing or demoting the creator takes effect at the next request."""

from __future__ import annotations

import json

import pytest
from api_helpers import bearer, call
from sqlalchemy import select

from cxmaturity.cli import cli
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import ApiToken, User, WorkspaceMember, hash_token

NEW_CLIENT = {"name": "Neue GmbH"}


def test_only_the_hash_of_a_token_is_stored(world, sessions):
    with reading(sessions) as session:
        stored = {row.token_hash for row in session.scalars(select(ApiToken))}
    assert {hash_token(secret) for secret in world.tokens.values()} == stored
    assert not stored & set(world.tokens.values())


def test_a_write_token_of_a_consultant_creates_a_client(client, world):
    made = call(client, "POST", "/api/v1/clients", world.tokens["consultant"], NEW_CLIENT)
    assert made.status_code == 201


def test_a_read_token_of_an_owner_reads_but_cannot_write(client, world):
    token = world.tokens["read"]
    assert call(client, "GET", "/api/v1/clients", token).status_code == 200
    refused = call(client, "POST", "/api/v1/clients", token, NEW_CLIENT)
    assert refused.status_code == 403
    assert refused.content_type == "application/problem+json"
    listed = call(client, "GET", "/api/v1/clients", token).get_json()["items"]
    assert "Neue GmbH" not in [row["name"] for row in listed]


def test_a_viewers_write_token_cannot_write(client, world):
    refused = call(client, "POST", "/api/v1/clients", world.tokens["viewer"], NEW_CLIENT)
    assert refused.status_code == 403


def _membership(session, email: str) -> WorkspaceMember:
    user = session.scalar(select(User).where(User.email == email))
    return session.scalar(select(WorkspaceMember).where(WorkspaceMember.user_id == user.id))


def test_a_creator_demoted_to_viewer_leaves_a_token_that_only_reads(client, world, sessions):
    with transaction(sessions) as session:
        _membership(session, world.consultant_email).role = "viewer"
    token = world.tokens["consultant"]
    assert call(client, "POST", "/api/v1/clients", token, NEW_CLIENT).status_code == 403
    assert call(client, "GET", "/api/v1/clients", token).status_code == 200


def test_a_creator_removed_from_the_workspace_leaves_a_token_that_no_longer_works(
    client, world, sessions
):
    with transaction(sessions) as session:
        session.delete(_membership(session, world.consultant_email))
    refused = call(client, "GET", "/api/v1/clients", world.tokens["consultant"])
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_is_no_way_into_the_api(client, world):
    from web_helpers import log_in

    log_in(client, world.owner_email)
    assert client.get("/api/v1/clients").status_code == 401
    assert client.get("/api/v1/clients", headers=bearer("cxm_not-a-token")).status_code == 401


@pytest.fixture
def runner(runner, migrated_database_url, monkeypatch):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    return runner


def test_the_cli_makes_a_token_printed_once_and_revokes_it(runner, client, world, sessions):
    arguments = ["--workspace", "nord", "--user", world.owner_email, "--scope", "read"]
    made = runner.invoke(cli, ["tokens", "create", *arguments, "--name", "BI"])
    assert made.exit_code == 0, made.output
    printed = json.loads(made.output)
    assert set(printed) == {"id", "token"}
    assert call(client, "GET", "/api/v1/clients", printed["token"]).status_code == 200
    with reading(sessions) as session:
        stored = session.get(ApiToken, printed["id"])
        assert (stored.name, stored.scope) == ("BI", "read")
        assert stored.last_used_at is not None

    revoked = runner.invoke(cli, ["tokens", "revoke", str(printed["id"])])
    assert revoked.exit_code == 0, revoked.output
    assert call(client, "GET", "/api/v1/clients", printed["token"]).status_code == 401


def test_the_cli_refuses_a_user_who_is_not_a_member_and_makes_nothing(runner, world, sessions):
    with reading(sessions) as session:
        before = len(session.scalars(select(ApiToken)).all())
    arguments = ["--workspace", "sued", "--user", world.owner_email, "--scope", "write"]
    refused = runner.invoke(cli, ["tokens", "create", *arguments])
    assert refused.exit_code == 2
    assert refused.output.startswith("error:")
    with reading(sessions) as session:
        assert len(session.scalars(select(ApiToken)).all()) == before
    assert runner.invoke(cli, ["tokens", "revoke", "99999"]).exit_code == 2
