"""Bulk PDFs for the consultant: choose clients, a period and a language; follow the job; download.

Who may: workspace members with EXPORT (owners and consultants; a consultant limited to
listed clients for those only). A job is its creator's: its ZIP holds exactly the clients
they could see, so anybody else (also of the same workspace) gets NotVisible (404), the
same answer as for an unknown id. The rendering is in bulk_render.py, the job's life in
bulk_jobs.py.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy.orm import Session

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.periods import is_period
from cxmaturity.domain.statuses import BulkJobError, BulkJobStatus, Language
from cxmaturity.jobs.queue import enqueue
from cxmaturity.services.access import workspace_for
from cxmaturity.services.bulk_jobs import is_interrupted, mark_interrupted
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import BulkReportJob, Workspace
from cxmaturity.store.queries import bulk_reports as bulk_queries
from cxmaturity.store.queries import clients as client_queries

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

MAX_CLIENTS = 2000
"""More clients than any workspace has: a longer list is a script gone wrong."""


class JobNotReady(Exception):
    """The job is still queued or running: there is no ZIP yet."""


class JobFailed(Exception):
    """The job failed: nothing to download; start it again."""


class ZipRemoved(Exception):
    """The job's ZIP was removed (after bulk_jobs.KEEP_ZIPS): start it again."""


@dataclass(frozen=True)
class ClientChoice:
    id: int
    name: str


@dataclass(frozen=True)
class JobView:
    id: int
    status: BulkJobStatus
    period: str
    language: str
    total: int
    done_count: int
    error: BulkJobError | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    client_ids: tuple[int, ...]
    has_zip: bool
    """Whether the ZIP is kept (on this host or in Redis); not before the job is done nor
    after its removal."""
    file_name: str | None

    @property
    def finished(self) -> bool:
        return self.status in (BulkJobStatus.DONE, BulkJobStatus.FAILED)

    @property
    def percent(self) -> int:
        return 100 * self.done_count // self.total if self.total else 100


@dataclass(frozen=True)
class BulkChoices:
    """The form: the clients the actor sees, the periods with closed assessments, recent jobs."""

    workspace_slug: str
    workspace_name: str
    clients: tuple[ClientChoice, ...]
    periods: tuple[str, ...]
    recent: tuple[JobView, ...]


@dataclass(frozen=True)
class JobPage:
    workspace_slug: str
    workspace_name: str
    job: JobView


def bulk_choices(services: Services, actor: Actor | None, slug: str) -> BulkChoices:
    """What the bulk-report form offers; raises NotVisible or Forbidden (a viewer)."""

    def read(session: Session) -> BulkChoices:
        workspace = workspace_for(session, actor, slug, Permission.EXPORT)
        assert actor is not None
        visible = actor.visible_clients(workspace.id)
        jobs = bulk_queries.recent_jobs(session, workspace.id, actor.user_id)
        return BulkChoices(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            clients=tuple(
                ClientChoice(client.id, client.name)
                for client in client_queries.clients_of(session, workspace.id, visible)
            ),
            periods=tuple(bulk_queries.closed_periods(session, workspace.id)),
            recent=tuple(_view(services, job) for job in jobs),
        )

    choices = run_reading(services.sessions, read)
    _record_interrupted(services, choices.recent)
    return choices


def _record_interrupted(services: Services, jobs: Sequence[JobView]) -> None:
    # Shown as interrupted already; written down so that every page agrees from now on.
    mark_interrupted(
        services,
        [
            job.id
            for job in jobs
            if job.error is BulkJobError.INTERRUPTED and job.finished_at is None
        ],
    )


