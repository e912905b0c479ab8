"""Workspace-export jobs at work: run one, keep its file 24 hours, say whether it still lives.

`run_job(services, job_id)` is the job, a plain function over its id: an RQ worker runs
it ("workspace_export" on the `exports` queue, jobs/queue.py) when CXM_REDIS_URL is
set, else `ExportJobs` runs it in this process's background thread. It loads the job's
creator as they are now and calls the very functions of the downloads
(services/exports.py) with their grants, so the file is exactly the download's: the same
clients, the same anonymity rules, the same audit line. Files are kept KEEP_FILES in
the instance folder and, with Redis, in Redis (`cxm:export:<job id>`), so that every app
host can serve them; a purge of a client removes every file of its workspace.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING

from redis import Redis
from sqlalchemy.orm import Session

from cxmaturity.domain.access import Actor, Forbidden, NotVisible
from cxmaturity.domain.statuses import (
    UNFINISHED_EXPORT_JOB_STATUSES,
    ExportFormat,
    ExportJobError,
    ExportJobStatus,
)
from cxmaturity.services import exports
from cxmaturity.services.access import load_actor
from cxmaturity.services.bulk_jobs import QUEUED_STALE_AFTER, STALE_AFTER, this_runner
from cxmaturity.services.bulk_zips import SharedZips
from cxmaturity.services.errors import StorageUnavailable
from cxmaturity.store.database import run_in_transaction
from cxmaturity.store.models import ExportJob, Workspace
from cxmaturity.store.queries import export_jobs as job_queries

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

KEEP_FILES = datetime.timedelta(hours=24)
EXPORT_KEY = "cxm:export:{job_id}"
PROGRESS_SECONDS = 1.0
"""At most one progress write a second: the page refreshes every two seconds."""
logger = logging.getLogger(__name__)


def file_suffix(export_format: str, table_name: str | None) -> str:
    if export_format == ExportFormat.XLSX:
        return "xlsx"
    return "csv" if table_name else "zip"


def file_name(job_id: int, export_format: str, table_name: str | None) -> str:
    """The job's file in the export folder."""
    return f"export-{job_id}.{file_suffix(export_format, table_name)}"


