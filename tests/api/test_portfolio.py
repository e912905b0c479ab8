"""The portfolio and a client's history through the API: the same JSON as the web's
`portfolio.json` and `history.json`, limited to what the token's creator sees."""

from __future__ import annotations

from api_helpers import answer_everything, call
from web_helpers import log_in


def closed_quarter(app, client, token, client_id: int, level: int) -> int:
    path = f"/api/v1/clients/{client_id}/assessments"
    # 2026-Q3: the world's client has an open 2026-Q4 already.
    assessment = call(client, "POST", path, token, {"period": "2026-Q3"}).get_json()
    base = f"/api/v1/assessments/{assessment['id']}"
    call(client, "POST", f"{base}/open", token)
    people = {"respondents": [{"name": "Eva"}, {"name": "Max"}]}
    for link in call(client, "POST", f"{base}/invitations", token, people).get_json()["links"]:
        answer_everything(app, link["url"], level)
    call(client, "POST", f"{base}/close", token)
    return assessment["id"]


def test_the_portfolio_is_the_webs_portfolio_json(app, client, world):
    token = world.tokens["consultant"]
    closed_quarter(app, client, token, world.client_id, 3)
    shown = call(client, "GET", "/api/v1/portfolio?period=2026-Q3", world.tokens["read"])
    assert shown.status_code == 200
    body = shown.get_json()
    assert [row["name"] for row in body["clients"]] == ["Erste GmbH"]
    assert body["clients"][0]["overall"]["level"] == 3
    browser = app.test_client()
    log_in(browser, world.owner_email)
    assert body == browser.get("/w/nord/portfolio.json?period=2026-Q3").get_json()


def test_a_refused_filter_names_its_field(client, world):
    refused = call(client, "GET", "/api/v1/portfolio?period=soon", world.tokens["owner"])
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "period"


def test_the_history_is_the_webs_history_json(app, client, world):
    closed_quarter(app, client, world.tokens["owner"], world.client_id, 4)
    path = f"/api/v1/clients/{world.client_id}/history"
    body = call(client, "GET", path, world.tokens["viewer"]).get_json()
    assert [period["period"] for period in body["periods"]] == ["2026-Q3"]
    browser = app.test_client()
    log_in(browser, world.owner_email)
    assert body == browser.get(f"/w/nord/clients/{world.client_id}/history.json").get_json()
