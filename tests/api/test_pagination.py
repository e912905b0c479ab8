"""Cursor pagination: every client once across the pages, also with a client added between
two pages; the last page says so with `next_cursor` null; a cursor we did not make is refused."""

from __future__ import annotations

from api_helpers import call


def test_pages_cover_every_client_once_with_an_insert_in_between(client, world):
    token = world.tokens["owner"]
    for number in range(5):
        call(client, "POST", "/api/v1/clients", token, {"name": f"Kunde {number}"})
    seen: list[int] = []
    first = call(client, "GET", "/api/v1/clients?limit=2", token).get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    seen += [row["id"] for row in first["items"]]
    # Added between two pages: shows up at the end, nothing shifts.
    added = call(client, "POST", "/api/v1/clients", token, {"name": "Spät AG"}).get_json()
    cursor = first["next_cursor"]
    pages = 1
    while cursor:
        page = call(client, "GET", f"/api/v1/clients?limit=2&cursor={cursor}", token).get_json()
        assert len(page["items"]) <= 2
        seen += [row["id"] for row in page["items"]]
        cursor = page["next_cursor"]
        pages += 1
    assert len(seen) == len(set(seen)) == 7  # Erste GmbH, five, Spät AG
    assert seen[-1] == added["id"]
    assert pages == 4


def test_one_page_holds_everything_when_the_limit_allows(client, world):
    page = call(client, "GET", "/api/v1/clients?limit=100", world.tokens["owner"]).get_json()
    assert [row["name"] for row in page["items"]] == ["Erste GmbH"]
    assert page["next_cursor"] is None


def test_a_forged_cursor_is_a_400_problem(client, world):
    response = call(client, "GET", "/api/v1/clients?cursor=bm9wZQ", world.tokens["owner"])
    assert response.status_code == 400
    assert response.get_json()["type"].endswith("bad-cursor")
