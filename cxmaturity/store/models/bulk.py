"""Bulk-report jobs: a ZIP of many clients' PDF reports, rendered in the background."""

from __future__ import annotations

import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxmaturity.domain.statuses import BulkJobStatus
from cxmaturity.store.models.base import LANGUAGES, Base, UtcDateTime, one_of, utc_now


class BulkReportJob(Base):
    """One request for the reports of chosen clients of a period, in one language.

    The row is the job's whole state, so that a worker of another process (RQ, later)
    can run it by its id alone, and a page can show its progress from any process.
    """

    __tablename__ = "bulk_report_jobs"
    __table_args__ = (
        CheckConstraint(one_of("status", BulkJobStatus), name="status"),
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
        CheckConstraint("done_count >= 0 AND done_count <= total", name="done_count"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    # Only its creator sees a job: its ZIP holds exactly the clients they were allowed.
    creator_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(7))
    language: Mapped[str] = mapped_column(String(2))
    # The chosen clients' ids as JSON, in the order the manifest lists them.
    client_ids: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=BulkJobStatus.QUEUED.value)
    total: Mapped[int] = mapped_column(Integer)
    done_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    # The ZIP's file name in the app's bulk-report folder; None before it is done or
    # after it was cleaned up.
    file_name: Mapped[str | None] = mapped_column(String(200))
    # "host:pid" of the process running it, and when it last got on: a job whose
    # process is gone is shown as interrupted instead of running forever.
    runner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
