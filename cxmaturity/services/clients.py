"""A workspace's clients (DESIGN §2, §7): create, edit, tag, archive, restore, list, and read one.

Every function checks the actor first: the workspace by slug (`workspace_for`),
then the client (`actor.require(…, workspace.id, client.id)`), so that a
client outside the actor's workspace, list of clients or own organization
answers NotVisible exactly as an unknown id.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.deletion import purge_due_at, restorable
from cxmaturity.domain.statuses import ORGANIZATION_SIZES, AuditAction
from cxmaturity.domain.text import TextRefused, clean_optional_text, clean_text
from cxmaturity.services import audit
from cxmaturity.services.access import client_for, workspace_for
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Organization, OrganizationTag, Workspace, utc_now
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import clients as client_queries

NAME_MAX_LENGTH = 200
REFERENCE_MAX_LENGTH = 100
TAG_MAX_LENGTH = 50
MAX_TAGS = 10
# The industries the forms offer (web/forms.py INDUSTRIES holds their labels).
INDUSTRY_KEYS = (
    "retail",
    "finance",
    "manufacturing",
    "services",
    "telecom",
    "health",
    "travel",
    "energy",
    "public",
    "other",
)
_SPACES = re.compile(r"\s+")
MANAGE = Permission.MANAGE_CLIENTS


@dataclass(frozen=True)
class ClientDetails:
    """What a person types about a client; checked by `checked_details`."""

    name: str
    industry: str | None = None
    size: str | None = None
    external_reference: str | None = None
    tags: Sequence[str] = ()


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    industry: str | None
    size: str | None
    external_reference: str | None
    tags: tuple[str, ...]
    archived: bool
    purge_due_at: datetime.datetime | None = None
    """For an archived client: when restoring ends and cron purges it (DESIGN §9)."""

    @classmethod
    def of(cls, organization: Organization) -> Client:
        archived_at = organization.archived_at
        return cls(
            id=organization.id,
            name=organization.name,
            industry=organization.industry,
            size=organization.size,
            external_reference=organization.external_reference,
            tags=tuple(tag.tag for tag in organization.tags),
            archived=archived_at is not None,
            purge_due_at=purge_due_at(archived_at) if archived_at is not None else None,
        )


@dataclass(frozen=True)
class ClientList:
    workspace_slug: str
    workspace_name: str
    clients: tuple[Client, ...]
    archived: bool
    may_manage: bool


@dataclass(frozen=True)
class ClientPage:
    """One client with its assessments, newest period first, and what the actor may do."""

    workspace_slug: str
    workspace_name: str
    client: Client
    assessments: tuple[client_queries.AssessmentRow, ...] = field(default=())
    may_manage_client: bool = False
    may_manage_assessments: bool = False
    may_see_participation: bool = False
    may_hand_over: bool = False
    """An owner may download the client's JSON bundle."""
    may_delete: bool = False
    """An owner may purge the client once it is archived."""
    restorable: bool = True
    """False once the 30 days after archiving are over: the client waits for its purge."""


@dataclass(frozen=True)
class Archived:
    """The result of archiving: the assessments left open (they stay open, links work)."""

    open_assessments: int


def normalized_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags as stored: trimmed, inner spaces single, lower case, each once, in order given.

    Raises InvalidInput for a tag the text rule refuses, one too long, or more than ten.
    """
    found: list[str] = []
    for raw in tags:
        if not isinstance(raw, str):
            raise InvalidInput("tags", "must be text")
        try:
            tag = clean_text(raw, max_length=TAG_MAX_LENGTH)
        except TextRefused as refused:
            raise InvalidInput("tags", f"{raw!r} {refused}") from None
        tag = _SPACES.sub(" ", tag).casefold()
        if tag and tag not in found:
            found.append(tag)
    if len(found) > MAX_TAGS:
        raise InvalidInput("tags", f"at most {MAX_TAGS} tags per client")
    return tuple(found)


def checked_details(details: ClientDetails) -> ClientDetails:
    """The details as stored; raises InvalidInput naming the field refused."""
    return ClientDetails(
        name=_text("name", details.name, required=True, max_length=NAME_MAX_LENGTH) or "",
        industry=_choice("industry", details.industry, INDUSTRY_KEYS),
        size=_choice("size", details.size, ORGANIZATION_SIZES),
        external_reference=_text(
            "external_reference", details.external_reference, max_length=REFERENCE_MAX_LENGTH
        ),
        tags=normalized_tags(details.tags),
    )


def create_client(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, details: ClientDetails
) -> int:
    """Add a client to the workspace; return its id. A limited consultant gets it listed."""
    details = checked_details(details)

    def create(session: Session) -> int:
        workspace = workspace_for(session, actor, slug, Permission.MANAGE_CLIENTS)
        assert actor is not None  # workspace_for refuses no actor
        return _add_client(session, workspace, details, actor.user_id)

    return run_in_transaction(sessions, create)


def create_client_as_operator(
    sessions: sessionmaker[Session], slug: str, details: ClientDetails
) -> int:
    """`cxmaturity clients create`: the operator adds a client to the workspace `slug`."""
    details = checked_details(details)

    def create(session: Session) -> int:
        workspace = account_queries.workspace_by_slug(session, slug)
        if workspace is None:
            raise InvalidInput("workspace", f"there is no workspace {slug!r}")
        return _add_client(session, workspace, details, None)

    return run_in_transaction(sessions, create)


def update_client(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    client_id: int,
    details: ClientDetails,
) -> None:
    details = checked_details(details)

    def update(session: Session) -> None:
        workspace, organization = client_for(
            session, actor, slug, client_id, Permission.MANAGE_CLIENTS
        )
        _refuse_taken_name(session, workspace.id, details.name, organization.id)
        organization.name = details.name
        organization.industry = details.industry
        organization.size = details.size
        organization.external_reference = details.external_reference
        organization.tags = [OrganizationTag(tag=tag) for tag in details.tags]

    run_in_transaction(sessions, update)


def archive_client(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, client_id: int
) -> Archived:
    """Archive the client: it leaves the lists. Its open assessments stay open (links work)."""

    def archive(session: Session) -> Archived:
        workspace, organization = client_for(
            session, actor, slug, client_id, Permission.MANAGE_CLIENTS
        )
        if organization.archived_at is None:
            organization.archived_at = utc_now()
            _audit(session, workspace, actor, AuditAction.CLIENT_ARCHIVED, organization)
        return Archived(client_queries.open_assessment_count(session, organization.id))

    return run_in_transaction(sessions, archive)


def restore_client(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    client_id: int,
    now: datetime.datetime | None = None,
) -> None:
    """Bring the archived client back into the lists, within 30 days of archiving.

    Raises InvalidInput with field "restore" after them: the client is due to be purged.
    """
    moment = now or utc_now()

    def restore(session: Session) -> None:
        workspace, organization = client_for(
            session, actor, slug, client_id, Permission.MANAGE_CLIENTS
        )
        if organization.archived_at is not None:
            if not restorable(organization.archived_at, moment):
                raise InvalidInput("restore", "the 30 days to restore this client are over")
            organization.archived_at = None
            _audit(session, workspace, actor, AuditAction.CLIENT_RESTORED, organization)

    run_in_transaction(sessions, restore)


def client_list(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, *, archived: bool = False
) -> ClientList:
    """The workspace's clients the actor sees, by name; the archived ones with `archived`."""

    def read(session: Session) -> ClientList:
        workspace = workspace_for(session, actor, slug)
        assert actor is not None
        visible = actor.visible_clients(workspace.id)
        clients = client_queries.clients_of(session, workspace.id, visible, archived=archived)
        return ClientList(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            clients=tuple(Client.of(client) for client in clients),
            archived=archived,
            may_manage=_allowed(actor, Permission.MANAGE_CLIENTS, workspace.id),
        )

    return run_reading(sessions, read)


