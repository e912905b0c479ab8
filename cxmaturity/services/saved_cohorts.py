"""Saved cohorts (issue 11): a workspace's named filters of clients — list, create, rename, delete.

A cohort stores the filter (questionnaire id and major version, industry, size, tags),
never the clients: whoever matches it in a period is the cohort then. Reading them
takes the workspace's view permission; changing them the consultant's (clients).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.statuses import ORGANIZATION_SIZES, WorkspaceKind
from cxmaturity.domain.text import TextRefused, clean_text
from cxmaturity.services.access import workspace_for
from cxmaturity.services.clients import INDUSTRY_KEYS, normalized_tags
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.services.portfolio import columns_of
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import SavedCohort, Workspace
from cxmaturity.store.queries import saved_cohorts as queries

NAME_MAX_LENGTH = 100
MANAGE = Permission.MANAGE_CLIENTS


@dataclass(frozen=True)
class CohortDefinition:
    """What a person chooses for a cohort; checked by `checked_definition`."""

    name: str
    questionnaire_id: str
    major: str
    industry: str | None = None
    size: str | None = None
    tags: Sequence[str] = ()


@dataclass(frozen=True)
class Cohort:
    id: int
    name: str
    questionnaire_id: str
    major: str
    industry: str | None
    size: str | None
    tags: tuple[str, ...]

    @classmethod
    def of(cls, row: SavedCohort) -> Cohort:
        return cls(
            row.id,
            row.name,
            row.questionnaire_id,
            row.major,
            row.industry,
            row.size,
            tuple(row.tags or ()),
        )

    def query(self) -> dict[str, list[str]]:
        """The portfolio filter's URL fields this cohort sets (its own fields, empty or not)."""
        return {
            "questionnaire": [self.questionnaire_id],
            "major": [self.major],
            "industry": [self.industry or ""],
            "size": [self.size or ""],
            "tag": list(self.tags),
        }


def portfolio_workspace(session: Session, actor: Actor | None, slug: str) -> Workspace:
    """The workspace if the actor sees its portfolio: a team workspace, which assesses
    only its own company, has none, and answers NotVisible (404) like an unknown one."""
    workspace = workspace_for(session, actor, slug, Permission.VIEW_WORKSPACE)
    if workspace.kind == WorkspaceKind.TEAM.value:
        raise NotVisible
    return workspace


def cohorts_in(session: Session, workspace: Workspace) -> tuple[Cohort, ...]:
    return tuple(Cohort.of(row) for row in queries.cohorts_of(session, workspace.id))


def cohort_in(session: Session, workspace: Workspace, cohort_id: int) -> Cohort:
    """The workspace's cohort; NotVisible for another workspace's, as for an unknown id."""
    row = queries.cohort_in(session, workspace.id, cohort_id)
    if row is None:
        raise NotVisible
    return Cohort.of(row)


def list_cohorts(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str
) -> tuple[Cohort, ...]:
    return run_reading(
        sessions, lambda session: cohorts_in(session, portfolio_workspace(session, actor, slug))
    )


def checked_definition(catalogue: Catalogue, definition: CohortDefinition) -> CohortDefinition:
    """The definition as stored; raises InvalidInput naming the field refused."""
    try:
        name = clean_text(definition.name or "", required=True, max_length=NAME_MAX_LENGTH)
    except TextRefused as refused:
        raise InvalidInput("name", str(refused)) from None
    columns_of(catalogue, definition.questionnaire_id, definition.major)
    industry = definition.industry or None
    if industry is not None and industry not in INDUSTRY_KEYS:
        raise InvalidInput("industry", f"{industry!r} is not an industry")
    size = definition.size or None
    if size is not None and size not in ORGANIZATION_SIZES:
        raise InvalidInput("size", f"{size!r} is not a size")
    return CohortDefinition(
        name=name,
        questionnaire_id=definition.questionnaire_id,
        major=definition.major,
        industry=industry,
        size=size,
        tags=tuple(sorted(normalized_tags(definition.tags))),
    )


def create_cohort(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    definition: CohortDefinition,
) -> int:
    """Save the filter under its name; return the cohort's id. InvalidInput("name") where
    the workspace has a cohort of that name already."""
    definition = checked_definition(catalogue, definition)

    def create(session: Session) -> int:
        workspace = _managed_workspace(session, actor, slug)
        _refuse_taken_name(session, workspace.id, definition.name, None)
        row = SavedCohort(
            workspace_id=workspace.id,
            name=definition.name,
            questionnaire_id=definition.questionnaire_id,
            major=definition.major,
            industry=definition.industry,
            size=definition.size,
            tags=list(definition.tags),
        )
        session.add(row)
        session.flush()
        return row.id

    return run_in_transaction(sessions, create)


def rename_cohort(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, cohort_id: int, name: str
) -> None:
    """Give the cohort another name; InvalidInput("name") for a name refused or taken."""

    def rename(session: Session) -> None:
        # The cohort first, as for a delete: another workspace's is not found (404) whoever
        # asks, also a viewer, and whatever name was sent.
        workspace = portfolio_workspace(session, actor, slug)
        row = _row(session, workspace, cohort_id)
        _managed_workspace(session, actor, slug)
        try:
            cleaned = clean_text(name or "", required=True, max_length=NAME_MAX_LENGTH)
        except TextRefused as refused:
            raise InvalidInput("name", str(refused)) from None
        _refuse_taken_name(session, workspace.id, cleaned, row.id)
        row.name = cleaned

    run_in_transaction(sessions, rename)


def delete_cohort(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, cohort_id: int
) -> None:
    def delete(session: Session) -> None:
        # The cohort first: another workspace's is not found (404) whoever asks.
        workspace = portfolio_workspace(session, actor, slug)
        row = _row(session, workspace, cohort_id)
        _managed_workspace(session, actor, slug)
        session.delete(row)

    run_in_transaction(sessions, delete)


def _managed_workspace(session: Session, actor: Actor | None, slug: str) -> Workspace:
    workspace = portfolio_workspace(session, actor, slug)
    assert actor is not None  # workspace_for refuses no actor
    actor.require(MANAGE, workspace.id)
    return workspace


def _row(session: Session, workspace: Workspace, cohort_id: int) -> SavedCohort:
    row = queries.cohort_in(session, workspace.id, cohort_id)
    if row is None:
        raise NotVisible
    return row


def _refuse_taken_name(
    session: Session, workspace_id: int, name: str, other_than: int | None
) -> None:
    if queries.name_taken(session, workspace_id, name, other_than):
        raise InvalidInput("name", "another cohort of this workspace has this name")
