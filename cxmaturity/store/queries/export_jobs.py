"""Workspace-export jobs: every read takes the workspace it is scoped to (or says it reads all)."""

from __future__ import annotations

import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import UNFINISHED_EXPORT_JOB_STATUSES, ExportJobStatus
from cxmaturity.store.models import ExportJob

RECENT_JOBS = 5


def job_in(
    session: Session, workspace_id: int, job_id: int, creator_user_id: int
) -> ExportJob | None:
    """The job if it is of this workspace and was asked for by this user; else None."""
    return session.scalars(
        select(ExportJob).where(
            ExportJob.id == job_id,
            ExportJob.workspace_id == workspace_id,
            ExportJob.creator_user_id == creator_user_id,
        )
    ).one_or_none()


def recent_jobs(session: Session, workspace_id: int, creator_user_id: int) -> list[ExportJob]:
    """The user's latest jobs in the workspace, newest first."""
    return list(
        session.scalars(
            select(ExportJob)
            .where(
                ExportJob.workspace_id == workspace_id,
                ExportJob.creator_user_id == creator_user_id,
            )
            .order_by(ExportJob.id.desc())
            .limit(RECENT_JOBS)
        )
    )


def record_progress(
    session: Session, job_id: int, tables_done: int, rows_done: int, heartbeat: datetime.datetime
) -> None:
    session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id)
        .values(done_count=tables_done, rows_done=rows_done, heartbeat_at=heartbeat)
    )


def finished_before(session: Session, moment: datetime.datetime) -> list[ExportJob]:
    """Done jobs with a file that finished before `moment` (for the clean-up of old files)."""
    return list(
        session.scalars(
            select(ExportJob).where(
                ExportJob.file_name.is_not(None),
                ExportJob.finished_at < moment,
                ExportJob.status == ExportJobStatus.DONE.value,
            )
        )
    )


def jobs_of_workspace_to_forget(session: Session, workspace_id: int) -> list[ExportJob]:
    """The workspace's jobs with a kept file or still unfinished, locked (for a purge)."""
    return list(
        session.scalars(
            select(ExportJob)
            .where(
                ExportJob.workspace_id == workspace_id,
                ExportJob.file_name.is_not(None)
                | ExportJob.status.in_([status.value for status in UNFINISHED_EXPORT_JOB_STATUSES]),
            )
            .with_for_update()
        )
    )
