"""A workspace's exports as background jobs (issue 12): ask for one, follow it, download its file.

Who may: as for the downloads (services/exports.py) — owners and consultants of the
workspace (Permission.EXPORT); a viewer is refused (403), anyone outside gets NotVisible
(404). A job is its creator's: its file holds exactly the clients they may see, so
anybody else, also of the same workspace, gets NotVisible, the same answer as for an
unknown id. How a job runs, and where its file is kept, is in export_job_runs.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy.orm import Session

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.statuses import ExportFormat, ExportJobError, ExportJobStatus
from cxmaturity.jobs.queue import enqueue
from cxmaturity.services.access import workspace_for
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.services.export_columns import TABLE_NAMES
from cxmaturity.services.export_job_runs import (
    file_name,
    file_suffix,
    is_interrupted,
    mark_interrupted,
)
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import ExportJob, Workspace
from cxmaturity.store.queries import export_jobs as job_queries

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "csv": "text/csv",
}


class ExportNotReady(Exception):
    """The job is still queued or running: there is no file yet."""


class ExportFailed(Exception):
    """The job failed: nothing to download; ask for it again."""


class ExportRemoved(Exception):
    """The job's file was removed (after a day, or by a client's purge): ask again."""


@dataclass(frozen=True)
class ExportJobView:
    id: int
    format: ExportFormat
    table_name: str | None
    status: ExportJobStatus
    total: int
    """Tables in the file."""
    done_count: int
    """Tables written."""
    rows_done: int
    error: ExportJobError | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    has_file: bool
    """Whether the file is kept (on this host or in Redis): not before the job is done
    nor after its removal."""
    download_name: str
    """`<slug>-<date>.xlsx`, `<slug>-csv-<date>.zip`, `<slug>-<table>-<date>.csv`: the
    downloads' names, dated the day the job was asked for."""

    @property
    def finished(self) -> bool:
        return self.status in (ExportJobStatus.DONE, ExportJobStatus.FAILED)

    @property
    def percent(self) -> int:
        return 100 * self.done_count // self.total if self.total else 100

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.download_name.rsplit(".", 1)[1]]


@dataclass(frozen=True)
class ExportJobPage:
    workspace_slug: str
    workspace_name: str
    job: ExportJobView


def start_job(
    services: Services,
    actor: Actor | None,
    slug: str,
    export_format: str,
    table_name: str | None = None,
) -> int:
    """Queue the export and start it in the background (after the commit); its id.

    `export_format` is "xlsx" (every table) or "csv" (a ZIP of every table's CSV, or one
    table's CSV when `table_name` names it). Raises NotVisible, Forbidden (a viewer), and
    InvalidInput: `format` neither, `table` unknown or given with xlsx. Nothing is
    written then.
    """
    if export_format not in tuple(ExportFormat):
        raise InvalidInput("format", "is not xlsx or csv")
    if table_name is not None:
        if table_name not in TABLE_NAMES:
            raise InvalidInput("table", f"is not one of {', '.join(TABLE_NAMES)}")
        if export_format != ExportFormat.CSV:
            raise InvalidInput("table", "one table is a CSV; a workbook has every table")

    def create(session: Session) -> int:
        workspace = workspace_for(session, actor, slug, Permission.EXPORT)
        assert actor is not None
        job = ExportJob(
            workspace_id=workspace.id,
            creator_user_id=actor.user_id,
            format=export_format,
            table_name=table_name,
            status=ExportJobStatus.QUEUED.value,
            total=1 if table_name else len(TABLE_NAMES),
            done_count=0,
            rows_done=0,
            runner=services.export_jobs.runner_name(),
            heartbeat_at=services.now(),
            created_at=services.now(),
        )
        session.add(job)
        session.flush()
        if job.runner is not None:
            services.export_jobs.expect(job.id)
        enqueue(session, "workspace_export", job.id)  # sent once the row is committed
        return job.id

    return run_in_transaction(services.sessions, create)


