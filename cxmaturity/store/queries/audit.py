"""The audit log: entries written inside the change they record, read newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxmaturity.store.models import AuditEntry


def add_entry(session: Session, entry: AuditEntry) -> AuditEntry:
    session.add(entry)
    session.flush()
    return entry


def entries_before(
    session: Session, workspace_id: int, before_id: int | None, limit: int
) -> list[AuditEntry]:
    """Up to `limit` entries of the workspace, newest first, older than entry `before_id`.

    Keyset pagination on the id (ids only grow): one query whatever the page number.
    """
    query = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))
