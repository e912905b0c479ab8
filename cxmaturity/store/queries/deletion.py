"""Purging a client: every row it owns, deleted table by table in one transaction.

The deletes are explicit, children before parents, instead of relying on ON DELETE
CASCADE: the assessments' foreign key is RESTRICT on purpose (nothing deletes a
client's results by accident), and SQLite keeps foreign keys only with PRAGMA
foreign_keys on. Written this way the purge is the same on SQLite and PostgreSQL, and
a test can name every table it empties. The caller's transaction makes it all or nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Select, delete, or_, select, update
from sqlalchemy.orm import Session

from cxmaturity.store.models import (
    Action,
    ActionEvent,
    Answer,
    ApiToken,
    Assessment,
    AuditEntry,
    DimensionSnapshot,
    EmailLogEntry,
    IdempotentResponse,
    KpiValue,
    MemberClient,
    Membership,
    Organization,
    OrganizationTag,
    Respondent,
    ResultSnapshot,
    Target,
)


@dataclass(frozen=True)
class ClientPeople:
    """What names the client's people in audit details: respondents and client staff."""

    respondents: dict[int, tuple[str | None, str | None]]
    """Respondent id → (name, e-mail address)."""
    staff_user_ids: frozenset[int]


def lock_client(session: Session, workspace_id: int, client_id: int) -> Organization | None:
    """The client's row, locked until the transaction ends (PostgreSQL; SQLite locks at BEGIN)."""
    return session.scalars(
        select(Organization)
        .where(Organization.id == client_id, Organization.workspace_id == workspace_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def assessment_ids(session: Session, client_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Assessment.id).where(Assessment.organization_id == client_id).order_by("id")
        )
    )


def people_of(session: Session, client_id: int) -> ClientPeople:
    rows = session.execute(
        select(Respondent.id, Respondent.name, Respondent.email).where(
            Respondent.assessment_id.in_(_assessments(client_id))
        )
    )
    staff = session.scalars(
        select(Membership.user_id).where(Membership.organization_id == client_id)
    )
    return ClientPeople({rid: (name, email) for rid, name, email in rows}, frozenset(staff))


def audit_entries_of(
    session: Session,
    workspace_id: int,
    client_id: int,
    assessments: Collection[int],
    respondents: Collection[int],
) -> list[AuditEntry]:
    """The workspace's audit entries about the client, its assessments or its respondents."""
    about = [(AuditEntry.object_type == "client") & (AuditEntry.object_id == client_id)]
    if assessments:
        about.append(
            (AuditEntry.object_type == "assessment") & AuditEntry.object_id.in_(assessments)
        )
    if respondents:
        about.append(
            (AuditEntry.object_type == "respondent") & AuditEntry.object_id.in_(respondents)
        )
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.workspace_id == workspace_id, or_(*about))
        )
    )


def audit_entries_with_detail(session: Session, workspace_id: int) -> list[AuditEntry]:
    """The workspace's audit entries that carry a detail text (which may name the client)."""
    return list(
        session.scalars(
            select(AuditEntry).where(
                AuditEntry.workspace_id == workspace_id, AuditEntry.detail.is_not(None)
            )
        )
    )


def delete_client_rows(session: Session, client_id: int) -> None:
    """Delete the client and every row that belongs to it; the caller commits."""
    assessments = _assessments(client_id)
    respondents = select(Respondent.id).where(Respondent.assessment_id.in_(assessments))
    actions = select(Action.id).where(Action.organization_id == client_id)
    session.flush()  # changes made before (the audit lines reduced) are written first
    workspace_tokens = select(ApiToken.id).where(
        ApiToken.workspace_id
        == select(Organization.workspace_id).where(Organization.id == client_id).scalar_subquery()
    )
    statements = [
        # The API's stored answers for retried POSTs (kept a day) may name the client or
        # hold its respondents' links; which ones do is not recorded, so the workspace's
        # all go. A retry with an old key afterwards is simply done again.
        delete(IdempotentResponse).where(IdempotentResponse.token_id.in_(workspace_tokens)),
        delete(Answer).where(Answer.respondent_id.in_(respondents)),
        delete(EmailLogEntry).where(EmailLogEntry.respondent_id.in_(respondents)),
        delete(Respondent).where(Respondent.assessment_id.in_(assessments)),
        delete(DimensionSnapshot).where(DimensionSnapshot.assessment_id.in_(assessments)),
        # Only the client's own later snapshots point at its assessments; cleared all the same.
        update(ResultSnapshot)
        .where(ResultSnapshot.previous_assessment_id.in_(assessments))
        .values(previous_assessment_id=None),
        delete(ResultSnapshot).where(ResultSnapshot.assessment_id.in_(assessments)),
        delete(Assessment).where(Assessment.organization_id == client_id),
        delete(ActionEvent).where(ActionEvent.action_id.in_(actions)),
        delete(Action).where(Action.organization_id == client_id),
        delete(Target).where(Target.organization_id == client_id),
        delete(KpiValue).where(KpiValue.organization_id == client_id),
        delete(OrganizationTag).where(OrganizationTag.organization_id == client_id),
        delete(Membership).where(Membership.organization_id == client_id),
        delete(MemberClient).where(MemberClient.organization_id == client_id),
        delete(Organization).where(Organization.id == client_id),
    ]
    for statement in statements:
        session.execute(statement, execution_options={"synchronize_session": False})
    # Objects loaded before (the organization, its tags) are gone from the database now.
    session.expunge_all()


def expired_clients(
    session: Session, archived_before: datetime.datetime
) -> list[tuple[int, int, str]]:
    """(workspace id, client id, name) of every client archived at or before `archived_before`."""
    rows = session.execute(
        select(Organization.workspace_id, Organization.id, Organization.name)
        .where(Organization.archived_at.is_not(None))
        .where(Organization.archived_at <= archived_before)
        .order_by(Organization.id)
    )
    return [(workspace_id, client_id, name) for workspace_id, client_id, name in rows]


def _assessments(client_id: int) -> Select:
    return select(Assessment.id).where(Assessment.organization_id == client_id)
