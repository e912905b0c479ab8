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
