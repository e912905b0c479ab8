"""Fixtures for the job tests: a Redis database of the test's own, the app on it, a worker.

Each xdist worker uses its own Redis database number (10 and up), emptied before and after
each test, so that parallel tests, and the machine's other users of database 0, never see
each other's jobs or cached reports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import system_tools
from job_helpers import free_port
from redis import Redis

from cxmaturity.web.context import services_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))  # the web helpers
FIRST_DATABASE = 10


def database_of_this_worker() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return FIRST_DATABASE + (int(worker) if worker.isdigit() else 0) % 6


@pytest.fixture
def redis_url():
    """A Redis URL on a database number of this test's own, empty at the start and end."""
    system_tools.require("redis")
    parts = urlsplit(system_tools.REDIS_URL)
    url = urlunsplit(parts._replace(path=f"/{database_of_this_worker()}"))
    redis = Redis.from_url(url)
    redis.flushdb()
    yield url
    redis.flushdb()
    redis.close()


@pytest.fixture
def redis(redis_url):
    client = Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def app_config(redis_url):
    return {"REDIS_URL": redis_url}


@pytest.fixture
def app(app):
    """The app of tests/conftest.py on Redis; retries at once instead of after pauses."""
    services_of(app).jobs.retry_pauses = (0, 0, 0)
    return app


@pytest.fixture
def own_redis_server():
    """A redis-server of the test's own on a free port (to be stopped by the test)."""
    system_tools.require("redis")
    if shutil.which("redis-server") is None:
        message = "`redis-server` is not on PATH; install it (Debian: apt-get install redis-server)"
        if system_tools.in_ci():
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except Exception:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()
