"""Saved cohorts through the API: saved, listed, used as the portfolio's filter, forgotten."""

from __future__ import annotations

from api_helpers import call


def test_a_cohort_is_saved_filters_the_portfolio_and_is_deleted(client, world):
    token = world.tokens["consultant"]
    call(client, "POST", "/api/v1/clients", token, {"name": "Bank AG", "industry": "finance"})
    body = {"name": "Banken", "questionnaire": "cx-maturity", "major": "1", "industry": "finance"}
    saved = call(client, "POST", "/api/v1/cohorts", token, body)
    assert saved.status_code == 201, saved.get_json()
    cohort_id = saved.get_json()["id"]
    names = [c["name"] for c in call(client, "GET", "/api/v1/cohorts", token).get_json()["items"]]
    assert sorted(names) == ["Banken", "Handel"]
    shown = call(client, "GET", f"/api/v1/portfolio?cohort={cohort_id}", token).get_json()
    assert [row["name"] for row in shown["clients"]] == ["Bank AG"]
    assert shown["filter"]["industry"] == "finance"
    assert call(client, "DELETE", f"/api/v1/cohorts/{cohort_id}", token).status_code == 200
    assert call(client, "DELETE", f"/api/v1/cohorts/{cohort_id}", token).status_code == 404


def test_a_cohort_name_taken_is_refused(client, world):
    body = {"name": "Handel", "questionnaire": "cx-maturity", "major": "1"}
    refused = call(client, "POST", "/api/v1/cohorts", world.tokens["consultant"], body)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "name"


def test_a_cohort_is_renamed_and_keeps_its_filter(client, world):
    path = f"/api/v1/cohorts/{world.cohort_id}"
    renamed = call(client, "PATCH", path, world.tokens["consultant"], {"name": "Einzelhandel"})
    assert renamed.status_code == 200, renamed.get_json()
    assert renamed.get_json()["name"] == "Einzelhandel"
    assert renamed.get_json()["questionnaire"] == "cx-maturity"
    listed = call(client, "GET", "/api/v1/cohorts", world.tokens["viewer"]).get_json()["items"]
    assert [c["name"] for c in listed] == ["Einzelhandel"]


def test_a_rename_to_a_taken_name_or_by_a_reader_changes_nothing(client, world):
    token = world.tokens["consultant"]
    body = {"name": "Banken", "questionnaire": "cx-maturity", "major": "1"}
    call(client, "POST", "/api/v1/cohorts", token, body)
    path = f"/api/v1/cohorts/{world.cohort_id}"
    taken = call(client, "PATCH", path, token, {"name": "Banken"})
    assert taken.status_code == 422 and taken.get_json()["errors"][0]["field"] == "name"
    assert call(client, "PATCH", path, world.tokens["read"], {"name": "Neu"}).status_code == 403
    names = sorted(
        c["name"] for c in call(client, "GET", "/api/v1/cohorts", token).get_json()["items"]
    )
    assert names == ["Banken", "Handel"]
