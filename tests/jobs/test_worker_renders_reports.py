"""A `cxmaturity worker` renders the report a submit asked for; the web serves it from Redis."""

from __future__ import annotations

import io
import secrets
import subprocess
import sys

import pytest
from job_helpers import submitted_self_assessment, worker_environment
from pypdf import PdfReader
from rq import Queue

from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")


@pytest.fixture
def app(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the respondent's forms posted without tokens
    return app


def test_the_worker_renders_the_report_and_the_web_serves_it_from_the_redis_cache(
    app, redis, redis_url
):
    organization = f"Nordlicht GmbH {secrets.token_hex(3)}"
    token = submitted_self_assessment(app, organization)
    cache = services_of(app).report_cache
    assert len(Queue("reports", connection=redis).get_jobs()) == 1
    assert cache.renders == 0  # the app renders nothing itself: the job is the worker's

    worker = subprocess.run(
        [sys.executable, "-m", "cxmaturity.cli", "worker", "--burst"],
        env=worker_environment(app, redis_url),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr
    assert len(list(redis.scan_iter(match="cxm:report:*"))) == 1

    download = app.test_client().get(f"/r/{token}/report.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert cache.renders == 0  # served from Redis, rendered by the worker
    first_page = PdfReader(io.BytesIO(download.data)).pages[0].extract_text()
    assert organization in first_page and "Anna" in first_page


def test_the_worker_without_redis_says_so_in_one_line_and_exits_2(app):
    environment = worker_environment(app, "")
    finished = subprocess.run(
        [sys.executable, "-m", "cxmaturity.cli", "worker"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert finished.stderr.strip().count("\n") == 0
    assert "CXM_REDIS_URL" in finished.stderr
