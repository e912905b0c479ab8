"""Creating workspaces and adding members to them, as the operator does from the command line.

Each call is one transaction: a workspace is never left without its owner, and
nothing is written when any part is refused.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.statuses import AuditAction, WorkspaceKind, WorkspaceRole
from cxmaturity.domain.text import TextRefused, clean_text
from cxmaturity.services import audit
from cxmaturity.services.accounts import UnknownUser
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import run_in_transaction
from cxmaturity.store.models import User, Workspace, WorkspaceMember
from cxmaturity.store.queries import accounts as account_queries

# Lower-case letters, digits and hyphens, 2–60 characters, not starting with a hyphen.
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,59}")
WORKSPACE_NAME_MAX_LENGTH = 200


class SlugTaken(ValueError):
    """Another workspace has this slug."""


class UnknownWorkspace(LookupError):
    """No workspace has this slug."""


class AlreadyMember(ValueError):
    """The user is a member of the workspace already."""


def checked_slug(slug: object) -> str:
    if not isinstance(slug, str) or SLUG_PATTERN.fullmatch(slug) is None:
        raise InvalidInput(
            "slug",
            "must be 2 to 60 lower-case letters, digits or hyphens, not starting with a hyphen",
        )
    return slug


def _checked_kind(kind: object) -> WorkspaceKind:
    if not isinstance(kind, str) or kind not in tuple(WorkspaceKind):
        raise InvalidInput("kind", f"must be one of {', '.join(WorkspaceKind)}")
    return WorkspaceKind(kind)


def _checked_role(role: object) -> WorkspaceRole:
    if not isinstance(role, str) or role not in tuple(WorkspaceRole):
        raise InvalidInput("role", f"must be one of {', '.join(WorkspaceRole)}")
    return WorkspaceRole(role)


def create_workspace(
    sessions: sessionmaker[Session],
    slug: str,
    name: str,
    owner_email: str,
    kind: str = WorkspaceKind.CONSULTANCY,
) -> int:
    """Create a workspace with `owner_email` as its owner; return its id.

    Raises InvalidInput (slug, name, kind), UnknownUser (owner) or SlugTaken.
    """
    slug = checked_slug(slug)
    try:
        shown_name = clean_text(name, required=True, max_length=WORKSPACE_NAME_MAX_LENGTH)
    except (TextRefused, TypeError) as refused:
        raise InvalidInput("name", str(refused)) from None
    workspace_kind = _checked_kind(kind)

    def create(session: Session) -> int:
        owner = _user(session, owner_email)
        if account_queries.workspace_by_slug(session, slug) is not None:
            raise SlugTaken(slug)
        workspace = Workspace(slug=slug, name=shown_name, kind=workspace_kind.value)
        session.add(workspace)
        session.flush()
        _add(session, workspace, owner, WorkspaceRole.OWNER)
        return workspace.id

    try:
        return run_in_transaction(sessions, create)
    except IntegrityError:
        # Created by someone else at the same moment: the unique slug stopped this one.
        raise SlugTaken(slug) from None


def add_member(sessions: sessionmaker[Session], slug: str, email: str, role: str) -> int:
    """Make the user of `email` a member of workspace `slug` with `role`; return the member id.

    Raises InvalidInput (role), UnknownWorkspace, UnknownUser or AlreadyMember.
    """
    member_role = _checked_role(role)

    def add(session: Session) -> int:
        workspace = account_queries.workspace_by_slug(session, str(slug))
        if workspace is None:
            raise UnknownWorkspace(slug)
        user = _user(session, email)
        if any(member.user_id == user.id for member in workspace.members):
            raise AlreadyMember(email)
        return _add(session, workspace, user, member_role).id

    try:
        return run_in_transaction(sessions, add)
    except IntegrityError:
        raise AlreadyMember(email) from None


def _user(session: Session, email: object) -> User:
    user = account_queries.user_by_email(session, email) if isinstance(email, str) else None
    if user is None:
        raise UnknownUser(email)
    return user


def _add(
    session: Session, workspace: Workspace, user: User, role: WorkspaceRole
) -> WorkspaceMember:
    member = WorkspaceMember(workspace_id=workspace.id, user_id=user.id, role=role.value)
    session.add(member)
    session.flush()
    audit.record(
        session,
        None,
        AuditAction.MEMBER_ADDED,
        "workspace_member",
        member.id,
        f"{user.email} as {role.value} (command line)",
        workspace_id=workspace.id,
    )
    return member
