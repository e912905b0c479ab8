"""Bulk-report jobs and what they render: every read takes the workspace it is scoped to."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cxmaturity.domain.statuses import AssessmentStatus, BulkJobStatus
from cxmaturity.store.models import Assessment, BulkReportJob, Organization

RECENT_JOBS = 5


def job_in(
    session: Session, workspace_id: int, job_id: int, creator_user_id: int
) -> BulkReportJob | None:
    """The job if it is of this workspace and was started by this user; else None."""
    return session.scalars(
        select(BulkReportJob).where(
            BulkReportJob.id == job_id,
            BulkReportJob.workspace_id == workspace_id,
            BulkReportJob.creator_user_id == creator_user_id,
        )
    ).one_or_none()


def recent_jobs(session: Session, workspace_id: int, creator_user_id: int) -> list[BulkReportJob]:
    """The user's latest jobs in the workspace, newest first."""
    return list(
        session.scalars(
            select(BulkReportJob)
            .where(
                BulkReportJob.workspace_id == workspace_id,
                BulkReportJob.creator_user_id == creator_user_id,
            )
            .order_by(BulkReportJob.id.desc())
            .limit(RECENT_JOBS)
        )
    )


def closed_periods(session: Session, workspace_id: int) -> list[str]:
    """The periods with a closed assessment in the workspace, newest first."""
    return list(
        session.scalars(
            select(Assessment.period)
            .join(Organization, Organization.id == Assessment.organization_id)
            .where(
                Organization.workspace_id == workspace_id,
                Assessment.status == AssessmentStatus.CLOSED.value,
            )
            .distinct()
            .order_by(Assessment.period.desc())
        )
    )


def latest_closed_of_period(
    session: Session, workspace_id: int, client_ids: Collection[int], period: str
) -> dict[int, int]:
    """Per client (of these, in this workspace) its latest closed assessment of `period`.

    One query whatever the number of clients. "Latest" is the one closed last (a client
    may have assessed the period with two questionnaires).
    """
    rows = session.execute(
        select(Assessment.organization_id, Assessment.id)
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(
            Organization.workspace_id == workspace_id,
            Organization.id.in_(client_ids),
            Assessment.period == period,
            Assessment.status == AssessmentStatus.CLOSED.value,
        )
        .order_by(
            Assessment.organization_id,
            func.coalesce(Assessment.closed_at, Assessment.created_at),
            Assessment.id,
        )
    )
    latest: dict[int, int] = {}
    for organization_id, assessment_id in rows:
        latest[organization_id] = assessment_id  # ordered: the last one wins
    return latest


def client_names(
    session: Session, workspace_id: int, client_ids: Collection[int]
) -> dict[int, str]:
    return dict(
        session.execute(
            select(Organization.id, Organization.name).where(
                Organization.workspace_id == workspace_id, Organization.id.in_(client_ids)
            )
        ).all()
    )


def record_progress(
    session: Session, job_id: int, done_count: int, heartbeat: datetime.datetime
) -> None:
    session.execute(
        update(BulkReportJob)
        .where(BulkReportJob.id == job_id)
        .values(done_count=done_count, heartbeat_at=heartbeat)
    )


def finished_before(session: Session, moment: datetime.datetime) -> list[BulkReportJob]:
    """Jobs with a ZIP that finished before `moment` (for the clean-up of old ZIPs)."""
    return list(
        session.scalars(
            select(BulkReportJob).where(
                BulkReportJob.file_name.is_not(None),
                BulkReportJob.finished_at < moment,
                BulkReportJob.status == BulkJobStatus.DONE.value,
            )
        )
    )


def jobs_with_zip(session: Session, workspace_id: int | None) -> list[BulkReportJob]:
    """The workspace's jobs whose ZIP is still kept (every workspace's with None)."""
    query = select(BulkReportJob).where(BulkReportJob.file_name.is_not(None))
    if workspace_id is not None:
        query = query.where(BulkReportJob.workspace_id == workspace_id)
    return list(session.scalars(query))
