"""Bulk PDFs as a ZIP (DESIGN §9): many clients' reports of one period, rendered on every core.

`render_zip` is the work itself, for the app's background job (`run_job`), a queue worker
later (issue 12: `run_job(services, job_id)` is a plain function over ids) and the bench.
Each client's latest closed assessment of the period is rendered exactly as its "Download
PDF" renders it (same outcome, same day), so the report cache serves every report that
was rendered before, and fills up with those that were not.
"""

from __future__ import annotations

import datetime
import gc
import logging
import os
import re
import secrets
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from cxmaturity.domain.outcome import Outcome
from cxmaturity.exports.tabular import Column, Table, csv_bytes
from cxmaturity.reports.errors import ReportRenderError
from cxmaturity.reports.pool import RenderPool
from cxmaturity.reports.texts import ReportText
from cxmaturity.services.cohorts import PeriodPeers
from cxmaturity.services.errors import NotVisible
from cxmaturity.services.results import GERMAN_TRANSLITERATION, consultant_outcome
from cxmaturity.store.database import run_reading
from cxmaturity.store.models import Assessment
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import bulk_reports as bulk_queries

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

MANIFEST = "manifest.csv"
logger = logging.getLogger(__name__)


class BulkRenderFailed(Exception):
    """A report of the job could not be rendered, also when tried a second time."""

    def __init__(self, client_id: int) -> None:
        super().__init__(f"the report of client {client_id} could not be rendered")
        self.client_id = client_id


@dataclass(frozen=True)
class Entry:
    """One chosen client: its report's assessment and file name, or none of the period."""

    client_id: int
    name: str
    assessment_id: int | None
    file_name: str | None


def report_entry_name(client: str, period: str, language: str, client_id: int | None = None) -> str:
    """`Report_<Client>_<Period>_<lang>.pdf`, the client's name in letters, digits, dashes;
    with `client_id` after the name where another client's name reads the same."""
    german = client.translate(GERMAN_TRANSLITERATION)
    ascii_name = unicodedata.normalize("NFKD", german).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")[:60] or "client"
    if client_id is not None:
        slug = f"{slug}-{client_id}"
    return f"Report_{slug}_{period}_{language}.pdf"


def plan(
    services: Services, workspace_slug: str, client_ids: Sequence[int], period: str, language: str
) -> list[Entry]:
    """The job's entries in the chosen order; raises NotVisible for an unknown workspace."""

    def read(session: Session) -> list[Entry]:
        workspace = account_queries.workspace_by_slug(session, workspace_slug)
        if workspace is None:
            raise NotVisible
        names = bulk_queries.client_names(session, workspace.id, client_ids)
        latest = bulk_queries.latest_closed_of_period(session, workspace.id, client_ids, period)
        entries, taken = [], set()
        for client_id in client_ids:
            if client_id not in names:
                continue  # deleted since the job was asked for: nothing to report
            assessment_id = latest.get(client_id)
            file_name = None
            if assessment_id is not None:
                file_name = report_entry_name(names[client_id], period, language)
                if file_name in taken:  # two names alike once reduced to letters
                    file_name = report_entry_name(names[client_id], period, language, client_id)
                taken.add(file_name)
            entries.append(Entry(client_id, names[client_id], assessment_id, file_name))
        return entries

    return run_reading(services.sessions, read)


