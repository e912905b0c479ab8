"""Workspace-export jobs: a whole workspace's tables as XLSX or CSV, made in the background."""

from __future__ import annotations

import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cxmaturity.domain.statuses import ExportFormat, ExportJobStatus
from cxmaturity.store.models.base import Base, UtcDateTime, one_of, utc_now


class ExportJob(Base):
    """One request for a workspace's export file, by one member.

    The row is the job's whole state (a worker runs it by its id alone, any host shows
    its progress). It names no client: the clients in the file are those its creator
    may see when it runs, checked then as for a download.
    """

    __tablename__ = "export_jobs"
    __table_args__ = (
        CheckConstraint(one_of("status", ExportJobStatus), name="status"),
        CheckConstraint(one_of("format", ExportFormat), name="format"),
        CheckConstraint("done_count >= 0 AND done_count <= total", name="done_count"),
        CheckConstraint("rows_done >= 0", name="rows_done"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    # Only its creator sees a job: its file holds exactly the clients they may see.
    creator_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(4))
    # One table's CSV (format csv); None: every table (one workbook, or a ZIP of CSVs).
    table_name: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default=ExportJobStatus.QUEUED.value)
    # Progress: tables written of the tables in the file, and rows written so far.
    total: Mapped[int] = mapped_column(Integer)
    done_count: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    # The file's name in the app's export folder; None before it is done or after removal.
    file_name: Mapped[str | None] = mapped_column(String(200))
    # "host:pid" of the process running it, and when it last got on.
    runner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
