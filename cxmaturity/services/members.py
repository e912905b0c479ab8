"""A workspace's members: list them, add one by e-mail, change a role, limit a consultant, remove.

Everyone who works in the workspace sees the list; only owners change it
(Permission.MANAGE_MEMBERS), and every change is written to the audit log in
the same transaction. A workspace always keeps at least one owner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.cohorts import DEFAULT_MIN_N
from cxmaturity.domain.statuses import AuditAction, WorkspaceKind, WorkspaceRole
from cxmaturity.services import audit
from cxmaturity.services.access import actor_in, workspace_for
from cxmaturity.services.accounts import checked_email
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import MemberClient, Workspace, WorkspaceMember
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import members as queries

T = TypeVar("T")
OBJECT_TYPE = "member"


class Refusal(StrEnum):
    """Why a change of members was refused; the page says it in the user's language."""

    BAD_EMAIL = "bad_email"
    NO_ACCOUNT = "no_account"
    ALREADY_MEMBER = "already_member"
    BAD_ROLE = "bad_role"
    LAST_OWNER = "last_owner"
    NOT_CONSULTANT = "not_consultant"
    NO_CLIENTS = "no_clients"
    UNKNOWN_CLIENT = "unknown_client"
    BAD_MIN_N = "bad_min_n"


class MemberRefused(InvalidInput):
    """A change of members the rules refuse; nothing was changed."""

    def __init__(self, field: str, reason: Refusal) -> None:
        super().__init__(field, reason.value)
        self.reason = reason


@dataclass(frozen=True)
class ClientChoice:
    id: int
    name: str
    archived: bool


@dataclass(frozen=True)
class MemberLine:
    id: int
    email: str
    name: str
    role: WorkspaceRole
    limited: bool
    listed: frozenset[int]
    """The client ids a limited consultant may work on."""
    is_you: bool


@dataclass(frozen=True)
class MembersPage:
    workspace_slug: str
    workspace_name: str
    members: list[MemberLine]
    clients: list[ClientChoice]
    can_manage: bool
    """Whether the viewer of the page is an owner, who may change it."""
    cohort_min_n: int = DEFAULT_MIN_N
    """From how many comparable clients a cohort band is shown (DESIGN §4.13)."""
    has_cohorts: bool = False
    """A consultancy compares its clients; a team workspace has one and no cohorts."""


def members_page(sessions: sessionmaker[Session], actor: Actor | None, slug: str) -> MembersPage:
    """The members of the workspace; raises NotVisible for anyone who does not work in it."""

    def read(session: Session) -> MembersPage:
        workspace = workspace_for(session, actor, slug)
        assert actor is not None  # workspace_for refuses a logged-out visitor
        clients = [ClientChoice(*row) for row in queries.clients_of(session, workspace.id)]
        members = [
            MemberLine(
                id=member.id,
                email=member.user.email,
                name=member.user.display_name,
                role=WorkspaceRole(member.role),
                limited=member.limited_to_clients,
                listed=frozenset(listed.organization_id for listed in member.listed_clients),
                is_you=member.user_id == actor.user_id,
            )
            for member in queries.members_of(session, workspace.id)
        ]
        return MembersPage(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            members=members,
            clients=clients,
            can_manage=actor.decide(Permission.MANAGE_MEMBERS, workspace.id) is Decision.ALLOWED,
            cohort_min_n=workspace.cohort_min_n,
            has_cohorts=workspace.kind != WorkspaceKind.TEAM,
        )

    return run_reading(sessions, read)


def add_member(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, email: object, role: object
) -> int:
    """Give the existing account `email` the role `role`; return the new member's id."""

    def add(session: Session, workspace: Workspace, owner: Actor) -> int:
        try:
            address = checked_email(email)
        except InvalidInput:
            raise MemberRefused("email", Refusal.BAD_EMAIL) from None
        new_role = _checked_role(role)
        user = account_queries.user_by_email(session, address)
        if user is None:
            raise MemberRefused("email", Refusal.NO_ACCOUNT)
        if queries.member_of_user(session, workspace.id, user.id) is not None:
            raise MemberRefused("email", Refusal.ALREADY_MEMBER)
        member = WorkspaceMember(workspace_id=workspace.id, user_id=user.id, role=new_role)
        session.add(member)
        session.flush()
        _record(
            session,
            owner,
            AuditAction.MEMBER_ADDED,
            workspace,
            member.id,
            f"{user.email} ({new_role})",
        )
        return member.id

    try:
        return managing(sessions, actor, slug, add)
    except IntegrityError:
        # Added twice at once: the unique (workspace, user) stopped the second.
        raise MemberRefused("email", Refusal.ALREADY_MEMBER) from None


