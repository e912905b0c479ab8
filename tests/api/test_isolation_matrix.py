"""The API's isolation matrix (DESIGN §7, §9): a token never reaches another workspace's objects.

Every /api/v1 rule with an object id must have a row in ROUTES, or this module fails:
a new route cannot escape the matrix. Each row is called, with every method its rule
allows, by a token of workspace `nord` on the objects of workspace `sued` (and the
other way round) → the 404 problem, and nothing in the database changes. As a sanity
check, `nord`'s owner on `nord`'s own objects gets an answer other than 404 for every
GET: the matrix must not pass because everything answers 404.
"""

from __future__ import annotations

import re

import pytest
from api_helpers import call
from isolation import changed_tables, dump

# The API's own bookkeeping changes with any request (last use, idempotency keys).
BOOKKEEPING = {"api_tokens", "idempotent_responses"}
ARGUMENT = re.compile(r"<int:(\w+)>")
ANY_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")
PLAIN = {"period": "2026-Q4", "table": "answers"}
"""Arguments that are no object of a workspace."""
ROUTES: dict[str, dict] = {
    "/api/v1/clients/<int:client_id>": {"PUT": {"name": "Übernommen AG"}},
    "/api/v1/clients/<int:client_id>/assessments": {"POST": {"period": "2027-Q2"}},
    "/api/v1/clients/<int:client_id>/history": {},
    "/api/v1/clients/<int:client_id>/actions": {
        "POST": {"dimension_id": "strategy", "title": "Eindringen"}
    },
    "/api/v1/clients/<int:client_id>/actions/<int:action_id>": {"PATCH": {"status": "done"}},
    "/api/v1/clients/<int:client_id>/kpis": {},
    "/api/v1/clients/<int:client_id>/kpis/<period>": {
        "PUT": {"figures": {"csat": {"satisfied": "8", "responses": "10"}}}
    },
    "/api/v1/clients/<int:client_id>/targets": {"PUT": {"targets": {"strategy": None}}},
    "/api/v1/clients/<int:client_id>/bundle": {},
    "/api/v1/clients/<int:client_id>/archive": {},
    "/api/v1/clients/<int:client_id>/restore": {},
    # A valid confirmation: the request must pass its schema to reach the question of sight.
    "/api/v1/clients/<int:client_id>/purge": {"POST": {"confirm_name": "Fremde AG"}},
    "/api/v1/clients/<int:client_id>/next-quarter": {"POST": {"period": "2027-Q3"}},
    "/api/v1/clients/<int:client_id>/actions/steps": {"POST": {"source_key": "strategy:1:0"}},
    "/api/v1/clients/<int:client_id>/actions/priority-steps": {},
    "/api/v1/bulk-reports/<int:job_id>": {},
    "/api/v1/bulk-reports/<int:job_id>/file": {},
    "/api/v1/cohorts/<int:cohort_id>": {"PATCH": {"name": "Übernommen"}},
    "/api/v1/clients/<int:client_id>/exports/<table>.csv": {},
    "/api/v1/clients/<int:client_id>/exports/client.xlsx": {},
    "/api/v1/exports/jobs/<int:job_id>": {},
    "/api/v1/exports/jobs/<int:job_id>/file": {},
    "/api/v1/assessments/<int:assessment_id>": {},
    "/api/v1/assessments/<int:assessment_id>/open": {},
    "/api/v1/assessments/<int:assessment_id>/close": {},
    "/api/v1/assessments/<int:assessment_id>/results": {},
    "/api/v1/assessments/<int:assessment_id>/comparison": {},
    "/api/v1/assessments/<int:assessment_id>/participation": {},
    "/api/v1/assessments/<int:assessment_id>/anonymity": {"PUT": {"mode": "named"}},
    "/api/v1/assessments/<int:assessment_id>/invitations": {
        "POST": {"respondents": [{"name": "Eindringling", "email": "x@example.com"}]}
    },
    "/api/v1/assessments/<int:assessment_id>/invitations/<int:respondent_id>/resend": {},
    "/api/v1/assessments/<int:assessment_id>/invitations/<int:respondent_id>/rotate": {},
    "/api/v1/assessments/<int:assessment_id>/invitations/<int:respondent_id>/revoke": {},
    "/api/v1/assessments/<int:assessment_id>/invitations/<int:respondent_id>/extend": {
        "POST": {"last_day": "2027-01-15"}
    },
}


def rules_with_ids(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and ARGUMENT.search(rule.rule):
            found.setdefault(rule.rule, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return found


def filled(rule: str, ids: dict[str, int]) -> str:
    values = {**PLAIN, **ids}
    if rule.startswith("/api/v1/exports/jobs/"):
        values["job_id"] = ids["export_job_id"]  # export jobs are numbered apart from bulk ones
    return ANY_ARGUMENT.sub(lambda match: str(values[match.group(1)]), rule)


def test_every_api_route_with_an_id_is_in_the_matrix(app):
    assert set(rules_with_ids(app)) == set(ROUTES)


@pytest.mark.parametrize("direction", ["nord on sued", "sued on nord"])
def test_a_token_of_one_workspace_gets_404_on_every_object_of_the_other(
    app, client, world, sessions, direction
):
    if direction == "nord on sued":
        tokens = [world.tokens[key] for key in ("owner", "consultant", "viewer", "read")]
        ids = world.other
    else:
        tokens = [world.tokens["other"]]
        ids = {
            "client_id": world.client_id,
            "assessment_id": world.assessment_id,
            "respondent_id": world.respondent_id,
            "action_id": world.action_id,
            "cohort_id": world.cohort_id,
            "job_id": world.job_id,
            "export_job_id": world.export_job_id,
        }
    leaks = []
    before = dump(sessions)
    for rule, methods in rules_with_ids(app).items():
        for method in sorted(methods):
            body = ROUTES[rule].get(method, {} if method != "GET" else None)
            for token in tokens:
                response = call(client, method, filled(rule, ids), token, body)
                if response.status_code != 404 or response.get_json()["status"] != 404:
                    leaks.append(f"{method} {rule}: {response.status_code}")
    assert leaks == []
    changed = set(changed_tables(before, dump(sessions))) - BOOKKEEPING
    assert changed == set()


def test_the_owner_reaches_every_own_object(app, client, world):
    ids = {
        "client_id": world.client_id,
        "assessment_id": world.assessment_id,
        "respondent_id": world.respondent_id,
        "action_id": world.action_id,
        "cohort_id": world.cohort_id,
        "job_id": world.job_id,
        "export_job_id": world.export_job_id,
    }
    missing = []
    for rule, methods in rules_with_ids(app).items():
        if "GET" in methods:
            response = call(client, "GET", filled(rule, ids), world.tokens["owner"])
            if response.status_code == 404 or response.status_code >= 500:
                missing.append(f"GET {rule}: {response.status_code}")
    assert missing == []
