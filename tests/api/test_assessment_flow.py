"""The journey of issue 12 through the API alone: a client, an assessment, three respondents,
their participation, and after they submit, the results and the change since last quarter."""

from __future__ import annotations

from api_helpers import answer_everything, call, last_quarter


def test_a_script_runs_a_quarter_through_the_api(app, client, world):
    token = world.tokens["consultant"]
    made = call(client, "POST", "/api/v1/clients", token, {"name": "Alpha AG", "tags": ["b2b"]})
    assert made.status_code == 201, made.get_json()
    client_id = made.get_json()["id"]
    assert made.headers["Location"].endswith(f"/api/v1/clients/{client_id}")
    last_quarter(app, client_id)

    opened = call(
        client, "POST", f"/api/v1/clients/{client_id}/assessments", token, {"period": "2026-Q4"}
    )
    assert opened.status_code == 201, opened.get_json()
    assessment = opened.get_json()
    assert assessment["status"] == "draft"
    base = f"/api/v1/assessments/{assessment['id']}"
    assert call(client, "POST", f"{base}/open", token).get_json()["status"] == "open"

    people = [
        {"name": name, "email": f"{name.lower()}@example.com"} for name in ["Eva", "Max", "Ida"]
    ]
    invited = call(client, "POST", f"{base}/invitations", token, {"respondents": people})
    assert invited.status_code == 201, invited.get_json()
    links = invited.get_json()["links"]
    assert [link["name"] for link in links] == ["Eva", "Max", "Ida"]
    assert all(link["url"].startswith("https://cx.example.org/r/") for link in links)

    before = call(client, "GET", f"{base}/participation", token).get_json()
    assert before["counts"]["all"] == 3 and before["counts"].get("submitted", 0) == 0

    for link in links:
        answer_everything(app, link["url"], 4)
    after = call(client, "GET", f"{base}/participation", token).get_json()
    assert after["counts"]["submitted"] == 3
    assert call(client, "POST", f"{base}/close", token).get_json()["status"] == "closed"

    results = call(client, "GET", f"{base}/results", token).get_json()
    assert results["overall"]["level"] == 4
    assert results["since_last_period"]["period"] == "2026-Q3"
    comparison = call(client, "GET", f"{base}/comparison", token).get_json()
    since = comparison["since_last_period"]
    assert since["comparability"] == "same"
    assert since["change"] == 2.0
    assert since["different_respondents"] is True

    listed = call(client, "GET", f"/api/v1/clients/{client_id}/assessments", token).get_json()
    assert [row["period"] for row in listed["items"]] == ["2026-Q3", "2026-Q4"]
    assert listed["next_cursor"] is None