def render_zip(
    services: Services,
    workspace_slug: str,
    client_ids: Sequence[int],
    period: str,
    language: str,
    *,
    pool: RenderPool | None = None,
    progress: Callable[[int], object] | None = None,
    zip_name: str | None = None,
) -> tuple[Path, float]:
    """The ZIP of the clients' reports and manifest.csv, and the seconds it took.

    Not authorized here: callers are the job (checked when it was asked for), a queue
    worker, and the bench. Reports come through the report cache; those not cached are
    rendered by `pool` (a pool of its own, closed at the end, without one) on every core.
    `progress(n)` is called after each client with how many are done. Raises
    BulkRenderFailed, and StorageUnavailable for a fault of the database.
    """
    started = time.perf_counter()
    own_pool = pool is None
    pool = pool or RenderPool()
    pool.start()  # loads WeasyPrint while the outcomes are read below
    try:
        entries = plan(services, workspace_slug, client_ids, period, language)
        directory = services.bulk_jobs.directory
        final = directory / (zip_name or f"bulk-{secrets.token_hex(8)}.zip")
        draft = final.with_name(f".{final.name}.part")
        try:
            with zipfile.ZipFile(draft, "w") as archive:
                _render_into(services, archive, entries, language, pool, progress)
                archive.writestr(MANIFEST, manifest_csv(entries, period, language))
            os.replace(draft, final)
        finally:
            draft.unlink(missing_ok=True)
    finally:
        if own_pool:
            pool.close()
    return final, time.perf_counter() - started


def _render_into(
    services: Services,
    archive: zipfile.ZipFile,
    entries: Sequence[Entry],
    language: str,
    pool: RenderPool,
    progress: Callable[[int], object] | None,
) -> None:
    """Each entry's report into the archive, in parallel threads (see reports/pool.py)."""
    day = services.today()
    peers = PeriodPeers()  # every report of the job stands in the same cohort
    lock = threading.Lock()
    failed = threading.Event()
    done = [sum(1 for entry in entries if entry.assessment_id is None)]
    if progress is not None and done[0]:
        progress(done[0])

    def render(entry: Entry) -> None:
        if failed.is_set():
            return  # another report failed: the job fails, the rest is not worth the time
        assert entry.assessment_id is not None and entry.file_name is not None
        assessment_id = entry.assessment_id
        try:
            outcome = run_reading(
                services.sessions,
                lambda session: consultant_outcome(
                    session,
                    services.catalogue,
                    session.get_one(Assessment, assessment_id),
                    peers,
                ),
            )
            pdf = _rendered(services, outcome, language, day, pool, entry.client_id, assessment_id)
        except BaseException:
            failed.set()
            raise
        with lock:  # one writer at a time: zipfile is not thread-safe
            archive.writestr(entry.file_name, pdf)
            done[0] += 1
            if progress is not None:
                progress(done[0])

    with ThreadPoolExecutor(pool.threads, thread_name_prefix="bulk-render") as threads:
        futures = [threads.submit(render, e) for e in entries if e.assessment_id is not None]
    gc.collect()  # the reports' reference cycles, once for all (see reports/pdf.render_report)
    for future in futures:
        future.result()  # the first failure, raised in the job's thread


def _rendered(
    services: Services,
    outcome: Outcome,
    language: str,
    day: datetime.date,
    pool: RenderPool,
    client_id: int,
    assessment_id: int,
) -> bytes:
    # A render process that crashed or overran is restarted by the next call: try once more.
    for attempt in (1, 2):
        try:
            return services.report_cache.get_or_render(
                outcome, language, day, assessment_id=assessment_id, process=pool
            )
        except ReportRenderError:
            logger.warning("bulk report of client %s failed (attempt %s)", client_id, attempt)
    raise BulkRenderFailed(client_id)


MANIFEST_COLUMNS = (
    Column("client_id", 10),
    Column("client", 30),
    Column("period", 8),
    Column("file", 40),
    Column("status", 24),
)


def manifest_csv(entries: Sequence[Entry], period: str, language: str) -> bytes:
    """The ZIP's table of contents: one row per chosen client, UTF-8 with BOM, formula-safe
    (DESIGN §9), written like every other export."""
    t = ReportText(language)
    included = t.gettext("report included")
    missing = t.gettext("not assessed in %(period)s", period=period)
    rows = [
        (
            entry.client_id,
            entry.name,
            period,
            entry.file_name or "",
            included if entry.file_name else missing,
        )
        for entry in entries
    ]
    return csv_bytes(Table("manifest", MANIFEST_COLUMNS, rows))
