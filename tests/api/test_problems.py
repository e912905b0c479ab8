"""Every error under /api/v1 is `application/problem+json` with type, title, status, detail;
validation errors list the refused fields; a fault of the database answers 503."""

from __future__ import annotations

import pytest
from api_helpers import call
from isolation import changed_tables, dump
from storage_faults import make_read_only

from cxmaturity.web.context import services_of

KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert set(body) >= KEYS and body["status"] == status
    assert body["type"].startswith("urn:cxmaturity:problem:")
    return body


def test_no_token_is_a_401_problem(client):
    body = assert_problem(client.get("/api/v1/clients"), 401)
    assert "Bearer" in body["detail"]


def test_an_unknown_path_and_an_unknown_id_are_the_same_404_problem(client, world):
    token = world.tokens["owner"]
    unknown_path = assert_problem(call(client, "GET", "/api/v1/nothing-here", token), 404)
    unknown_id = assert_problem(call(client, "GET", "/api/v1/clients/99999", token), 404)
    assert unknown_path == unknown_id


def test_a_method_the_route_lacks_is_a_405_problem_with_allow(client, world):
    response = call(client, "DELETE", "/api/v1/clients", world.tokens["owner"])
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_a_body_that_does_not_match_the_schema_lists_its_fields(client, world):
    body = {"name": "", "colour": "blue", "tags": "not a list"}
    problem = assert_problem(
        call(client, "POST", "/api/v1/clients", world.tokens["owner"], body), 422
    )
    fields = {error["field"] for error in problem["errors"]}
    assert {"name", "colour", "tags"} <= fields


def test_a_value_the_service_refuses_names_its_field(client, world):
    path = f"/api/v1/clients/{world.client_id}/assessments"
    response = call(client, "POST", path, world.tokens["owner"], {"period": "2026-Q9"})
    problem = assert_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == ["period"]


def test_closing_a_draft_is_a_409_problem(client, world):
    path = f"/api/v1/clients/{world.client_id}/assessments"
    made = call(client, "POST", path, world.tokens["owner"], {"period": "2027-Q1"}).get_json()
    response = call(
        client, "POST", f"/api/v1/assessments/{made['id']}/close", world.tokens["owner"]
    )
    assert_problem(response, 409)


def test_a_body_too_large_is_a_413_problem(client, world):
    body = {"name": "x" * 300_000}
    assert_problem(call(client, "POST", "/api/v1/clients", world.tokens["owner"], body), 413)


def test_a_query_outside_its_schema_is_a_422_problem(client, world):
    response = call(client, "GET", "/api/v1/clients?limit=101", world.tokens["owner"])
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "limit"


def test_a_read_only_database_still_reads_and_answers_503_to_a_write(app, client, world):
    make_read_only(services_of(app).engine)
    token = world.tokens["owner"]
    assert call(client, "GET", "/api/v1/clients", token).status_code == 200
    response = call(client, "POST", "/api/v1/clients", token, {"name": "Neu"})
    assert_problem(response, 503)
    assert response.headers["Retry-After"] == "10"


@pytest.mark.parametrize("path", ["/api/v1/openapi.json"])
def test_the_openapi_document_needs_no_token(client, path):
    assert client.get(path).status_code == 200


def test_an_id_beyond_the_databases_integers_is_not_found(client, world):
    path = "/api/v1/assessments/38007141384462284164006150144/invitations/1/revoke"
    assert_problem(call(client, "POST", path, world.tokens["owner"]), 404)
    assert_problem(call(client, "GET", "/api/v1/clients/2147483648", world.tokens["owner"]), 404)


def test_a_body_that_is_not_json_is_a_415_problem_and_bad_json_a_400(client, world):
    headers = {"Authorization": f"Bearer {world.tokens['owner']}"}
    form = client.put(
        f"/api/v1/clients/{world.client_id}",
        data='{"name": "x"}',
        headers={**headers, "Content-Type": "multipart/form-data"},
    )
    assert_problem(form, 415)
    broken = client.post(
        "/api/v1/clients", data="{not json", headers={**headers, "Content-Type": "application/json"}
    )
    assert_problem(broken, 400)


def test_a_change_without_a_body_is_a_400_problem_and_changes_nothing(client, world, sessions):
    headers = {"Authorization": f"Bearer {world.tokens['owner']}"}
    before = dump(sessions)
    for path in (
        f"/api/v1/clients/{world.client_id}/actions/{world.action_id}",
        f"/api/v1/cohorts/{world.cohort_id}",
    ):
        answer = client.patch(path, headers=headers)
        assert_problem(answer, 400)
        assert "JSON body" in answer.get_json()["detail"]
    assert_problem(client.put(f"/api/v1/clients/{world.client_id}", headers=headers), 400)
    assert set(changed_tables(before, dump(sessions))) - {"api_tokens"} == set()


@pytest.mark.parametrize("body", ["false", "[]", "0", '""'])
def test_a_body_that_is_json_but_no_object_is_a_400_problem(client, world, body):
    headers = {
        "Authorization": f"Bearer {world.tokens['owner']}",
        "Content-Type": "application/json",
    }
    path = f"/api/v1/clients/{world.client_id}/actions/{world.action_id}"
    assert_problem(client.patch(path, data=body, headers=headers), 400)
