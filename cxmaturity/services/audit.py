"""The audit log (DESIGN §2): who changed a role, revoked a link, exported or deleted, and when.

`record` writes an entry in the caller's own session, so the entry and the
change it names commit together or not at all. The owners of a workspace read
the log with `audit_page`, newest first, a page at a time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.statuses import AuditAction
from cxmaturity.services.access import workspace_for
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import run_reading
from cxmaturity.store.models import AuditEntry
from cxmaturity.store.queries import audit as audit_queries

PAGE_SIZE = 50
# The audit log is the owners': "owner — everything incl. members" (DESIGN §7).
READ_PERMISSION = Permission.MANAGE_MEMBERS
DETAIL_MAX_LENGTH = 2000
OBJECT_TYPE_MAX_LENGTH = 30


def record(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    object_type: str,
    object_id: int | None,
    detail: str | None = None,
    *,
    workspace_id: int | None,
) -> None:
    """Add an entry to the audit log inside the caller's transaction.

    `actor` None means the system itself (a scheduled job). The actor's e-mail
    is kept as text, so the entry still reads right after the account is gone.
    `detail` is plain text for people ("anna@example.com: consultant → owner").
    """
    if action not in tuple(AuditAction):
        raise ValueError(f"not an audit action: {action!r}")
    if not object_type or len(object_type) > OBJECT_TYPE_MAX_LENGTH:
        raise ValueError(f"object type must have 1–{OBJECT_TYPE_MAX_LENGTH} characters")
    audit_queries.add_entry(
        session,
        AuditEntry(
            workspace_id=workspace_id,
            actor_user_id=actor.user_id if actor is not None else None,
            actor_email=actor.email if actor is not None else None,
            action=str(action),
            object_type=object_type,
            object_id=object_id,
            detail=detail[:DETAIL_MAX_LENGTH] if detail else None,
        ),
    )


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime.datetime
    actor_email: str | None
    """None: done by the system itself."""
    action: AuditAction
    object_type: str
    object_id: int | None
    detail: str | None


@dataclass(frozen=True)
class AuditPage:
    workspace_slug: str
    workspace_name: str
    lines: list[AuditLine]
    older: int | None
    """The `before` value of the next, older page; None on the last page."""
    first_page: bool


def audit_page(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, before: int | None = None
) -> AuditPage:
    """A page of the workspace's audit log, newest first, for its owners.

    `before` is the `older` of the page before. Raises NotVisible for anyone
    outside the workspace, Forbidden for its consultants and viewers,
    InvalidInput for a `before` that is not a positive number.
    """
    if before is not None and (not isinstance(before, int) or before < 1):
        raise InvalidInput("before", "must be a positive number")

    def read(session: Session) -> AuditPage:
        workspace = workspace_for(session, actor, slug, READ_PERMISSION)
        # One entry more than shown tells whether an older page exists.
        entries = audit_queries.entries_before(session, workspace.id, before, PAGE_SIZE + 1)
        shown = entries[:PAGE_SIZE]
        return AuditPage(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            lines=[_line(entry) for entry in shown],
            older=shown[-1].id if len(entries) > PAGE_SIZE else None,
            first_page=before is None,
        )

    return run_reading(sessions, read)


def _line(entry: AuditEntry) -> AuditLine:
    return AuditLine(
        id=entry.id,
        at=entry.at,
        actor_email=entry.actor_email,
        action=AuditAction(entry.action),
        object_type=entry.object_type,
        object_id=entry.object_id,
        detail=entry.detail,
    )