def client_page(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    client_id: int,
    now: datetime.datetime | None = None,
) -> ClientPage:
    """The client with its assessments; client staff read their own organization's page."""
    moment = now or utc_now()

    def read(session: Session) -> ClientPage:
        workspace, organization = client_for(
            session, actor, slug, client_id, Permission.VIEW_RESULTS
        )
        assert actor is not None
        return ClientPage(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            client=Client.of(organization),
            assessments=tuple(
                client_queries.assessments_of_client(session, workspace.id, organization.id)
            ),
            may_manage_client=_allowed(
                actor, Permission.MANAGE_CLIENTS, workspace.id, organization.id
            ),
            may_manage_assessments=_allowed(
                actor, Permission.MANAGE_ASSESSMENTS, workspace.id, organization.id
            ),
            may_see_participation=_allowed(
                actor, Permission.VIEW_WORKSPACE, workspace.id, organization.id
            ),
            may_hand_over=_allowed(actor, Permission.HAND_OVER, workspace.id, organization.id),
            may_delete=_allowed(actor, Permission.DELETE, workspace.id, organization.id),
            restorable=organization.archived_at is None
            or restorable(organization.archived_at, moment),
        )

    return run_reading(sessions, read)


def _add_client(
    session: Session, workspace: Workspace, details: ClientDetails, user_id: int | None
) -> int:
    _refuse_taken_name(session, workspace.id, details.name, None)
    organization = Organization(
        workspace_id=workspace.id,
        name=details.name,
        industry=details.industry,
        size=details.size,
        external_reference=details.external_reference,
        tags=[OrganizationTag(tag=tag) for tag in details.tags],
    )
    session.add(organization)
    session.flush()
    if user_id is not None:
        client_queries.list_for_member(session, workspace.id, user_id, organization.id)
    return organization.id


def _refuse_taken_name(
    session: Session, workspace_id: int, name: str, except_id: int | None
) -> None:
    if client_queries.name_taken(session, workspace_id, name, except_id):
        raise InvalidInput("name", "another client of this workspace has this name")


def _allowed(
    actor: Actor, permission: Permission, workspace_id: int, client_id: int | None = None
) -> bool:
    return actor.decide(permission, workspace_id, client_id) is Decision.ALLOWED


def _audit(
    session: Session,
    workspace: Workspace,
    actor: Actor | None,
    action: AuditAction,
    organization: Organization,
) -> None:
    audit.record(session, actor, action, "client", organization.id, workspace_id=workspace.id)


def _text(field_name: str, value: object, *, required: bool = False, **rules: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidInput(field_name, "must be text")
    try:
        if required:
            return clean_text(value or "", required=True, **rules)
        return clean_optional_text(value, **rules)
    except TextRefused as refused:
        raise InvalidInput(field_name, str(refused)) from None


def _choice(field_name: str, value: object, allowed: Sequence[str]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise InvalidInput(field_name, f"must be one of {', '.join(allowed)}")
    return str(value)


def require_manage(sessions: sessionmaker[Session], actor: Actor | None, slug: str) -> str:
    """The workspace's name if the actor may add clients there; NotVisible or Forbidden else."""
    return run_reading(sessions, lambda session: workspace_for(session, actor, slug, MANAGE).name)


def editable_client(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, client_id: int
) -> Client:
    """The client for its edit form, if the actor may change it."""
    return run_reading(
        sessions, lambda session: Client.of(client_for(session, actor, slug, client_id, MANAGE)[1])
    )
