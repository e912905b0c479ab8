"""Users, their workspace memberships and client-staff roles."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from cxmaturity.store.models import Membership, Organization, User, Workspace, WorkspaceMember


def user_by_email(session: Session, email: str) -> User | None:
    """The user with this email address, whatever its letter case."""
    return session.scalars(
        select(User).where(func.lower(User.email) == func.lower(email.strip()))
    ).one_or_none()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def workspace_memberships(session: Session, user_id: int) -> list[WorkspaceMember]:
    """The user's workspace memberships, each with its listed clients."""
    return list(
        session.scalars(
            select(WorkspaceMember)
            .where(WorkspaceMember.user_id == user_id)
            .options(selectinload(WorkspaceMember.listed_clients))
        )
    )


def client_memberships(session: Session, user_id: int) -> list[tuple[Membership, int]]:
    """The user's client-staff roles, each with the workspace id of its organization."""
    rows = session.execute(
        select(Membership, Organization.workspace_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user_id)
    )
    return [(membership, workspace_id) for membership, workspace_id in rows]


def workspace_by_slug(session: Session, slug: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.slug == slug))
