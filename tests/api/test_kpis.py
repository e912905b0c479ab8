"""A client's key figures through the API: saved per period, read back with their value;
refused figures are named one by one and nothing is stored."""

from __future__ import annotations

from api_helpers import call


def test_key_figures_are_saved_and_read_back(client, world):
    token = world.tokens["consultant"]
    base = f"/api/v1/clients/{world.client_id}/kpis"
    body = {
        "figures": {"nps": {"promoters": "40", "detractors": "10", "responses": "80"}},
        "notes": {"nps": "Survey of October"},
    }
    saved = call(client, "PUT", f"{base}/2026-Q4", token, body)
    assert saved.status_code == 200, saved.get_json()
    period = call(client, "GET", base, world.tokens["viewer"]).get_json()["periods"][0]
    assert period["period"] == "2026-Q4"
    nps = period["kpis"][0]
    assert (nps["kpi"], nps["value"], nps["note"]) == ("nps", 37.5, "Survey of October")


def test_refused_figures_are_each_named_and_nothing_is_stored(client, world):
    token = world.tokens["consultant"]
    base = f"/api/v1/clients/{world.client_id}/kpis"
    body = {"figures": {"csat": {"satisfied": "12", "responses": "10"}, "ces": {"agreeing": "x"}}}
    refused = call(client, "PUT", f"{base}/2026-Q4", token, body)
    assert refused.status_code == 422
    fields = {error["field"] for error in refused.get_json()["errors"]}
    assert any(field.startswith("csat.") for field in fields)
    assert any(field.startswith("ces.") for field in fields)
    assert call(client, "GET", base, token).get_json()["periods"] == []
    assert call(client, "PUT", f"{base}/2026-Q4", world.tokens["read"], body).status_code == 403