class ExportJobs:
    """This process's background thread for export jobs, and where their files are kept."""

    def __init__(self, directory: Path, *, redis: Redis | None = None) -> None:
        self.redis = redis
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.files = SharedZips(self.directory, redis, KEEP_FILES, key=EXPORT_KEY)
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._active: set[int] = set()

    def expect(self, job_id: int) -> None:
        """Count the job as this process's before its row is committed, so that no page
        read in between takes it for interrupted."""
        with self._lock:
            self._active.add(job_id)

    def submit(self, services: Services, job_id: int) -> Future:
        """Run the job in the background; returns at once (call it after the commit)."""
        with self._lock:
            if self._executor is None:
                # One at a time: an export of a large workspace takes a core for minutes.
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="exports")
            self._active.add(job_id)
            return self._executor.submit(self._run, services, job_id)

    def _run(self, services: Services, job_id: int) -> None:
        try:
            remove_old_files(services, services.now())
            run_job(services, job_id)
        except Exception:  # run_job records its own failures; this is the clean-up's
            logger.exception("export job %s", job_id)
        finally:
            with self._lock:
                self._active.discard(job_id)

    def runner_name(self) -> str | None:
        """The runner a new job records: this process, or nobody yet when a worker of the
        Redis queue will take it."""
        return None if self.redis is not None else this_runner()

    def alive(self, job: ExportJob, now: datetime.datetime) -> bool:
        """Whether the unfinished job is still queued or running somewhere."""
        if job.runner is None and job.status == ExportJobStatus.QUEUED:
            return now - job.created_at < QUEUED_STALE_AFTER
        if job.runner == this_runner():
            with self._lock:
                return job.id in self._active
        host, _, pid = (job.runner or "").rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not _process_exists(int(pid)):
            return False
        # A worker that lives but no longer reports (its job lost the database) is
        # given up after STALE_AFTER, as a job of another host is.
        return now - (job.heartbeat_at or job.created_at) < STALE_AFTER

    def shutdown(self) -> None:
        """Finish the job under way."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: it exists
        return True
    return True


def run_job(services: Services, job_id: int) -> None:
    """Make the job's file and record how it went; a job not queued is left alone.

    Raises StorageUnavailable only when the job could not even be taken (the database
    is down): the queue then tries it again, and lists it as failed in the end.
    """
    taken = run_in_transaction(services.sessions, lambda session: _take(session, services, job_id))
    if taken is None:
        return
    slug, creator_user_id, export_format, table_name = taken
    final = services.export_jobs.directory / file_name(job_id, export_format, table_name)
    draft = final.with_name(f".{final.name}.part")
    progress = _Progress(services, job_id)
    try:
        actor = load_actor(services.sessions, creator_user_id)
        if actor is None:
            raise Forbidden
        with draft.open("wb") as out:
            _write(services, actor, slug, export_format, table_name, out, progress)
        os.replace(draft, final)
    except (Forbidden, NotVisible):
        _fail(services, job_id, ExportJobError.NOT_ALLOWED)
    except StorageUnavailable:
        _fail(services, job_id, ExportJobError.STORAGE)
    except Exception:
        logger.exception("export job %s failed", job_id)
        _fail(services, job_id, ExportJobError.UNEXPECTED)
    else:
        services.export_jobs.files.publish(job_id, final)
        try:
            kept = run_in_transaction(
                services.sessions,
                lambda session: _finish(session, services, job_id, final, progress.rows),
            )
        except StorageUnavailable:
            kept = False
            _fail(services, job_id, ExportJobError.STORAGE)
        if not kept:  # a purge came in between, or the job could not be marked done
            services.export_jobs.files.forget(job_id, final.name)
    finally:
        draft.unlink(missing_ok=True)


def _write(
    services: Services,
    actor: Actor,
    slug: str,
    export_format: str,
    table_name: str | None,
    out: IO[bytes],
    progress: exports.Progress,
) -> None:
    """The job's file, written by the download's own function."""
    common = (services.sessions, services.catalogue, actor, slug)
    now = services.now()
    if export_format == ExportFormat.XLSX:
        exports.write_workspace_xlsx(*common, out, now=now, progress=progress)
    elif table_name:
        exports.write_table_csv(*common, table_name, out, now=now, progress=progress)
    else:
        exports.write_csv_zip(*common, out, now=now, progress=progress)


class _Progress:
    """The job's progress as the export reports it, written to its row at most once a
    PROGRESS_SECONDS; the last counts are kept for the row of the finished job."""

    def __init__(self, services: Services, job_id: int) -> None:
        self.services, self.job_id = services, job_id
        self.rows = 0
        self._written_at = 0.0

    def __call__(self, tables_done: int, rows_done: int) -> None:
        self.rows = rows_done
        if time.monotonic() - self._written_at < PROGRESS_SECONDS:
            return
        self._written_at = time.monotonic()
        try:
            run_in_transaction(
                self.services.sessions,
                lambda session: job_queries.record_progress(
                    session, self.job_id, tables_done, rows_done, self.services.now()
                ),
            )
        except StorageUnavailable:  # the progress shown lags; the export goes on
            logger.warning("export job %s: progress not saved", self.job_id)


def _take(
    session: Session, services: Services, job_id: int
) -> tuple[str, int, str, str | None] | None:
    job = session.get(ExportJob, job_id, with_for_update=True)
    if job is None or job.status != ExportJobStatus.QUEUED:
        return None
    job.status = ExportJobStatus.RUNNING.value
    job.runner = this_runner()
    job.heartbeat_at = services.now()
    slug = session.get_one(Workspace, job.workspace_id).slug
    return slug, job.creator_user_id, job.format, job.table_name


def _finish(session: Session, services: Services, job_id: int, path: Path, rows_done: int) -> bool:
    """Mark the job done with its file; False (and failed) when a purge marked it meanwhile."""
    job = session.get_one(ExportJob, job_id, with_for_update=True)
    job.finished_at = services.now()
    if job.error:  # a client was purged while the file was made: it may hold the client
        job.status = ExportJobStatus.FAILED.value
        return False
    job.status = ExportJobStatus.DONE.value
    job.done_count = job.total
    job.rows_done = rows_done
    job.file_name = path.name
    return True


def _fail(services: Services, job_id: int, error: ExportJobError) -> None:
    def write(session: Session) -> None:
        job = session.get_one(ExportJob, job_id)
        job.status = ExportJobStatus.FAILED.value
        job.error = error.value
        job.finished_at = services.now()

    try:
        run_in_transaction(services.sessions, write)
    except StorageUnavailable:  # the page shows it interrupted once it no longer reports
        logger.error("export job %s failed (%s) and could not be marked", job_id, error)


def is_interrupted(services: Services, job: ExportJob) -> bool:
    """Whether the job is unfinished although nobody runs it any more (the app restarted)."""
    return job.status in UNFINISHED_EXPORT_JOB_STATUSES and not services.export_jobs.alive(
        job, services.now()
    )


def mark_interrupted(services: Services, job_ids: Sequence[int]) -> None:
    """Mark these jobs failed, "interrupted", unless they finished meanwhile."""
    if not job_ids:
        return

    def write(session: Session) -> None:
        for job_id in job_ids:
            job = session.get(ExportJob, job_id, with_for_update=True)
            if job is not None and is_interrupted(services, job):
                job.status = ExportJobStatus.FAILED.value
                job.error = ExportJobError.INTERRUPTED.value
                job.finished_at = services.now()

    run_in_transaction(services.sessions, write)


def remove_old_files(services: Services, now: datetime.datetime) -> None:
    """Remove the files (and drafts of interrupted jobs) older than KEEP_FILES."""
    cutoff = now - KEEP_FILES

    def forget(session: Session) -> list[tuple[int, str]]:
        jobs = job_queries.finished_before(session, cutoff)
        names = [(job.id, job.file_name) for job in jobs if job.file_name]
        for job in jobs:
            job.file_name = None
        return names

    for job_id, name in run_in_transaction(services.sessions, forget):
        services.export_jobs.files.forget(job_id, name)
    for path in services.export_jobs.directory.iterdir():
        with suppress(FileNotFoundError):  # removed by another process meanwhile
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC)
            if path.is_file() and modified < cutoff:
                path.unlink()


def remove_files_of_workspace(services: Services, workspace_id: int) -> int:
    """Remove every kept export file of the workspace; how many were removed.

    For the purge of a client (DESIGN §9: "everything"), called right after the purge
    commits: a workspace's files hold every client their creator saw. A job running
    now may have read the client before the purge: it is marked, so that it drops its file
    when done. A job still queued reads after the purge and is left alone.
    """

    def forget(session: Session) -> list[tuple[int, str]]:
        names = []
        for job in job_queries.jobs_of_workspace_to_forget(session, workspace_id):
            if job.file_name:
                names.append((job.id, job.file_name))
                job.file_name = None
            if job.status == ExportJobStatus.RUNNING:
                job.error = ExportJobError.CLIENT_PURGED.value
        return names

    names = run_in_transaction(services.sessions, forget)
    for job_id, name in names:
        services.export_jobs.files.forget(job_id, name)
    return len(names)
