"""A workspace's saved cohorts: every read takes the workspace it is scoped to."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxmaturity.store.models import Organization, OrganizationTag, SavedCohort


def cohorts_of(session: Session, workspace_id: int) -> list[SavedCohort]:
    """The workspace's saved cohorts by name."""
    return list(
        session.scalars(
            select(SavedCohort)
            .where(SavedCohort.workspace_id == workspace_id)
            .order_by(SavedCohort.name, SavedCohort.id)
        )
    )


def cohort_in(session: Session, workspace_id: int, cohort_id: int) -> SavedCohort | None:
    """The cohort if it is the workspace's; None for another workspace's, as for none."""
    return session.scalar(
        select(SavedCohort).where(
            SavedCohort.id == cohort_id, SavedCohort.workspace_id == workspace_id
        )
    )


def name_taken(
    session: Session, workspace_id: int, name: str, other_than: int | None = None
) -> bool:
    query = select(SavedCohort.id).where(
        SavedCohort.workspace_id == workspace_id, SavedCohort.name == name
    )
    if other_than is not None:
        query = query.where(SavedCohort.id != other_than)
    return session.scalar(query) is not None


def workspace_tags(
    session: Session, workspace_id: int, visible: Collection[int] | None
) -> list[str]:
    """Every tag of the workspace's clients not archived (within `visible`), once, sorted."""
    query = (
        select(OrganizationTag.tag)
        .join(Organization, Organization.id == OrganizationTag.organization_id)
        .where(Organization.workspace_id == workspace_id, Organization.archived_at.is_(None))
        .group_by(OrganizationTag.tag)
        .order_by(OrganizationTag.tag)
    )
    if visible is not None:
        query = query.where(Organization.id.in_(list(visible)))
    return list(session.scalars(query))
