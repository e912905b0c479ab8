"""`cxmaturity worker` (runs the background jobs of the Redis queue) and `cxmaturity jobs`
(the dead-letter list: jobs that failed every try, to look at, retry or clear)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from cxmaturity.cli.common import BAD_INPUT, fail, print_json, process_services
from cxmaturity.config import Settings

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

NO_REDIS = "no Redis is configured (CXM_REDIS_URL): jobs run inside the app, no worker is needed"


def _require_redis() -> None:
    if not Settings.from_environment().redis_url:
        click.echo(f"error: {NO_REDIS}", err=True)
        sys.exit(BAD_INPUT)


@contextmanager
def _queue_services(*, sends_mail: bool = False) -> Iterator[Services]:
    from redis.exceptions import RedisError

    _require_redis()
    with process_services(sends_mail=sends_mail) as services:
        assert services.jobs.redis is not None
        try:
            services.jobs.redis.ping()
        except RedisError as error:
            fail(f"Redis does not answer: {error}")
        yield services


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop (for tests).")
def worker(burst: bool) -> None:
    """Run the background jobs of the Redis queue (renders, bulk ZIPs, exports, e-mails).

    SIGTERM lets the job under way finish, then stops (a second one stops at once).
    """
    from rq import SimpleWorker

    from cxmaturity.jobs.queue import QUEUES
    from cxmaturity.services.background import start_worker
    from cxmaturity.services.startup import freeze_startup_objects

    with _queue_services(sends_mail=True) as services:
        start_worker(services.job_context)
        freeze_startup_objects()  # as a gunicorn worker does (gunicorn_conf.py)
        # In this process, not one forked per job: the Services above serve every job.
        rq_worker = SimpleWorker(
            [services.jobs.rq_queue(name) for name in QUEUES], connection=services.jobs.redis
        )
        rq_worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


@click.group("jobs")
def jobs() -> None:
    """The dead-letter list: background jobs that failed every try."""


@jobs.command("failed")
def failed() -> None:
    """List the failed jobs as JSON: id, job, arguments, error, time."""
    with _queue_services() as services:
        print_json({"failed": [asdict(job) for job in services.jobs.failed()]})


@jobs.command("retry")
@click.argument("job_id")
def retry(job_id: str) -> None:
    """Put a failed job back on its queue."""
    with _queue_services() as services:
        if not services.jobs.retry(job_id):
            fail(f"no failed job {job_id}")
        print_json({"retried": job_id})


@jobs.command("clear")
def clear() -> None:
    """Delete every failed job."""
    with _queue_services() as services:
        print_json({"cleared": services.jobs.clear()})
