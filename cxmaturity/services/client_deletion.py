"""Deleting a client for good (DESIGN §9): purge an archived client, by its owner or by cron.

A client is archived first (services/clients.py) and can be restored for 30 days
(domain/deletion.py). An owner may purge an archived client at any time, naming it to
confirm; `purge_expired` (`cxmaturity clients purge-expired`, for cron) purges those
archived longer. A purge deletes every row of the client in one transaction — all or
nothing — and then its cached PDF reports. The audit log keeps one line, "client #id"
deleted by whom; its earlier lines about the client are reduced to ids.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.deletion import archived_before, reduced_detail
from cxmaturity.domain.statuses import AuditAction
from cxmaturity.domain.text import TextRefused, clean_text
from cxmaturity.reports.pdf import ReportCache
from cxmaturity.services import audit
from cxmaturity.services.access import client_for
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Organization
from cxmaturity.store.queries import deletion as queries

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

logger = logging.getLogger(__name__)
OBJECT_TYPE = "client"


@dataclass(frozen=True)
class Purged:
    client_id: int
    name: str
    assessment_ids: tuple[int, ...]
    reports_removed: int = 0
    """Cached PDF files removed after the commit."""
    workspace_id: int | None = None
    """The workspace it was in, whose stored export files go too (export_job_runs.py)."""


def forget_stored_files(services: Services, purged: Purged) -> None:
    """After a purge: every bulk ZIP with the client's report, and every stored export of its
    workspace (a workspace's export holds every client; its job does not record which)."""
    from cxmaturity.services.bulk_jobs import remove_zips_with_client
    from cxmaturity.services.export_job_runs import remove_files_of_workspace

    remove_zips_with_client(services, None, purged.client_id)
    if purged.workspace_id is not None:
        remove_files_of_workspace(services, purged.workspace_id)


def purge_client(
    sessions: sessionmaker[Session],
    cache: ReportCache,
    actor: Actor | None,
    slug: str,
    client_id: int,
    confirmation: str,
) -> Purged:
    """Delete the archived client and everything of it, if `confirmation` is its name.

    Only owners (DESIGN §7: deletion). Raises NotVisible (another workspace's client, an
    unknown id), Forbidden (a consultant, a viewer), InvalidInput with field "client" when
    the client is not archived, with field "confirmation" when the name does not match;
    nothing is deleted then. StorageUnavailable leaves everything as it was.
    """

    def purge(session: Session) -> Purged:
        workspace, found = client_for(session, actor, slug, client_id, Permission.DELETE)
        organization = queries.lock_client(session, workspace.id, found.id)
        if organization is None:  # purged by another request in between
            raise NotVisible
        if organization.archived_at is None:
            raise InvalidInput("client", "archive the client before deleting it")
        if not _names_match(confirmation, organization.name):
            raise InvalidInput("confirmation", "type the client's name to confirm")
        return _purge_locked(session, actor, organization)

    return _forget_reports(cache, run_in_transaction(sessions, purge))


def purge_expired(
    sessions: sessionmaker[Session],
    cache: ReportCache,
    now: datetime.datetime,
    *,
    dry_run: bool = False,
) -> list[Purged]:
    """Purge every client archived 30 days or more before `now` (for cron); the system acts.

    Each client is purged in its own transaction: a fault stops the run with the clients
    before it purged and the one it hit whole; the next run goes on. With `dry_run`, nothing is
    deleted and the clients due are returned.
    """
    limit = archived_before(now)
    due = run_reading(sessions, lambda session: queries.expired_clients(session, limit))
    if dry_run:
        return [Purged(client_id, name, ()) for _workspace_id, client_id, name in due]
    purged = (
        _purge_one(sessions, cache, workspace_id, client_id, limit)
        for workspace_id, client_id, _name in due
    )
    return [result for result in purged if result is not None]


def _purge_one(
    sessions: sessionmaker[Session],
    cache: ReportCache,
    workspace_id: int,
    client_id: int,
    limit: datetime.datetime,
) -> Purged | None:
    def purge(session: Session) -> Purged | None:
        organization = queries.lock_client(session, workspace_id, client_id)
        # Restored or purged by someone else since the list was read: left alone.
        if organization is None or organization.archived_at is None:
            return None
        if organization.archived_at > limit:
            return None
        return _purge_locked(session, None, organization)

    result = run_in_transaction(sessions, purge)
    return None if result is None else _forget_reports(cache, result)


def _purge_locked(session: Session, actor: Actor | None, organization: Organization) -> Purged:
    """Reduce the audit lines, delete the rows, write the one audit line; the caller commits."""
    client_id, workspace_id, name = organization.id, organization.workspace_id, organization.name
    assessments = queries.assessment_ids(session, client_id)
    _reduce_audit_lines(session, workspace_id, client_id, name, assessments)
    queries.delete_client_rows(session, client_id)
    audit.record(
        session,
        actor,
        AuditAction.DELETED,
        OBJECT_TYPE,
        client_id,
        f"client #{client_id}",
        workspace_id=workspace_id,
    )
    return Purged(client_id, name, tuple(assessments), workspace_id=workspace_id)


def _reduce_audit_lines(
    session: Session, workspace_id: int, client_id: int, name: str, assessments: list[int]
) -> None:
    """Earlier lines keep what happened and the ids, not the client's name or its people.

    In every line of the workspace, the client's name becomes "client #id" and a
    respondent's e-mail address "respondent #id" (an address names one person only). In
    the lines about the client, its assessments and respondents, a respondent's name is
    replaced too, and client staff who acted there are left as user ids.
    """
    people = queries.people_of(session, client_id)
    everywhere = {name: f"client #{client_id}"}
    about_client = {}
    for rid, (respondent_name, email) in people.respondents.items():
        if email:
            everywhere[email] = f"respondent #{rid}"
        if respondent_name:
            about_client[respondent_name] = f"respondent #{rid}"
    for entry in queries.audit_entries_with_detail(session, workspace_id):
        entry.detail = reduced_detail(entry.detail, everywhere)
    about = queries.audit_entries_of(
        session, workspace_id, client_id, assessments, tuple(people.respondents)
    )
    for entry in about:
        entry.detail = reduced_detail(entry.detail, about_client)
        if entry.actor_user_id in people.staff_user_ids:
            entry.actor_email = None


def _forget_reports(cache: ReportCache, purged: Purged) -> Purged:
    """Remove the purged assessments' cached PDFs: after the commit, never before it.

    A file left by a failure here is unreadable to anyone (its assessment is gone) and
    falls out of the cache by its pruning; the failure is logged for the operator.
    """
    try:
        removed = cache.forget(purged.assessment_ids)
    except (OSError, RedisError):
        logger.exception(
            "the cached reports of purged client #%s were not removed", purged.client_id
        )
        removed = 0
    return Purged(
        purged.client_id, purged.name, purged.assessment_ids, removed, purged.workspace_id
    )


def _names_match(confirmation: object, name: str) -> bool:
    if not isinstance(confirmation, str):
        return False
    try:
        typed = clean_text(confirmation, max_length=len(name) + 50)
    except TextRefused:
        return False
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()