def job_page(services: Services, actor: Actor | None, slug: str, job_id: int) -> ExportJobPage:
    """The job's progress; raises NotVisible for another's job or another workspace's."""

    def read(session: Session) -> ExportJobPage:
        workspace, job = _own_job(session, actor, slug, job_id)
        return ExportJobPage(workspace.slug, workspace.name, _view(services, workspace, job))

    page = run_reading(services.sessions, read)
    _record_interrupted(services, [page.job])
    return page


def recent_jobs(services: Services, actor: Actor | None, slug: str) -> tuple[ExportJobView, ...]:
    """The actor's latest export jobs in the workspace, newest first (for the exports page)."""

    def read(session: Session) -> tuple[ExportJobView, ...]:
        workspace = workspace_for(session, actor, slug, Permission.EXPORT)
        assert actor is not None
        jobs = job_queries.recent_jobs(session, workspace.id, actor.user_id)
        return tuple(_view(services, workspace, job) for job in jobs)

    views = run_reading(services.sessions, read)
    _record_interrupted(services, views)
    return views


def job_file(
    services: Services, actor: Actor | None, slug: str, job_id: int
) -> tuple[Path | BinaryIO, ExportJobView]:
    """The job's file (on this host, or its bytes where another host made it) and the job.

    Raises NotVisible, ExportNotReady, ExportFailed, ExportRemoved.
    """
    job = job_page(services, actor, slug, job_id).job
    if job.status is ExportJobStatus.FAILED:
        raise ExportFailed
    if job.status is not ExportJobStatus.DONE:
        raise ExportNotReady
    name = file_name(job.id, job.format, job.table_name)
    source = services.export_jobs.files.open(job.id, name) if job.has_file else None
    if source is None:
        raise ExportRemoved
    return source, job


def _record_interrupted(services: Services, jobs: Sequence[ExportJobView]) -> None:
    # Shown as interrupted already; written down so that every page agrees from now on.
    mark_interrupted(
        services,
        [
            job.id
            for job in jobs
            if job.error is ExportJobError.INTERRUPTED and job.finished_at is None
        ],
    )


def _own_job(
    session: Session, actor: Actor | None, slug: str, job_id: int
) -> tuple[Workspace, ExportJob]:
    # Anybody's but the creator's answer is NotVisible, also a viewer's (who never has one).
    workspace = workspace_for(session, actor, slug)
    assert actor is not None
    job = job_queries.job_in(session, workspace.id, job_id, actor.user_id)
    if job is None:
        raise NotVisible
    actor.require(Permission.EXPORT, workspace.id)  # the creator, since made a viewer
    return workspace, job


def _view(services: Services, workspace: Workspace, job: ExportJob) -> ExportJobView:
    interrupted = is_interrupted(services, job)
    suffix = file_suffix(job.format, job.table_name)
    day = job.created_at.date().isoformat()
    if job.table_name:
        download = f"{workspace.slug}-{job.table_name}-{day}.csv"
    elif suffix == "zip":
        download = f"{workspace.slug}-csv-{day}.zip"
    else:
        download = f"{workspace.slug}-{day}.xlsx"
    status = ExportJobStatus(job.status)
    return ExportJobView(
        id=job.id,
        format=ExportFormat(job.format),
        table_name=job.table_name,
        status=ExportJobStatus.FAILED if interrupted else status,
        total=job.total,
        done_count=job.done_count,
        rows_done=job.rows_done,
        error=ExportJobError.INTERRUPTED if interrupted else _error(job.error, status),
        created_at=job.created_at,
        finished_at=job.finished_at,
        has_file=services.export_jobs.files.has(job.id, job.file_name),
        download_name=download,
    )


def _error(code: str | None, status: ExportJobStatus) -> ExportJobError | None:
    # A running job marked by a purge has its error already; it is shown once it failed.
    if not code or status is not ExportJobStatus.FAILED:
        return None
    return ExportJobError(code)
