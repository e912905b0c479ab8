"""The OpenAPI document: valid OpenAPI 3.1, every /api/v1 route in it, its request schemas
those of the models that validate, and an answer of every operation valid by its schema."""

from __future__ import annotations

import datetime
import re

import jsonschema
import pytest
from api_helpers import answer_everything, call
from export_job_fixtures import wait_until_finished
from schemathesis.specs.openapi.definitions import OPENAPI_31

from cxmaturity.api.schemas import AssessmentIn, ClientIn, InvitationsIn

ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_URL": smtp_server.url}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def openapi_path(rule: str) -> str:
    return ARGUMENT.sub(r"{\1}", rule)


def api_operations(app) -> set[tuple[str, str]]:
    return {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_the_document_is_valid_openapi_3_1_with_a_bearer_scheme(document):
    assert document["openapi"] == "3.1.0"
    jsonschema.Draft202012Validator(OPENAPI_31).validate(document)
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    assert document["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A workspace API token.",
    }
    assert document["security"] == [{"bearerToken": []}]


def test_every_route_of_the_api_is_in_the_document(app, document):
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    assert api_operations(app) == documented


@pytest.mark.parametrize("model", [ClientIn, AssessmentIn, InvitationsIn])
def test_request_schemas_are_those_of_the_validating_models(document, model):
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    nested = schema.pop("$defs", {})
    components = document["components"]["schemas"]
    assert components[model.__name__] == schema
    for name, definition in nested.items():
        assert components[name] == definition


def test_every_post_documents_the_idempotency_key(document):
    for operations in document["paths"].values():
        if "post" in operations:
            names = [parameter["name"] for parameter in operations["post"]["parameters"]]
            assert "Idempotency-Key" in names


class Recorder:
    """Calls the API and checks each answer against the document's schema for it."""

    def __init__(self, app, client, document, token):
        self.app, self.client, self.document, self.token = app, client, document, token
        self.adapter = app.url_map.bind("localhost")
        self.seen: set[tuple[str, str]] = set()

    def __call__(self, method: str, path: str, body=None, expect: int = 200):
        response = call(self.client, method, path, self.token, body)
        assert response.status_code == expect, response.get_data(as_text=True)
        rule, _arguments = self.adapter.match(path.split("?")[0], method, return_rule=True)
        operation = self.document["paths"][openapi_path(rule.rule)][method.lower()]
        answer = operation["responses"][str(response.status_code)]
        media_type = response.content_type.split(";")[0]
        assert media_type in answer["content"], (path, media_type)
        content = answer["content"][media_type]
        self.seen.add((openapi_path(rule.rule), method.lower()))
        if "json" not in media_type:
            return response.get_data()  # a download: a file of its own format
        root = {"components": self.document["components"], **content["schema"]}
        jsonschema.Draft202012Validator(root).validate(response.get_json())
        return response.get_json()


def test_an_answer_of_every_operation_matches_its_schema(app, client, document, world):
    api = Recorder(app, client, document, world.tokens["owner"])
    listed = api("GET", "/api/v1/questionnaires?lang=de")["items"]
    first = listed[0]
    api("GET", f"/api/v1/questionnaires/{first['id']}/{first['version']}")
    api("GET", "/api/v1/questionnaires/no-such/1.0", expect=404)
    api("GET", "/api/v1/clients?limit=1")
    made = api("POST", "/api/v1/clients", {"name": "Schema AG", "industry": "retail"}, 201)
    api("GET", f"/api/v1/clients/{made['id']}")
    api("PUT", f"/api/v1/clients/{made['id']}", {"name": "Schema SE", "tags": ["a"]})
    assessment = api(
        "POST", f"/api/v1/clients/{made['id']}/assessments", {"period": "2026-Q4"}, 201
    )
    api("GET", f"/api/v1/clients/{made['id']}/assessments")
    base = f"/api/v1/assessments/{assessment['id']}"
    api("GET", base)
    api("PUT", f"{base}/anonymity", {"mode": "named"})
    api("POST", f"{base}/open")
    people = [{"name": "Eva", "email": "eva@example.com"}, {"name": "Max"}, {"name": "Ida"}]
    links = api("POST", f"{base}/invitations", {"respondents": people}, 201)["links"]
    api("GET", f"{base}/participation")
    eva, max_, ida = (link["respondent_id"] for link in links)
    last_day = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    api("POST", f"{base}/invitations/{ida}/extend", {"last_day": last_day})
    api("POST", f"{base}/invitations/{eva}/resend")
    rotated = api("POST", f"{base}/invitations/{max_}/rotate")
    api("POST", f"{base}/invitations/{eva}/revoke")
    answer_everything(app, rotated["url"], 3)
    answer_everything(app, links[2]["url"], 5)
    api("POST", f"{base}/close")
    api("POST", f"{base}/open", expect=409)
    api("GET", f"{base}/results")
    api("GET", f"{base}/comparison")
    api("GET", f"{base}/anonymity")
    api("GET", f"/api/v1/clients/{made['id']}/next-quarter")
    api("POST", f"/api/v1/clients/{made['id']}/next-quarter", {"period": "2027-Q1"}, 201)
    steps = api("GET", f"/api/v1/clients/{made['id']}/actions/steps?lang=de")["steps"]
    step = {"source_key": steps[-1]["source_key"], "language": "de"}
    api("POST", f"/api/v1/clients/{made['id']}/actions/steps", step, 201)
    api("POST", f"/api/v1/clients/{made['id']}/actions/priority-steps", {"language": "en"})
    api("GET", f"/api/v1/clients/{made['id']}/history")
    targets = {"targets": {"strategy": {"level": 5, "due_period": "2027-Q4"}}}
    api("PUT", f"/api/v1/clients/{made['id']}/targets", targets)
    api("GET", f"/api/v1/clients/{made['id']}/targets")
    figures = {"figures": {"nps": {"promoters": "40", "detractors": "10", "responses": "80"}}}
    api("PUT", f"/api/v1/clients/{made['id']}/kpis/2026-Q4", figures)
    api("GET", f"/api/v1/clients/{made['id']}/kpis")
    step = {"dimension_id": "strategy", "title": "Name a CX owner", "due_date": "2027-03-31"}
    plan = api("POST", f"/api/v1/clients/{made['id']}/actions", step, 201)
    action_id = plan["actions"][0]["id"]
    api("PATCH", f"/api/v1/clients/{made['id']}/actions/{action_id}", {"status": "in_progress"})
    api("GET", f"/api/v1/clients/{made['id']}/actions")
    cohort = {
        "name": "Einzelhandel",
        "questionnaire": "cx-maturity",
        "major": "1",
        "industry": "retail",
    }
    saved = api("POST", "/api/v1/cohorts", cohort, 201)
    api("GET", "/api/v1/cohorts")
    api("PATCH", f"/api/v1/cohorts/{saved['id']}", {"name": "Handel und Retail"})
    api("GET", f"/api/v1/portfolio?period=2026-Q4&cohort={saved['id']}")
    api("DELETE", f"/api/v1/cohorts/{saved['id']}")
    api("GET", "/api/v1/portfolio?period=2026-Q4&tag=a")
    api("GET", "/api/v1/portfolio?period=2026-Q9", expect=422)
    api("GET", "/api/v1/exports/assessments.csv")
    api("GET", "/api/v1/exports/workspace.xlsx")
    api("GET", f"/api/v1/clients/{made['id']}/exports/actions.csv")
    api("GET", f"/api/v1/clients/{made['id']}/exports/client.xlsx")
    api("GET", "/api/v1/exports/no-such-table.csv", expect=404)
    api("GET", f"/api/v1/clients/{made['id']}/bundle")
    job = {"client_ids": [made["id"]], "period": "2025-Q1", "language": "de"}
    started = api("POST", "/api/v1/bulk-reports", job, 202)
    api("GET", f"/api/v1/bulk-reports/{started['id']}")
    api("GET", f"/api/v1/bulk-reports/{world.job_id}/file", expect=410)
    leaving = api("POST", "/api/v1/clients", {"name": "Abschied AG"}, 201)["id"]
    api("POST", f"/api/v1/clients/{leaving}/archive")
    api("POST", f"/api/v1/clients/{leaving}/restore")
    api("POST", f"/api/v1/clients/{leaving}/archive")
    api("GET", "/api/v1/clients?archived=true")
    api("POST", f"/api/v1/clients/{leaving}/purge", {"confirm_name": "Abschied AG"})
    job = api("POST", "/api/v1/exports", {"format": "csv", "table": "actions"}, 202)
    api("GET", f"/api/v1/exports/jobs/{job['id']}")
    wait_until_finished(app.extensions["cxmaturity"].sessions, job["id"])
    api("GET", f"/api/v1/exports/jobs/{job['id']}/file")
    api("POST", "/api/v1/exports", {"format": "pdf"}, 422)
    assert api.seen == api_operations(app)
