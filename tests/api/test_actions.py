"""A client's action plan through the API: a step added, changed in part, read back."""

from __future__ import annotations

from api_helpers import call, last_quarter


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


def steps_path(client_id: int, tail: str = "steps") -> str:
    return f"/api/v1/clients/{client_id}/actions/{tail}"


def assessed_client(app, client, world) -> int:
    made = call(client, "POST", "/api/v1/clients", world.tokens["consultant"], {"name": "Alpha AG"})
    client_id = made.get_json()["id"]
    last_quarter(app, client_id)  # level 2 everywhere
    return client_id


def test_the_recommended_steps_are_listed_and_one_is_added_by_its_key(app, client, world):
    token = world.tokens["consultant"]
    client_id = assessed_client(app, client, world)
    listed = call(client, "GET", f"{steps_path(client_id)}?lang=de", token).get_json()
    steps = listed["steps"]
    assert steps and all(step["level"] == 2 and not step["added"] for step in steps)
    assert [step["priority"] for step in steps[:1]] == [True]
    chosen = steps[0]

    plan = call(client, "POST", steps_path(client_id), token, {"source_key": chosen["source_key"]})
    assert plan.status_code == 201, plan.get_json()
    added = plan.get_json()["actions"]
    assert [(a["dimension_id"], a["source"]) for a in added] == [
        (chosen["dimension_id"], "recommendation")
    ]
    again = call(client, "POST", steps_path(client_id), token, {"source_key": chosen["source_key"]})
    assert again.status_code == 409
    assert again.get_json()["type"] == "urn:cxmaturity:problem:step-already-added"
    shown = call(client, "GET", steps_path(client_id), token).get_json()["steps"]
    assert next(s for s in shown if s["source_key"] == chosen["source_key"])["added"] is True


def test_the_priorities_steps_are_added_at_once_and_only_once(app, client, world):
    token = world.tokens["consultant"]
    client_id = assessed_client(app, client, world)
    steps = call(client, "GET", steps_path(client_id), token).get_json()["steps"]
    priority = [step for step in steps if step["priority"]]
    first = call(client, "POST", steps_path(client_id, "priority-steps"), token, {"language": "en"})
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["added"] == len(priority) == len(first.get_json()["actions"])
    second = call(client, "POST", steps_path(client_id, "priority-steps"), token, {})
    assert second.get_json()["added"] == 0


def test_an_unknown_step_is_refused_and_a_reader_lists_but_adds_none(app, client, world):
    client_id = assessed_client(app, client, world)
    unknown = call(
        client, "POST", steps_path(client_id), world.tokens["consultant"], {"source_key": "x:9:9"}
    )
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0]["field"] == "source_key"
    for who in ("viewer", "read"):
        token = world.tokens[who]
        assert call(client, "GET", steps_path(client_id), token).status_code == 200
        body = {"source_key": "strategy:2:0"}
        assert call(client, "POST", steps_path(client_id), token, body).status_code == 403
        assert (
            call(client, "POST", steps_path(client_id, "priority-steps"), token, {}).status_code
            == 403
        )
