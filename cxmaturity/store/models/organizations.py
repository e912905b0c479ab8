"""The clients of a workspace and their tags."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxmaturity.domain.statuses import ORGANIZATION_SIZES
from cxmaturity.store.models.base import Base, UtcDateTime, one_of, utc_now

if TYPE_CHECKING:
    from cxmaturity.store.models.accounts import Membership, Workspace
    from cxmaturity.store.models.assessments import Assessment


class Organization(Base):
    """A client company; it belongs to exactly one workspace."""

    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(f"size IS NULL OR {one_of('size', ORGANIZATION_SIZES)}", name="size"),
        # A purged client's id stays its own in the audit log (migration 0009_purge).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # RESTRICT: a workspace with clients is never deleted by accident.
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[str | None] = mapped_column(String(20))
    external_reference: Mapped[str | None] = mapped_column(String(100))
    # Archived clients leave the lists; archiving is undone by clearing this.
    archived_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)

    workspace: Mapped[Workspace] = relationship(back_populates="organizations")
    assessments: Mapped[list[Assessment]] = relationship(back_populates="organization")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True
    )
    tags: Mapped[list[OrganizationTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="OrganizationTag.tag"
    )


class OrganizationTag(Base):
    """A free label on a client ("retail", "pilot"); portfolio filters and cohorts use them."""

    __tablename__ = "organization_tags"
    __table_args__ = (UniqueConstraint("organization_id", "tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(50), index=True)
