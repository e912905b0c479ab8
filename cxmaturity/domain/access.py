"""Who may do what (DESIGN §7): roles, permissions, and the decision for one actor and object.

Pure: the services load an `Actor` from the database and ask `decide`; the
decision is one of three, because an object the actor may not see must look
exactly like one that does not exist (404), while a viewer who sees a client
but may not change it is told so (403).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum

from cxmaturity.domain.statuses import ClientRole, WorkspaceRole


class Permission(StrEnum):
    VIEW_RESULTS = "view_results"
    """Results, history, targets, actions and KPIs of a client."""
    VIEW_WORKSPACE = "view_workspace"
    """The workspace's own pages: client list, participation, portfolio."""
    MANAGE_CLIENTS = "manage_clients"
    MANAGE_ASSESSMENTS = "manage_assessments"
    """Open, close, invite, remind, revoke."""
    MANAGE_PLANS = "manage_plans"
    """Targets, actions, KPIs."""
    EXPORT = "export"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_TOKENS = "manage_tokens"
    DELETE = "delete"
    HAND_OVER = "hand_over"
    """The client's JSON bundle: everything stored, also who answered what in confidential
    assessments, which no consultant's page shows; so the owners' alone."""


_READ = frozenset({Permission.VIEW_RESULTS, Permission.VIEW_WORKSPACE})
_CONSULTANT = _READ | {
    Permission.MANAGE_CLIENTS,
    Permission.MANAGE_ASSESSMENTS,
    Permission.MANAGE_PLANS,
    Permission.EXPORT,
}

ROLE_PERMISSIONS: Mapping[str, frozenset[Permission]] = {
    WorkspaceRole.OWNER: frozenset(Permission),
    WorkspaceRole.CONSULTANT: _CONSULTANT,
    WorkspaceRole.VIEWER: _READ,
    ClientRole.CLIENT_ADMIN: frozenset({Permission.VIEW_RESULTS, Permission.MANAGE_PLANS}),
    ClientRole.CLIENT_VIEWER: frozenset({Permission.VIEW_RESULTS}),
}


class Decision(Enum):
    ALLOWED = "allowed"
    NOT_VISIBLE = "not_visible"
    """Answer as if the object did not exist (404)."""
    FORBIDDEN = "forbidden"
    """The actor sees the object but may not do this to it (403)."""


class NotVisible(LookupError):
    """The object is outside the actor's workspaces, clients or organization: a 404."""


class Forbidden(PermissionError):
    """The actor sees the object but their role does not allow this: a 403."""


@dataclass(frozen=True)
class WorkspaceGrant:
    role: WorkspaceRole
    listed_clients: frozenset[int] | None = None
    """For a consultant limited to some clients: their organization ids; None sees all."""


@dataclass(frozen=True)
class ClientGrant:
    role: ClientRole
    workspace_id: int


@dataclass(frozen=True)
class Actor:
    """A logged-in user with everything they were granted, as of the start of the request."""

    user_id: int
    email: str
    workspaces: Mapping[int, WorkspaceGrant] = field(default_factory=dict)
    """Workspace id → the user's membership there."""
    clients: Mapping[int, ClientGrant] = field(default_factory=dict)
    """Organization id → the user's client-staff role there."""

    def decide(
        self, permission: Permission, workspace_id: int, organization_id: int | None = None
    ) -> Decision:
        """May this actor do `permission` in the workspace, on one of its clients if given?"""
        roles = self._roles_for(workspace_id, organization_id)
        if not roles:
            return Decision.NOT_VISIBLE
        if any(permission in ROLE_PERMISSIONS[role] for role in roles):
            return Decision.ALLOWED
        return Decision.FORBIDDEN

    def require(
        self, permission: Permission, workspace_id: int, organization_id: int | None = None
    ) -> None:
        """Raise NotVisible or Forbidden unless `decide` allows it."""
        decision = self.decide(permission, workspace_id, organization_id)
        if decision is Decision.NOT_VISIBLE:
            raise NotVisible
        if decision is Decision.FORBIDDEN:
            raise Forbidden

    def sees_workspace(self, workspace_id: int) -> bool:
        return workspace_id in self.workspaces or any(
            grant.workspace_id == workspace_id for grant in self.clients.values()
        )

    def visible_clients(self, workspace_id: int) -> frozenset[int] | None:
        """The client ids this actor sees in the workspace; None means every client."""
        grant = self.workspaces.get(workspace_id)
        if grant is not None and grant.listed_clients is None:
            return None
        listed = grant.listed_clients if grant is not None and grant.listed_clients else frozenset()
        staff = {o for o, g in self.clients.items() if g.workspace_id == workspace_id}
        return frozenset(listed | staff)

    def role_in(self, workspace_id: int) -> WorkspaceRole | None:
        grant = self.workspaces.get(workspace_id)
        return grant.role if grant is not None else None

    def _roles_for(self, workspace_id: int, organization_id: int | None) -> list[str]:
        roles: list[str] = []
        grant = self.workspaces.get(workspace_id)
        if grant is not None and (
            organization_id is None
            or grant.listed_clients is None
            or organization_id in grant.listed_clients
        ):
            roles.append(grant.role)
        if organization_id is not None:
            staff = self.clients.get(organization_id)
            if staff is not None and staff.workspace_id == workspace_id:
                roles.append(staff.role)
        return roles
