"""Exports of a client or a whole workspace as CSV and XLSX (DESIGN §9): who may, and the files.

Consultants and owners may export (Permission.EXPORT); a viewer is refused (403);
anyone outside the workspace, or a consultant not listed for the client, gets
NotVisible (404). A limited consultant's workspace export holds only their clients.
The operator at the command line (`OPERATOR`) needs no account and exports anything.

One query per table whatever the number of clients, streamed in batches inside
one read-only session, and written as it comes: memory stays bounded. Each export
complete is recorded in the audit log (DESIGN §2), the operator's as "(command line)".
A background job (export_job_runs.py) calls the same functions with `progress`, so
that its file is exactly the download's.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, NotVisible, Permission
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.statuses import AuditAction
from cxmaturity.exports.tabular import Row, Table, write_csv, write_xlsx
from cxmaturity.services import audit
from cxmaturity.services.access import client_for, workspace_for
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.export_columns import TABLE_NAMES
from cxmaturity.services.export_tables import Source, table
from cxmaturity.store.database import reading, run_in_transaction, run_reading
from cxmaturity.store.models import utc_now
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import clients as client_queries

__all__ = [
    "OPERATOR",
    "PROGRESS_ROWS",
    "TABLE_NAMES",
    "ExportPage",
    "Operator",
    "Progress",
    "export_page",
    "workspace_xlsx",
    "write_csv_tables",
    "write_csv_zip",
    "write_table_csv",
    "write_workspace_xlsx",
]


class Operator:
    """The operator at the command line: no account, every client of every workspace."""


OPERATOR = Operator()
Who = Actor | Operator | None
Progress = Callable[[int, int], object]
"""Called with (tables written, rows written) after each table and every PROGRESS_ROWS rows."""
PROGRESS_ROWS = 10_000


@dataclass(frozen=True)
class _Scope:
    workspace_id: int
    clients: Collection[int] | None
    """The client ids exported; None: every client of the workspace."""


@dataclass(frozen=True)
class ExportPage:
    """What `/w/<slug>/exports/` lists (or the export block of one client)."""

    workspace_slug: str
    workspace_name: str
    tables: tuple[str, ...]
    client_id: int | None = None
    client_name: str | None = None


def export_page(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, client_id: int | None = None
) -> ExportPage:
    """The downloads the actor may take; raises NotVisible or Forbidden like the files do."""

    def read(session: Session) -> ExportPage:
        scope = _scope(session, actor, slug, client_id)
        workspace = account_queries.workspace_by_slug(session, slug)
        assert workspace is not None  # _scope found it
        name = None
        if client_id is not None:
            organization = client_queries.client_in(session, scope.workspace_id, client_id)
            name = organization.name if organization else None
        return ExportPage(workspace.slug, workspace.name, TABLE_NAMES, client_id, name)

    return run_reading(sessions, read)


def write_table_csv(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    who: Who,
    slug: str,
    name: str,
    target: IO[bytes],
    client_id: int | None = None,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> None:
    """One table as CSV into `target`. An unknown table name raises InvalidInput."""
    if name not in TABLE_NAMES:
        raise InvalidInput("table", f"there is no table {name!r}; tables: {', '.join(TABLE_NAMES)}")
    with reading(sessions) as session:
        source = _source(session, catalogue, who, slug, client_id, now)
        write_csv(_Counted(progress).table(table(name, source)), target)
    _record(sessions, who, source, client_id, f"CSV: {name}")


def write_workspace_xlsx(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    who: Who,
    slug: str,
    target: IO[bytes],
    client_id: int | None = None,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> None:
    """Every table as one XLSX workbook into `target` (a sheet per table)."""
    with reading(sessions) as session:
        source = _source(session, catalogue, who, slug, client_id, now)
        write_xlsx(_all_tables(source, progress), target)
    _record(sessions, who, source, client_id, "XLSX: every table")


def write_csv_tables(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    who: Who,
    slug: str,
    open_file: Callable[[str], AbstractContextManager[IO[bytes]]],
    client_id: int | None = None,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> None:
    """Every table as CSV, each into `open_file("<table>.csv")`, all from one read."""
    with reading(sessions) as session:
        source = _source(session, catalogue, who, slug, client_id, now)
        for found in _all_tables(source, progress):
            with open_file(f"{found.name}.csv") as stream:
                write_csv(found, stream)
    _record(sessions, who, source, client_id, "CSV: every table")


def write_csv_zip(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    who: Who,
    slug: str,
    target: IO[bytes],
    client_id: int | None = None,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> None:
    """Every table as `<table>.csv` inside one ZIP written into `target`."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def member(name: str) -> AbstractContextManager[IO[bytes]]:
            return archive.open(name, "w")

        write_csv_tables(sessions, catalogue, who, slug, member, client_id, now, progress)


