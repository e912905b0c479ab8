"""Bulk-report jobs in the app's own background thread (DESIGN §9: "without Redis, jobs run
in the app's own background process"), and the job's life from queued to done or failed.

`run_job(services, job_id)` is the job: a plain function over ids, which the RQ queue of
issue 12 can enqueue as it is. `BulkJobs` runs it here meanwhile, one job at a time per
process (each job already takes both cores), and says whether a job it was given still
lives: a job whose process is gone (the app restarted) is marked failed, "interrupted",
instead of showing "running" forever. ZIPs are kept KEEP_ZIPS after their job finished
and removed when the next job starts.

With CXM_REDIS_URL the job is an RQ job ("bulk_report", jobs/queue.py) that a worker on
any host runs; the job's row stays the source of truth for its progress, and its ZIP is
shared through Redis (bulk_zips.py), so that every app host can serve it.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import socket
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from redis import Redis
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import UNFINISHED_BULK_JOB_STATUSES, BulkJobError, BulkJobStatus
from cxmaturity.reports.pool import RenderPool
from cxmaturity.services.bulk_render import BulkRenderFailed, render_zip
from cxmaturity.services.bulk_zips import SharedZips
from cxmaturity.services.errors import StorageUnavailable
from cxmaturity.store.database import run_in_transaction
from cxmaturity.store.models import BulkReportJob, Workspace
from cxmaturity.store.queries import bulk_reports as bulk_queries

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

KEEP_ZIPS = datetime.timedelta(hours=24)
KEEP_POOL_SECONDS = 300.0
"""How long a job's render processes stay after it: the next ZIP (often the same clients
in the other language) starts warm; then their memory goes back."""
STALE_AFTER = datetime.timedelta(minutes=10)
"""A job of another host that has not got on for this long is taken as interrupted (a
report's render is stopped after 20 s, so a living job reports far more often)."""
logger = logging.getLogger(__name__)


def this_runner() -> str:
    """The name a job records for the process that runs it: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


QUEUED_STALE_AFTER = datetime.timedelta(hours=24)
"""A job waiting on the Redis queue this long is taken as lost (Redis emptied)."""


class BulkJobs:
    """The process's background worker for bulk-report jobs, and where their ZIPs are kept."""

    def __init__(self, directory: Path, *, redis: Redis | None = None) -> None:
        self.redis = redis
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.zips = SharedZips(self.directory, redis, KEEP_ZIPS)
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._active: set[int] = set()
        self._pool = RenderPool()  # its processes start with the first job
        self._idle: threading.Timer | None = None

    def expect(self, job_id: int) -> None:
        """Count the job as this process's before its row is committed, so that no page
        read in between takes it for interrupted."""
        with self._lock:
            self._active.add(job_id)

    def submit(self, services: Services, job_id: int) -> Future:
        """Run the job in the background; returns at once (call it after the commit)."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="bulk-reports")
            self._active.add(job_id)
            if self._idle is not None:
                self._idle.cancel()
            return self._executor.submit(self._run, services, job_id)

    def _run(self, services: Services, job_id: int) -> None:
        try:
            remove_old_zips(services, services.now())
            run_job(services, job_id, pool=self._pool)
        except Exception:  # run_job records its own failures; this is the clean-up's
            logger.exception("bulk-report job %s", job_id)
        finally:
            with self._lock:
                self._active.discard(job_id)
                if not self._active:
                    self._idle = threading.Timer(KEEP_POOL_SECONDS, self._close_when_idle)
                    self._idle.daemon = True
                    self._idle.start()

    def _close_when_idle(self) -> None:
        # Two render processes hold WeasyPrint's memory: given back when no job came.
        with self._lock:
            if not self._active:
                self._pool.close()

    @property
    def pool(self) -> RenderPool:
        """The render processes of this process's jobs (a worker keeps them between jobs)."""
        return self._pool

    def runner_name(self) -> str | None:
        """The runner a new job records: this process, or nobody yet when a worker of the
        Redis queue will take it."""
        return None if self.redis is not None else this_runner()

    def alive(self, job: BulkReportJob, now: datetime.datetime) -> bool:
        """Whether the unfinished job is still queued or running somewhere."""
        if job.runner is None and job.status == BulkJobStatus.QUEUED:
            # On the Redis queue (or handed to this process while Redis was down).
            return now - job.created_at < QUEUED_STALE_AFTER
        host, _, pid = (job.runner or "").rpartition(":")
        if job.runner == this_runner():
            with self._lock:
                return job.id in self._active
        if host == socket.gethostname() and pid.isdigit():
            return _process_exists(int(pid))
        last = job.heartbeat_at or job.created_at
        return now - last < STALE_AFTER

    def shutdown(self) -> None:
        """Finish the jobs under way and stop the render processes."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
            self._pool.close()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: it exists
        return True
    return True


def run_job(services: Services, job_id: int, *, pool: RenderPool | None = None) -> None:
    """Render the job's ZIP and record how it went; a job not queued is left alone."""
    job = run_in_transaction(services.sessions, lambda session: _take(session, services, job_id))
    if job is None:
        return
    slug, client_ids, period, language = job

    def progress(done: int) -> None:
        try:
            run_in_transaction(
                services.sessions,
                lambda session: bulk_queries.record_progress(session, job_id, done, services.now()),
            )
        except StorageUnavailable:  # the progress shown lags; the job goes on
            logger.warning("bulk-report job %s: progress not saved", job_id)

    try:
        path, _seconds = render_zip(
            services,
            slug,
            client_ids,
            period,
            language,
            pool=pool,
            progress=progress,
            zip_name=f"job-{job_id}.zip",
        )
    except BulkRenderFailed:
        _fail(services, job_id, BulkJobError.RENDER_FAILED)
    except StorageUnavailable:
        _fail(services, job_id, BulkJobError.STORAGE)
    except Exception:
        logger.exception("bulk-report job %s failed", job_id)
        _fail(services, job_id, BulkJobError.UNEXPECTED)
    else:
        services.bulk_jobs.zips.publish(job_id, path)
        run_in_transaction(
            services.sessions, lambda session: _finish(session, services, job_id, path)
        )


def _take(
    session: Session, services: Services, job_id: int
) -> tuple[str, list[int], str, str] | None:
    job = session.get(BulkReportJob, job_id, with_for_update=True)
    if job is None or job.status != BulkJobStatus.QUEUED:
        return None
    job.status = BulkJobStatus.RUNNING.value
    job.runner = this_runner()
    job.heartbeat_at = services.now()
    slug = session.get_one(Workspace, job.workspace_id).slug
    return slug, json.loads(job.client_ids), job.period, job.language


def _finish(session: Session, services: Services, job_id: int, path: Path) -> None:
    job = session.get_one(BulkReportJob, job_id)
    job.status = BulkJobStatus.DONE.value
    job.done_count = job.total
    job.file_name = path.name
    job.error = None
    job.finished_at = services.now()


def _fail(services: Services, job_id: int, error: BulkJobError) -> None:
    def write(session: Session) -> None:
        job = session.get_one(BulkReportJob, job_id)
        job.status = BulkJobStatus.FAILED.value
        job.error = error.value
        job.finished_at = services.now()

    try:
        run_in_transaction(services.sessions, write)
    except StorageUnavailable:  # the page shows it interrupted once the process is gone
        logger.error("bulk-report job %s failed (%s) and could not be marked", job_id, error)


def is_interrupted(services: Services, job: BulkReportJob) -> bool:
    """Whether the job is unfinished although nobody runs it any more (the app restarted)."""
    return job.status in UNFINISHED_BULK_JOB_STATUSES and not services.bulk_jobs.alive(
        job, services.now()
    )


def mark_interrupted(services: Services, job_ids: Sequence[int]) -> None:
    """Mark these jobs failed, "interrupted", unless they finished meanwhile."""
    if not job_ids:
        return

    def write(session: Session) -> None:
        for job_id in job_ids:
            job = session.get(BulkReportJob, job_id, with_for_update=True)
            if job is not None and is_interrupted(services, job):
                job.status = BulkJobStatus.FAILED.value
                job.error = BulkJobError.INTERRUPTED.value
                job.finished_at = services.now()

    run_in_transaction(services.sessions, write)


def remove_old_zips(services: Services, now: datetime.datetime) -> None:
    """Remove the ZIPs (and drafts of interrupted jobs) older than KEEP_ZIPS."""
    cutoff = now - KEEP_ZIPS

    def forget(session: Session) -> list[str]:
        jobs = bulk_queries.finished_before(session, cutoff)
        names = [job.file_name for job in jobs if job.file_name]
        for job in jobs:
            job.file_name = None
        return names

    for name in run_in_transaction(services.sessions, forget):
        (services.bulk_jobs.directory / name).unlink(missing_ok=True)
    for path in services.bulk_jobs.directory.iterdir():
        with suppress(FileNotFoundError):  # removed by another process meanwhile
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC)
            if path.is_file() and modified < cutoff:
                path.unlink()


def remove_zips_with_client(services: Services, workspace_id: int | None, client_id: int) -> int:
    """Remove every kept ZIP that holds the client's report; how many were removed.

    For the purge of a client (DESIGN §9: "everything incl. cached PDFs"), called right after
    the purge commits (`workspace_id` None: client ids are never reused, any workspace's
    jobs are looked at); the jobs' rows stay (they name ids only) and their pages say
    "removed".
    """

    def forget(session: Session) -> list[tuple[int, str]]:
        names = []
        for job in bulk_queries.jobs_with_zip(session, workspace_id):
            if client_id in json.loads(job.client_ids) and job.file_name:
                names.append((job.id, job.file_name))
                job.file_name = None
        return names

    names = run_in_transaction(services.sessions, forget)
    for job_id, name in names:
        services.bulk_jobs.zips.forget(job_id, name)
    return len(names)
