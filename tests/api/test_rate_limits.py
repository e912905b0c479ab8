"""Rate limits per token: past the limit a 429 problem with Retry-After, other tokens unaffected;
counted in memory without Redis, in Redis (shared by every app host) with CXM_REDIS_URL."""

from __future__ import annotations

import secrets

import pytest
from api_helpers import call
from system_tools import REDIS_URL

LIMIT = 3


@pytest.fixture
def app_config():
    return {"API_RATE_LIMIT": f"{LIMIT} per minute"}


def assert_limited_per_token(client, world) -> None:
    token = world.tokens["owner"]
    for _ in range(LIMIT):
        assert call(client, "GET", "/api/v1/clients", token).status_code == 200
    refused = call(client, "GET", "/api/v1/clients", token)
    assert refused.status_code == 429
    assert refused.content_type == "application/problem+json"
    assert refused.get_json()["status"] == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert call(client, "GET", "/api/v1/clients", world.tokens["consultant"]).status_code == 200


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_token_past_its_limit_gets_a_429_problem_in_memory(client, world):
    assert_limited_per_token(client, world)


@pytest.mark.requires("redis")
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_two_app_hosts_share_the_count_in_redis(app, world, migrated_database_url, tmp_path):
    from cxmaturity.app import create_app
    from cxmaturity.web.context import services_of

    prefix = f"cxm-api-test-{secrets.token_hex(4)}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": migrated_database_url,
        "REDIS_URL": REDIS_URL,
        "API_RATE_LIMIT": f"{LIMIT} per minute",
        "API_RATE_LIMIT_PREFIX": prefix,
    }
    hosts = [create_app(config), create_app(config)]
    try:
        token = world.tokens["owner"]
        answers = [
            call(hosts[n % 2].test_client(), "GET", "/api/v1/clients", token).status_code
            for n in range(LIMIT + 1)
        ]
        assert answers == [200] * LIMIT + [429]
    finally:
        for host in hosts:
            services_of(host).close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_redis_that_does_not_answer_leaves_the_api_answering(world, migrated_database_url):
    from cxmaturity.app import create_app
    from cxmaturity.web.context import services_of

    host = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": migrated_database_url,
            "REDIS_URL": "redis://127.0.0.1:9/0",  # the discard port: nothing answers there
        }
    )
    try:
        answer = call(host.test_client(), "GET", "/api/v1/clients", world.tokens["owner"])
        assert answer.status_code == 200
    finally:
        services_of(host).close()


def test_the_operator_sets_the_limit_with_cxm_api_rate_limit(monkeypatch, tmp_path):
    from cxmaturity import create_app

    monkeypatch.setenv("CXM_API_RATE_LIMIT", "2 per minute; 50 per hour")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x"})
    assert app.config["API_RATE_LIMIT"] == "2 per minute; 50 per hour"


@pytest.mark.parametrize("value", ["600", "six hundred a minute", "per minute"])
def test_an_unreadable_limit_stops_the_start_with_its_reason(monkeypatch, tmp_path, value):
    from cxmaturity import create_app

    monkeypatch.setenv("CXM_API_RATE_LIMIT", value)
    with pytest.raises(ValueError, match=r"CXM_API_RATE_LIMIT .* like '600 per minute'"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x"})