def start_job(
    services: Services,
    actor: Actor | None,
    slug: str,
    client_ids: Sequence[str],
    period: str,
    language: str,
) -> int:
    """Queue the job and start it in the background; its id.

    Raises NotVisible (the workspace, or any client the actor may not see), Forbidden (a
    viewer), and InvalidInput: `clients` none chosen or not ids, `period` not a period
    like 2026-Q3, `language` not de or en. Nothing is written then.
    """
    ids = _client_ids(client_ids)
    if not is_period(period):
        raise InvalidInput("period", "is not a period like 2026-Q3")
    if language not in tuple(Language):
        raise InvalidInput("language", "is not de or en")

    def create(session: Session) -> int:
        workspace = workspace_for(session, actor, slug, Permission.EXPORT)
        assert actor is not None
        known = bulk_queries.client_names(session, workspace.id, ids)
        for client_id in ids:
            if client_id not in known:
                raise NotVisible
            actor.require(Permission.EXPORT, workspace.id, client_id)
        job = BulkReportJob(
            workspace_id=workspace.id,
            creator_user_id=actor.user_id,
            period=period,
            language=language,
            client_ids=json.dumps(ids),
            status=BulkJobStatus.QUEUED.value,
            total=len(ids),
            done_count=0,
            runner=services.bulk_jobs.runner_name(),
            heartbeat_at=services.now(),
            created_at=services.now(),
        )
        session.add(job)
        session.flush()
        if job.runner is not None:
            services.bulk_jobs.expect(job.id)
        enqueue(session, "bulk_report", job.id)  # sent once the row is committed
        return job.id

    return run_in_transaction(services.sessions, create)


def _client_ids(values: Sequence[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        if not str(value).strip().isdigit():
            raise InvalidInput("clients", "are not client ids")
        if int(value) not in ids:
            ids.append(int(value))
    if not ids:
        raise InvalidInput("clients", "none chosen")
    if len(ids) > MAX_CLIENTS:
        raise InvalidInput("clients", f"more than {MAX_CLIENTS}")
    return ids


def job_page(services: Services, actor: Actor | None, slug: str, job_id: int) -> JobPage:
    """The job's progress; raises NotVisible for another's job or another workspace's."""

    def read(session: Session) -> JobPage:
        workspace, job = _own_job(session, actor, slug, job_id)
        return JobPage(workspace.slug, workspace.name, _view(services, job))

    page = run_reading(services.sessions, read)
    _record_interrupted(services, [page.job])
    return page


def job_zip(
    services: Services, actor: Actor | None, slug: str, job_id: int
) -> tuple[Path | BinaryIO, str]:
    """The job's ZIP (its file, or its bytes where another host made it) and the name to
    download it as.

    Raises NotVisible, JobNotReady, JobFailed, ZipRemoved.
    """
    job = job_page(services, actor, slug, job_id).job
    if job.status is BulkJobStatus.FAILED:
        raise JobFailed
    if job.status is not BulkJobStatus.DONE:
        raise JobNotReady
    source = services.bulk_jobs.zips.open(job.id, job.file_name) if job.has_zip else None
    if source is None:
        raise ZipRemoved
    return source, f"Reports_{job.period}_{job.language}.zip"


def _own_job(
    session: Session, actor: Actor | None, slug: str, job_id: int
) -> tuple[Workspace, BulkReportJob]:
    # Anybody's but the creator's answer is NotVisible, also a viewer's (who never has one).
    workspace = workspace_for(session, actor, slug)
    assert actor is not None
    job = bulk_queries.job_in(session, workspace.id, job_id, actor.user_id)
    if job is None:
        raise NotVisible
    actor.require(Permission.EXPORT, workspace.id)  # the creator, since made a viewer
    return workspace, job


def _view(services: Services, job: BulkReportJob) -> JobView:
    interrupted = is_interrupted(services, job)
    return JobView(
        id=job.id,
        status=BulkJobStatus.FAILED if interrupted else BulkJobStatus(job.status),
        period=job.period,
        language=job.language,
        total=job.total,
        done_count=job.done_count,
        error=BulkJobError.INTERRUPTED if interrupted else _error(job.error),
        created_at=job.created_at,
        finished_at=job.finished_at,
        client_ids=tuple(json.loads(job.client_ids)),
        has_zip=services.bulk_jobs.zips.has(job.id, job.file_name),
        file_name=job.file_name,
    )


def _error(code: str | None) -> BulkJobError | None:
    return BulkJobError(code) if code else None
