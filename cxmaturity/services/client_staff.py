"""Client staff (DESIGN §2, §7): people of a client company who read its own results.

A consultant adds an existing account by its e-mail address as client_admin
(results, targets, actions, KPIs) or client_viewer (read only) of one client.
Staff see that client only; every other page of the workspace is a 404 to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, NotVisible, Permission
from cxmaturity.domain.statuses import AuditAction, ClientRole
from cxmaturity.services import audit
from cxmaturity.services.access import workspace_for
from cxmaturity.services.accounts import checked_email
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Membership, Organization, Workspace
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import client_staff as staff_queries


class NoSuchAccount(LookupError):
    """No account has this e-mail address: the person must have one first."""


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    name: str
    email: str
    role: ClientRole


@dataclass(frozen=True)
class ClientStaff:
    workspace_slug: str
    client_id: int
    client_name: str
    staff: list[StaffMember]
    may_change: bool


def client_staff(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, client_id: int
) -> ClientStaff:
    """The staff of one client, for a workspace member who sees that client."""

    def read(session: Session) -> ClientStaff:
        workspace, client = _client(session, actor, slug, client_id, Permission.VIEW_WORKSPACE)
        assert actor is not None  # workspace_for refused a missing actor
        staff = [
            StaffMember(user.id, user.display_name, user.email, ClientRole(membership.role))
            for user, membership in staff_queries.staff_of(session, client.id)
        ]
        may_change = actor.decide(Permission.MANAGE_CLIENTS, workspace.id, client.id)
        return ClientStaff(
            workspace.slug, client.id, client.name, staff, may_change is Decision.ALLOWED
        )

    return run_reading(sessions, read)


def add_client_staff(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    client_id: int,
    email: str,
    role: str,
) -> None:
    """Give the account of `email` the `role` at this client (or change its role there).

    Raises NotVisible, Forbidden, InvalidInput, NoSuchAccount.
    """
    address = checked_email(email)
    if role not in tuple(ClientRole):
        raise InvalidInput("role", f"must be one of {', '.join(ClientRole)}")

    def add(session: Session) -> None:
        workspace, client = _client(session, actor, slug, client_id, Permission.MANAGE_CLIENTS)
        user = account_queries.user_by_email(session, address)
        if user is None:
            raise NoSuchAccount(address)
        existing = staff_queries.membership(session, client.id, user.id)
        if existing is None:
            session.add(Membership(user_id=user.id, organization_id=client.id, role=role))
            _audit(session, actor, workspace, AuditAction.MEMBER_ADDED, user.id, role)
        elif existing.role != role:
            existing.role = role
            _audit(session, actor, workspace, AuditAction.ROLE_CHANGED, user.id, role)

    run_in_transaction(sessions, add)


def remove_client_staff(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, client_id: int, user_id: int
) -> None:
    """End the user's role at this client; NotVisible if they had none there."""

    def remove(session: Session) -> None:
        workspace, client = _client(session, actor, slug, client_id, Permission.MANAGE_CLIENTS)
        membership = staff_queries.membership(session, client.id, user_id)
        if membership is None:
            raise NotVisible
        session.delete(membership)
        _audit(session, actor, workspace, AuditAction.MEMBER_REMOVED, user_id, membership.role)

    run_in_transaction(sessions, remove)


def _client(
    session: Session, actor: Actor | None, slug: str, client_id: int, permission: Permission
) -> tuple[Workspace, Organization]:
    workspace = workspace_for(session, actor, slug, permission=None)
    client = staff_queries.organization_in_workspace(session, workspace.id, client_id)
    # The staff list is the workspace's own page: client staff do not see it.
    if client is None or actor is None or actor.role_in(workspace.id) is None:
        raise NotVisible
    actor.require(permission, workspace.id, client.id)
    return workspace, client


def _audit(
    session: Session,
    actor: Actor | None,
    workspace: Workspace,
    action: AuditAction,
    user_id: int,
    role: str,
) -> None:
    audit.record(session, actor, action, "client_staff", user_id, role, workspace_id=workspace.id)