def change_role(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, member_id: int, role: object
) -> None:
    """Give member `member_id` the role `role`. Any role but consultant lifts a client limit.

    Raises MemberRefused(LAST_OWNER) for the workspace's only owner.
    """

    def change(session: Session, workspace: Workspace, owner: Actor) -> None:
        new_role = _checked_role(role)
        member = _member(session, workspace, member_id)
        old_role = member.role
        if new_role == old_role:
            return
        if old_role == WorkspaceRole.OWNER:
            _keep_an_owner(session, workspace)
        member.role = new_role
        detail = f"{member.user.email}: {old_role} → {new_role}"
        if new_role != WorkspaceRole.CONSULTANT and member.limited_to_clients:
            _lift(member)
            detail += " (client limit lifted)"
        _record(session, owner, AuditAction.ROLE_CHANGED, workspace, member.id, detail)

    managing(sessions, actor, slug, change)


def limit_to_clients(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    member_id: int,
    client_ids: Iterable[object],
) -> None:
    """Let consultant `member_id` work on the listed clients of this workspace only."""

    def limit(session: Session, workspace: Workspace, owner: Actor) -> None:
        wanted = _checked_ids(client_ids)
        member = _member(session, workspace, member_id)
        if member.role != WorkspaceRole.CONSULTANT:
            raise MemberRefused("role", Refusal.NOT_CONSULTANT)
        if not wanted:
            raise MemberRefused("clients", Refusal.NO_CLIENTS)
        # A client of another workspace must never be listed: it would open that client.
        if queries.client_ids_in(session, workspace.id, wanted) != wanted:
            raise MemberRefused("clients", Refusal.UNKNOWN_CLIENT)
        member.limited_to_clients = True
        member.listed_clients = [MemberClient(organization_id=i) for i in sorted(wanted)]
        listed = ", ".join(f"#{i}" for i in sorted(wanted))
        _record(
            session,
            owner,
            AuditAction.ROLE_CHANGED,
            workspace,
            member.id,
            f"{member.user.email}: limited to clients {listed}",
        )

    managing(sessions, actor, slug, limit)


def lift_limit(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, member_id: int
) -> None:
    """Let member `member_id` work on every client of the workspace again."""

    def lift(session: Session, workspace: Workspace, owner: Actor) -> None:
        member = _member(session, workspace, member_id)
        if not member.limited_to_clients:
            return
        _lift(member)
        _record(
            session,
            owner,
            AuditAction.ROLE_CHANGED,
            workspace,
            member.id,
            f"{member.user.email}: client limit lifted",
        )

    managing(sessions, actor, slug, lift)


def remove_member(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, member_id: int
) -> bool:
    """Take member `member_id` out of the workspace; True if that was the actor themselves.

    Raises MemberRefused(LAST_OWNER) for the workspace's only owner.
    """

    def remove(session: Session, workspace: Workspace, owner: Actor) -> bool:
        member = _member(session, workspace, member_id)
        if member.role == WorkspaceRole.OWNER:
            _keep_an_owner(session, workspace)
        removed_self = member.user_id == owner.user_id
        _record(
            session,
            owner,
            AuditAction.MEMBER_REMOVED,
            workspace,
            member.id,
            f"{member.user.email} ({member.role})",
        )
        session.delete(member)
        return removed_self

    return managing(sessions, actor, slug, remove)


def managing(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    work: Callable[[Session, Workspace, Actor], T],
) -> T:
    """Run `work` in one transaction for an owner of the workspace, changes serialized.

    The actor's grants are read again after the workspace is locked: an owner
    demoted a moment ago can no longer change anything.
    """

    def run(session: Session) -> T:
        workspace = workspace_for(session, actor, slug)
        assert actor is not None
        actor.require(Permission.MANAGE_MEMBERS, workspace.id)
        queries.lock_workspace(session, workspace.id)
        current = actor_in(session, actor.user_id)
        if current is None or not current.sees_workspace(workspace.id):
            raise NotVisible
        current.require(Permission.MANAGE_MEMBERS, workspace.id)
        return work(session, workspace, current)

    return run_in_transaction(sessions, run)


def _member(session: Session, workspace: Workspace, member_id: int) -> WorkspaceMember:
    member = queries.member_in(session, workspace.id, member_id)
    if member is None:
        raise NotVisible
    return member


def _keep_an_owner(session: Session, workspace: Workspace) -> None:
    if queries.count_with_role(session, workspace.id, WorkspaceRole.OWNER) <= 1:
        raise MemberRefused("role", Refusal.LAST_OWNER)


def _lift(member: WorkspaceMember) -> None:
    member.limited_to_clients = False
    member.listed_clients = []


def _checked_role(role: object) -> WorkspaceRole:
    if not isinstance(role, str) or role not in tuple(WorkspaceRole):
        raise MemberRefused("role", Refusal.BAD_ROLE)
    return WorkspaceRole(role)


def _checked_ids(values: Iterable[object]) -> set[int]:
    ids: set[int] = set()
    for value in values:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text) > 12:
            raise MemberRefused("clients", Refusal.UNKNOWN_CLIENT)
        ids.add(int(text))
    return ids


def _record(
    session: Session,
    actor: Actor,
    action: AuditAction,
    workspace: Workspace,
    member_id: int,
    detail: str,
) -> None:
    audit.record(session, actor, action, OBJECT_TYPE, member_id, detail, workspace_id=workspace.id)
