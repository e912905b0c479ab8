"""A client's targets through the API: set, read with progress, drop; a viewer only reads."""

from __future__ import annotations

from api_helpers import call
from test_portfolio import closed_quarter


def test_targets_are_set_read_and_dropped(app, client, world):
    token = world.tokens["consultant"]
    closed_quarter(app, client, token, world.client_id, 2)
    path = f"/api/v1/clients/{world.client_id}/targets"
    before = call(client, "GET", path, token).get_json()
    strategy = next(row for row in before["dimensions"] if row["id"] == "strategy")
    assert strategy["target"] is None and strategy["suggested_level"] == 3

    body = {"targets": {"strategy": {"level": 4, "due_period": "2027-Q2"}}}
    shown = call(client, "PUT", path, token, body)
    assert shown.status_code == 200, shown.get_json()
    strategy = next(row for row in shown.get_json()["dimensions"] if row["id"] == "strategy")
    assert strategy["target"]["level"] == 4 and strategy["target"]["due_period"] == "2027-Q2"
    assert strategy["target"]["reached"] is False

    dropped = call(client, "PUT", path, token, {"targets": {"strategy": None}}).get_json()
    assert next(r for r in dropped["dimensions"] if r["id"] == "strategy")["target"] is None


def test_a_refused_target_names_its_field_and_a_viewer_cannot_set_one(app, client, world):
    path = f"/api/v1/clients/{world.client_id}/targets"
    body = {"targets": {"strategy": {"level": 4, "due_period": "someday"}}}
    refused = call(client, "PUT", path, world.tokens["consultant"], body)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "due-strategy"
    valid = {"targets": {"strategy": {"level": 4}}}
    assert call(client, "PUT", path, world.tokens["viewer"], valid).status_code == 403
