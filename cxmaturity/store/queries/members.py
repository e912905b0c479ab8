"""A workspace's members and the clients a limited consultant may be listed for.

Every query here is scoped by the workspace id: a member id of another
workspace finds nothing, exactly like an unknown one.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from cxmaturity.store.models import Organization, Workspace, WorkspaceMember


def lock_workspace(session: Session, workspace_id: int) -> None:
    """Hold the workspace's row until the transaction ends.

    Changes of members run one after another per workspace, so two owners who
    demote each other at once cannot leave the workspace without an owner. (On
    SQLite every writing transaction already holds the database's write lock.)
    """
    session.execute(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())


def members_of(session: Session, workspace_id: int) -> list[WorkspaceMember]:
    """Every member with their user and listed clients, owners first, then by e-mail."""
    return list(
        session.scalars(
            select(WorkspaceMember)
            .where(WorkspaceMember.workspace_id == workspace_id)
            .options(joinedload(WorkspaceMember.user), selectinload(WorkspaceMember.listed_clients))
            .order_by(WorkspaceMember.id)
        ).unique()
    )


def member_in(session: Session, workspace_id: int, member_id: int) -> WorkspaceMember | None:
    """The member `member_id` if it belongs to this workspace."""
    return session.scalar(
        select(WorkspaceMember)
        .where(WorkspaceMember.id == member_id, WorkspaceMember.workspace_id == workspace_id)
        .options(joinedload(WorkspaceMember.user), selectinload(WorkspaceMember.listed_clients))
    )


def member_of_user(session: Session, workspace_id: int, user_id: int) -> WorkspaceMember | None:
    return session.scalar(
        select(WorkspaceMember).where(
            WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.user_id == user_id
        )
    )


def count_with_role(session: Session, workspace_id: int, role: str) -> int:
    return session.scalar(
        select(func.count())
        .select_from(WorkspaceMember)
        .where(WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.role == role)
    )


def clients_of(session: Session, workspace_id: int) -> list[tuple[int, str, bool]]:
    """(id, name, archived) of every client of the workspace, by name."""
    rows = session.execute(
        select(Organization.id, Organization.name, Organization.archived_at.is_not(None))
        .where(Organization.workspace_id == workspace_id)
        .order_by(func.lower(Organization.name), Organization.id)
    )
    return [(client_id, name, archived) for client_id, name, archived in rows]


def client_ids_in(session: Session, workspace_id: int, client_ids: Iterable[int]) -> set[int]:
    """Those of `client_ids` that are clients of this workspace."""
    wanted = set(client_ids)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Organization.id).where(
                Organization.workspace_id == workspace_id, Organization.id.in_(wanted)
            )
        )
    )