def workspace_xlsx(
    sessions: sessionmaker[Session], catalogue: Catalogue, slug: str, target: IO[bytes]
) -> None:
    """The whole workspace as XLSX, as the operator exports it (for bench/portfolio.py)."""
    write_workspace_xlsx(sessions, catalogue, OPERATOR, slug, target)


def _record(
    sessions: sessionmaker[Session], who: Who, source: Source, client_id: int | None, what: str
) -> None:
    """The audit line of DESIGN §2 ("who exported"), written once the file is complete: a
    fault here fails the export too, so that no export goes unrecorded."""
    actor = who if isinstance(who, Actor) else None
    detail = what if actor is not None else f"{what} (command line)"

    def work(session: Session) -> None:
        audit.record(
            session,
            actor,
            AuditAction.EXPORTED,
            "client" if client_id is not None else "workspace",
            client_id if client_id is not None else source.workspace_id,
            detail,
            workspace_id=source.workspace_id,
        )

    run_in_transaction(sessions, work)


def _all_tables(source: Source, progress: Progress | None = None) -> Iterator[Table]:
    # Made one at a time: each table's query runs only once the previous sheet is written.
    counted = _Counted(progress)
    for name in TABLE_NAMES:
        yield counted.table(table(name, source))


class _Counted:
    """Counts the rows and tables as the writer takes them, and reports to `progress`."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.tables = 0
        self.rows = 0

    def table(self, found: Table) -> Table:
        if self.progress is None:
            return found
        return Table(found.name, found.columns, self._rows(found.rows))

    def _rows(self, rows: Iterable[Row]) -> Iterator[Row]:
        assert self.progress is not None
        for row in rows:
            self.rows += 1
            if self.rows % PROGRESS_ROWS == 0:
                self.progress(self.tables, self.rows)
            yield row
        self.tables += 1  # the writer asked past the last row: the table is written
        self.progress(self.tables, self.rows)


def _source(
    session: Session,
    catalogue: Catalogue,
    who: Who,
    slug: str,
    client_id: int | None,
    now: datetime.datetime | None,
) -> Source:
    scope = _scope(session, who, slug, client_id)
    return Source(session, scope.workspace_id, scope.clients, catalogue, now or utc_now())


def _scope(session: Session, who: Who, slug: str, client_id: int | None) -> _Scope:
    if isinstance(who, Operator):
        return _operator_scope(session, slug, client_id)
    if client_id is not None:
        workspace, organization = client_for(session, who, slug, client_id, Permission.EXPORT)
        return _Scope(workspace.id, frozenset({organization.id}))
    workspace = workspace_for(session, who, slug, Permission.EXPORT)
    if who is None:  # workspace_for refuses a logged-out actor; this says so to mypy
        raise NotVisible
    return _Scope(workspace.id, who.visible_clients(workspace.id))


def _operator_scope(session: Session, slug: str, client_id: int | None) -> _Scope:
    """Raises InvalidInput naming an unknown workspace or client."""
    workspace = account_queries.workspace_by_slug(session, slug)
    if workspace is None:
        raise InvalidInput("workspace", f"there is no workspace {slug!r}")
    if client_id is None:
        return _Scope(workspace.id, None)
    if client_queries.client_in(session, workspace.id, client_id) is None:
        raise InvalidInput("client", f"workspace {slug!r} has no client {client_id}")
    return _Scope(workspace.id, frozenset({client_id}))
