"""The first resources as a script uses them: questionnaires, clients, invitations,
participation."""

from __future__ import annotations

import json

import pytest
from api_helpers import call
from factories import make_member, make_user
from sqlalchemy import func, select

from cxmaturity.cli import cli
from cxmaturity.services import api_tokens, assessments
from cxmaturity.services.assessments import UnknownLink
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import (
    Assessment,
    MemberClient,
    Respondent,
    Workspace,
    WorkspaceMember,
)
from cxmaturity.web.context import services_of


def test_a_questionnaire_is_shown_as_the_cli_shows_it(app, client, world):
    runner = app.test_cli_runner()
    questionnaire = services_of(app).catalogue.get(app.config["QUESTIONNAIRE_ID"])
    printed = runner.invoke(cli, ["questionnaire", "show", questionnaire.id, "--lang", "de"])
    path = f"/api/v1/questionnaires/{questionnaire.id}/{questionnaire.version}?lang=de"
    shown = call(client, "GET", path, world.tokens["read"])
    assert shown.status_code == 200
    assert shown.get_json() == json.loads(printed.output)


def test_a_client_is_created_read_and_replaced(client, world):
    token = world.tokens["consultant"]
    body = {"name": "Gamma KG", "industry": "retail", "size": "50-249", "tags": ["Nord", "b2b"]}
    made = call(client, "POST", "/api/v1/clients", token, body).get_json()
    assert made["name"] == "Gamma KG" and made["archived"] is False
    replaced = call(client, "PUT", f"/api/v1/clients/{made['id']}", token, {"name": "Gamma SE"})
    assert replaced.status_code == 200
    assert replaced.get_json()["tags"] == [] and replaced.get_json()["industry"] is None
    assert call(client, "GET", f"/api/v1/clients/{made['id']}", token).get_json()["name"] == (
        "Gamma SE"
    )
    taken = call(client, "PUT", f"/api/v1/clients/{made['id']}", token, {"name": "Erste GmbH"})
    assert taken.status_code == 422
    assert taken.get_json()["errors"][0]["field"] == "name"


def test_a_limited_consultants_token_sees_only_the_listed_clients(app, client, world, sessions):
    token = world.tokens["owner"]
    second = call(client, "POST", "/api/v1/clients", token, {"name": "Zweite AG"}).get_json()
    with transaction(sessions) as session:
        nord = session.scalar(select(Workspace).where(Workspace.slug == "nord"))
        limited = make_member(session, nord, user=make_user(session), listed_clients=[])
        member = session.scalar(
            select(WorkspaceMember).where(WorkspaceMember.user_id == limited.id)
        )
        member.listed_clients = [MemberClient(organization_id=world.client_id)]
    secret = api_tokens.create_token_as_operator(sessions, "nord", limited.email, "write", "x")
    listed = call(client, "GET", "/api/v1/clients", secret.secret).get_json()["items"]
    assert [row["id"] for row in listed] == [world.client_id]
    assert call(client, "GET", f"/api/v1/clients/{second['id']}", secret.secret).status_code == 404


def invitations(client, world, people):
    path = f"/api/v1/assessments/{world.assessment_id}/invitations"
    return call(client, "POST", path, world.tokens["consultant"], {"respondents": people})


def respondents(sessions, world) -> int:
    with reading(sessions) as session:
        return session.scalar(
            select(func.count())
            .select_from(Respondent)
            .where(Respondent.assessment_id == world.assessment_id)
        )


def test_invitations_in_bulk_are_all_or_none(client, world, sessions):
    before = respondents(sessions, world)
    people = [
        {"name": "Eva", "email": "eva@example.com"},
        {"name": "Eve", "email": "EVA@example.com"},
        {"name": "Max", "email": "not an address"},
    ]
    refused = invitations(client, world, people)
    assert refused.status_code == 422
    fields = {(e["field"], e["message"]) for e in refused.get_json()["errors"]}
    assert fields == {("respondents[1]", "duplicate_in_list"), ("respondents[2]", "email_invalid")}
    assert respondents(sessions, world) == before


def test_rotate_ends_the_old_link_and_revoke_ends_the_new_one(app, client, world):
    own = services_of(app)
    made = invitations(client, world, [{"name": "Eva"}]).get_json()["links"][0]
    old_token = made["url"].rstrip("/").rsplit("/", 1)[1]
    base = f"/api/v1/assessments/{world.assessment_id}/invitations/{made['respondent_id']}"
    rotated = call(client, "POST", f"{base}/rotate", world.tokens["consultant"]).get_json()
    new_token = rotated["url"].rstrip("/").rsplit("/", 1)[1]
    assert new_token != old_token
    with pytest.raises(UnknownLink):
        assessments.open_respondent(own.sessions, own.catalogue, old_token)
    assessments.open_respondent(own.sessions, own.catalogue, new_token)
    assert call(client, "POST", f"{base}/revoke", world.tokens["consultant"]).status_code == 200
    with pytest.raises(UnknownLink):
        assessments.open_respondent(own.sessions, own.catalogue, new_token)


def test_resend_without_a_mail_server_is_a_409_problem(client, world):
    path = f"/api/v1/assessments/{world.assessment_id}/invitations/{world.respondent_id}/resend"
    refused = call(client, "POST", path, world.tokens["consultant"])
    assert refused.status_code == 409
    assert refused.get_json()["type"].endswith("no-mail-server")


def test_participation_of_an_anonymous_assessment_shows_counts_only(client, world, sessions):
    with transaction(sessions) as session:
        session.get(Assessment, world.assessment_id).anonymity = "anonymous"
    path = f"/api/v1/assessments/{world.assessment_id}/participation"
    shown = call(client, "GET", path, world.tokens["viewer"]).get_json()
    assert shown["respondents"] == [] and shown["counts"]["all"] == 1
