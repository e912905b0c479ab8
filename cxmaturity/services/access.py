"""The actor of a request, and the workspace they asked for, loaded and checked in one place.

Every service that shows or changes client data starts here: it loads the
workspace by slug through `workspace_for`, which answers NotVisible (404) for
a workspace the actor does not belong to exactly as for one that does not
exist, and then asks `actor.require(permission, workspace.id, client_id)`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, ClientGrant, NotVisible, Permission, WorkspaceGrant
from cxmaturity.domain.statuses import ClientRole, WorkspaceRole
from cxmaturity.store.database import run_reading
from cxmaturity.store.models import Organization, Workspace
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import clients as client_queries


def load_actor(sessions: sessionmaker[Session], user_id: int) -> Actor | None:
    """The active user `user_id` with every grant they hold; None if gone or deactivated."""
    return run_reading(sessions, lambda session: actor_in(session, user_id))


def actor_in(session: Session, user_id: int) -> Actor | None:
    user = account_queries.user_by_id(session, user_id)
    if user is None or not user.active:
        return None
    workspaces = {
        member.workspace_id: WorkspaceGrant(
            role=WorkspaceRole(member.role),
            listed_clients=(
                frozenset(listed.organization_id for listed in member.listed_clients)
                if member.limited_to_clients
                else None
            ),
        )
        for member in account_queries.workspace_memberships(session, user_id)
    }
    clients = {
        membership.organization_id: ClientGrant(ClientRole(membership.role), workspace_id)
        for membership, workspace_id in account_queries.client_memberships(session, user_id)
    }
    return Actor(user_id=user.id, email=user.email, workspaces=workspaces, clients=clients)


def workspace_for(
    session: Session,
    actor: Actor | None,
    slug: str,
    permission: Permission | None = Permission.VIEW_WORKSPACE,
) -> Workspace:
    """The workspace `slug` if the actor may do `permission` there.

    With `permission=None` it is enough that the actor sees the workspace at all
    (client staff see it through their organization); the service then checks
    the client itself with `actor.require(…, workspace.id, client_id)`.
    Raises NotVisible (unknown slug, not a member, logged out) or Forbidden.
    """
    workspace = account_queries.workspace_by_slug(session, slug)
    if workspace is None or actor is None or not actor.sees_workspace(workspace.id):
        raise NotVisible
    if permission is not None:
        actor.require(permission, workspace.id)
    return workspace


def client_for(
    session: Session, actor: Actor | None, slug: str, client_id: int, permission: Permission
) -> tuple[Workspace, Organization]:
    """The workspace and its client if the actor may do `permission` to that client.

    Raises NotVisible for a client outside the actor's sight (another workspace's, one a
    limited consultant is not listed for, another client for client staff) and Forbidden
    for one the actor only reads.
    """
    workspace = workspace_for(session, actor, slug, permission=None)
    assert actor is not None  # workspace_for refuses a logged-out actor
    organization = client_queries.client_in(session, workspace.id, client_id)
    if organization is None:
        raise NotVisible
    actor.require(permission, workspace.id, organization.id)
    return workspace, organization
