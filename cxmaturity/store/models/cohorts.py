"""Saved cohorts: a workspace's named portfolio filters (industry, size, tags, questionnaire)."""

from __future__ import annotations

import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxmaturity.store.models.base import Base, UtcDateTime, utc_now


class SavedCohort(Base):
    """A named filter of a workspace's clients; the portfolio and a client's cohort view use it.

    It stores the filter, not the clients: whoever matches it in a period is the cohort.
    """

    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    major: Mapped[str] = mapped_column(String(10))
    industry: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[str | None] = mapped_column(String(20))
    # A list of tags, every one of which a client must carry; small, and always read whole.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
