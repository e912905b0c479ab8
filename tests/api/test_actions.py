"""A client's action plan through the API: a step added, changed in part, read back."""

from __future__ import annotations

from api_helpers import call


def test_a_step_is_added_changed_and_its_due_date_removed(client, world):
    token = world.tokens["consultant"]
    base = f"/api/v1/clients/{world.client_id}/actions"
    body = {"dimension_id": "strategy", "title": "Quarterly CX review", "owner": "Anna"}
    body |= {"due_date": "2027-03-31"}
    plan = call(client, "POST", base, token, body)
    assert plan.status_code == 201, plan.get_json()
    added = next(a for a in plan.get_json()["actions"] if a["title"] == "Quarterly CX review")
    assert (added["status"], added["owner"], added["due_date"]) == ("planned", "Anna", "2027-03-31")

    changed = call(
        client, "PATCH", f"{base}/{added['id']}", token, {"status": "in_progress", "due_date": None}
    )
    assert changed.status_code == 200, changed.get_json()
    now = next(a for a in changed.get_json()["actions"] if a["id"] == added["id"])
    assert (now["status"], now["owner"], now["due_date"]) == ("in_progress", "Anna", None)


def test_a_step_of_an_unknown_dimension_is_refused_and_a_viewer_cannot_add_one(client, world):
    base = f"/api/v1/clients/{world.client_id}/actions"
    refused = call(
        client, "POST", base, world.tokens["consultant"], {"dimension_id": "x", "title": "t"}
    )
    assert refused.status_code == 422
    valid = {"dimension_id": "strategy", "title": "t"}
    assert call(client, "POST", base, world.tokens["viewer"], valid).status_code == 403
    listed = call(client, "GET", base, world.tokens["viewer"]).get_json()["actions"]
    assert [a["title"] for a in listed] == ["Erste GmbH: a CX owner on the board"]
