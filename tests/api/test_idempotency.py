"""`Idempotency-Key` on POST: the same key and body replay the first answer and act once; the
same key with another body is a 422 problem; keys are the token's own and kept 24 hours."""

from __future__ import annotations

import datetime

from api_helpers import call
from sqlalchemy import func, select, update

from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import IdempotentResponse, Organization


def clients_named(sessions, name: str) -> int:
    with reading(sessions) as session:
        return session.scalar(
            select(func.count()).select_from(Organization).where(Organization.name == name)
        )


def post(client, token, body, key):
    return call(client, "POST", "/api/v1/clients", token, body, **{"Idempotency-Key": key})


def test_the_same_key_and_body_replay_the_first_answer_and_act_once(client, world, sessions):
    token = world.tokens["owner"]
    first = post(client, token, {"name": "Einmal AG"}, "key-1")
    again = post(client, token, {"name": "Einmal AG"}, "key-1")
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert clients_named(sessions, "Einmal AG") == 1


def test_a_refusal_is_replayed_too(client, world):
    token = world.tokens["owner"]
    first = post(client, token, {"name": "Erste GmbH"}, "taken")  # the name is taken
    again = post(client, token, {"name": "Erste GmbH"}, "taken")
    assert first.status_code == again.status_code == 422
    assert again.content_type == "application/problem+json"
    assert first.get_json() == again.get_json()


def test_the_same_key_with_another_body_is_a_422_problem_and_acts_not(client, world, sessions):
    token = world.tokens["owner"]
    post(client, token, {"name": "Eins AG"}, "key-2")
    conflict = post(client, token, {"name": "Zwei AG"}, "key-2")
    assert conflict.status_code == 422
    assert conflict.get_json()["type"].endswith("idempotency-conflict")
    assert clients_named(sessions, "Zwei AG") == 0


def test_without_a_key_each_post_acts(client, world, sessions):
    token = world.tokens["owner"]
    call(client, "POST", "/api/v1/clients", token, {"name": "Doppel AG"})
    second = call(client, "POST", "/api/v1/clients", token, {"name": "Doppel AG"})
    assert second.status_code == 422  # the service refuses the taken name: it acted again


def test_a_key_belongs_to_its_token(client, world, sessions):
    post(client, world.tokens["owner"], {"name": "Geteilt AG"}, "shared")
    other = post(client, world.tokens["other"], {"name": "Geteilt AG"}, "shared")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers


def test_a_key_older_than_24_hours_is_forgotten(client, world, sessions):
    token = world.tokens["owner"]
    post(client, token, {"name": "Alt AG"}, "old")
    with transaction(sessions) as session:
        day_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=25)
        session.execute(update(IdempotentResponse).values(created_at=day_ago))
    fresh = post(client, token, {"name": "Neu AG"}, "old")
    assert fresh.status_code == 201
    assert fresh.get_json()["name"] == "Neu AG"
