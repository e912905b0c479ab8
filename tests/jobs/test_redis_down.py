"""Redis stopped mid-way: a job that cannot be queued runs in the app instead, the pages
answer as usual, and the report cache falls back to this host's folder; one warning line
each, no traceback."""

from __future__ import annotations

import logging
import time

import pytest
from job_helpers import submitted_self_assessment

from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")
WAIT_SECONDS = 90


@pytest.fixture
def redis_server(own_redis_server):
    return own_redis_server


@pytest.fixture
def app_config(redis_server):
    _process, url = redis_server
    return {"REDIS_URL": url}


@pytest.fixture
def app(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the respondent's forms posted without tokens
    return app


def test_with_redis_killed_the_submit_renders_its_report_in_the_app_and_pages_answer(
    app, redis_server, caplog
):
    process, _url = redis_server
    services = services_of(app)
    services.jobs.redis.ping()  # it answered at the start
    process.kill()
    process.wait()

    with caplog.at_level(logging.WARNING):
        token = submitted_self_assessment(app, "Sturmfest AG")  # the submit answered 302
        client = app.test_client()
        assert client.get(f"/r/{token}/results").status_code == 200

        cache = services.report_cache
        deadline = time.monotonic() + WAIT_SECONDS
        while cache.renders == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert cache.renders == 1, "the job that Redis could not take was not run in the app"

        download = client.get(f"/r/{token}/report.pdf")
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert cache.renders == 1  # kept on this host while Redis is away

    warnings = [record for record in caplog.records if "Redis does not answer" in record.message]
    assert 1 <= len(warnings) <= 2  # the queue's and the cache's, once each
    assert all(record.exc_info is None for record in warnings)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
