"""SIGTERM to `cxmaturity worker` lets the job under way finish (RQ's warm shutdown)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from bulk_fixtures import PERIOD, build_bulk_world
from job_helpers import worker_environment

from cxmaturity.domain.access import Actor
from cxmaturity.services import bulk_reports
from cxmaturity.services.access import load_actor
from cxmaturity.store.database import reading
from cxmaturity.store.models import BulkReportJob
from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")
WAIT_SECONDS = 120


def status_of(sessions, job_id: int) -> str:
    with reading(sessions) as session:
        return session.get_one(BulkReportJob, job_id).status


def test_a_terminated_worker_finishes_its_bulk_job_then_stops(app, sessions, redis_url):
    world = build_bulk_world(sessions)
    owner: Actor | None = load_actor(sessions, world.owner_id)
    services = services_of(app)
    job_id = bulk_reports.start_job(
        services, owner, world.slug, [str(i) for i in world.client_ids[:2]], PERIOD, "de"
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "cxmaturity.cli", "worker"],
        env=worker_environment(app, redis_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while status_of(sessions, job_id) == "queued" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert status_of(sessions, job_id) == "running"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=WAIT_SECONDS) == 0
    finally:
        worker.kill()
    assert status_of(sessions, job_id) == "done"
