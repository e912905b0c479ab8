"""Client staff: the users with a client_admin or client_viewer role at one organization."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxmaturity.store.models import Membership, Organization, User


def organization_in_workspace(
    session: Session, workspace_id: int, organization_id: int
) -> Organization | None:
    """The client `organization_id` if it belongs to `workspace_id`; else None."""
    return session.scalar(
        select(Organization).where(
            Organization.id == organization_id, Organization.workspace_id == workspace_id
        )
    )


def staff_of(session: Session, organization_id: int) -> list[tuple[User, Membership]]:
    rows = session.execute(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id)
        .order_by(User.display_name, User.id)
    )
    return [(user, membership) for user, membership in rows]


def membership(session: Session, organization_id: int, user_id: int) -> Membership | None:
    return session.get(Membership, (user_id, organization_id))
