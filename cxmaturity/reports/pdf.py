"""The PDF report: render it, cache it, and warm up the machinery that draws it.

The web app's "Download PDF", its background pre-render and `cxmaturity report` all
come through here, so the same outcome gives the same report every way. WeasyPrint runs
in a render process (client.py, server.py) that is killed when it overruns
RENDER_TIMEOUT; charts and HTML are made in the caller. Nothing starts at import: the
render process starts with the first report or `warm_up()`.
"""

from __future__ import annotations

import atexit
import datetime
import gc
import os
import re
import threading
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from redis import Redis

from cxmaturity.config import TEMPLATES_DIR
from cxmaturity.domain.outcome import Outcome
from cxmaturity.reports.cache import cache_key, read_entry, write_entry
from cxmaturity.reports.client import RenderProcess
from cxmaturity.reports.cohort import cohort_view
from cxmaturity.reports.errors import ReportRenderError
from cxmaturity.reports.plan import plan_view
from cxmaturity.reports.pool import RenderPool
from cxmaturity.reports.shared_cache import SharedEntries
from cxmaturity.reports.since import since_view
from cxmaturity.reports.targets import targets_view
from cxmaturity.reports.texts import ReportText
from cxmaturity.reports.view import build_view

__all__ = ["ReportCache", "ReportRenderError", "render_report", "warm_up"]

RENDER_TIMEOUT = 20.0
"""Seconds a render may take: far above the ~1 s a report needs, below gunicorn's 30 s."""


@cache
def _templates() -> Environment:
    # autoescape=True, not select_autoescape: every template here is HTML whatever its name.
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / "report"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def render_process() -> RenderProcess:
    """This process's render process (made on first use; it starts with the first report)."""
    process = RenderProcess()
    atexit.register(process.close)
    return process


def report_html(outcome: Outcome, language: str, day: datetime.date) -> str:
    """The report as the HTML document WeasyPrint lays out."""
    # Imported here: matplotlib takes half a second to load, which a cached download
    # should not pay, and a first report pays while the render process loads WeasyPrint.
    from cxmaturity.reports.charts import bars_svg, data_uri, radar_svg
    from cxmaturity.reports.cohort_chart import cohort_svg
    from cxmaturity.reports.kpis import kpi_rows

    view = build_view(outcome, language, day)
    cohort = cohort_view(outcome, language)
    questionnaire, result = outcome.questionnaire, outcome.result
    t = view.t
    return (
        _templates()
        .get_template("report.html")
        .render(
            r=view,
            t=t,
            _=t.gettext,
            ngettext=t.ngettext,
            language=language,
            created=day.isoformat(),
            radar=data_uri(
                radar_svg(
                    questionnaire, result, language, outcome.previous, targets=outcome.targets
                )
            ),
            targets=targets_view(outcome, language),
            bars=data_uri(bars_svg(questionnaire, result, language)),
            plan=plan_view(outcome, language),
            since=since_view(outcome, t),
            kpis=kpi_rows(outcome.kpis, language, t.gettext),
            cohort=cohort,
            cohort_chart=data_uri(cohort_svg(cohort, language)) if cohort else "",
        )
    )


def render_report(
    outcome: Outcome,
    language: str,
    day: datetime.date,
    *,
    timeout: float = RENDER_TIMEOUT,
    process: RenderProcess | RenderPool | None = None,
) -> bytes:
    """The PDF report in `language` ("de" or "en") dated `day`; raises ReportRenderError.

    Rendered by this process's render process unless `process` names another: a bulk
    job renders with a pool of its own, one process per core (pool.py).
    """
    ReportText(language)  # refuses an unknown language before any work starts
    process = process or render_process()
    process.start()  # loads WeasyPrint in parallel with the charts drawn below
    # The charts and the view leave reference cycles (matplotlib's figures, Jinja's
    # contexts) that only a full collection frees; left to itself, the process grows by
    # about 40 KB a report until one comes. Collected while the render process lays the
    # report out, it costs the caller no time — unless it renders with a pool: its other
    # threads, drawing the next reports, would wait for the collection, so a bulk job
    # collects once at its end instead (services/bulk_render.py).
    collect = None if isinstance(process, RenderPool) else gc.collect
    return process.render(report_html(outcome, language, day), timeout, while_waiting=collect)


class ReportCache:
    """PDFs by a hash of their inputs, in a folder shared by all worker processes.

    Each file's name starts with the id of the assessment it reports on
    (`<assessment id>-<key>.pdf`): the hash alone names no client, and purging a
    client (DESIGN §9) must find and remove its reports (`forget`).

    Within one process, a report asked for while it is being rendered (a download just
    after the submit that started its pre-render) waits for that render instead of
    starting a second one.

    With `redis` (CXM_REDIS_URL) the PDFs live in Redis instead of the folder, under the
    same names (shared_cache.py), so that every host finds what any host rendered; while
    Redis does not answer, this host's folder serves instead.
    """

    def __init__(self, directory: Path, keep: int = 1000, *, redis: Redis | None = None) -> None:
        self.shared = SharedEntries(redis) if redis is not None else None
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.renders = 0
        """How many reports this cache rendered (misses) — a hit renders nothing."""
        self._lock = threading.Lock()
        self._rendering: dict[str, threading.Lock] = {}
        # Purged in this process: a render that was under way then is not stored.
        self._forgotten: set[int] = set()

    def path_for(
        self, outcome: Outcome, language: str, day: datetime.date, *, assessment_id: int
    ) -> Path:
        ReportText(language)
        return self.directory / f"{assessment_id}-{cache_key(outcome, language, day)}.pdf"

    def get(
        self, outcome: Outcome, language: str, day: datetime.date, *, assessment_id: int
    ) -> bytes | None:
        """The cached PDF, or None."""
        return self._found(self.path_for(outcome, language, day, assessment_id=assessment_id))

    def _found(self, path: Path) -> bytes | None:
        # While Redis does not answer, the folder stands in for it (shared_cache.py).
        shared = self.shared
        if shared is not None and not shared.resting():
            found = shared.get(self._shared_name(path))
            if found is not None or not shared.resting():
                return found
        return _used(path)

    def _store(self, path: Path, pdf: bytes) -> None:
        shared = self.shared
        if shared is not None and not shared.resting():
            shared.put(self._shared_name(path), pdf)
            if not shared.resting():
                return
        write_entry(path, pdf, self.keep)

    @staticmethod
    def _shared_name(path: Path) -> str:
        assessment_id, _, key = path.stem.partition("-")
        return SharedEntries.key(int(assessment_id), key)

    def get_or_render(
        self,
        outcome: Outcome,
        language: str,
        day: datetime.date,
        *,
        assessment_id: int,
        process: RenderProcess | RenderPool | None = None,
    ) -> bytes:
        """The cached PDF, rendered and stored first when it is not there yet (by `process`
        if given, see `render_report`)."""
        path = self.path_for(outcome, language, day, assessment_id=assessment_id)
        found = self._found(path)
        if found is not None:
            return found
        with self._lock:
            rendering = self._rendering.setdefault(path.name, threading.Lock())
        with rendering:  # a render of the same report in another thread ends first
            try:
                found = self._found(path)
                if found is not None:
                    return found
                pdf = render_report(outcome, language, day, process=process)
                self.renders += 1
                if assessment_id not in self._forgotten:
                    self._store(path, pdf)
                return pdf
            finally:
                with self._lock:
                    self._rendering.pop(path.name, None)

    def forget(self, assessment_ids: Iterable[int]) -> int:
        """Remove every cached report of these assessments; return how many files went.

        Files named by the hash alone (written before reports carried their assessment's
        id) go too: nothing tells whose they are, and no request finds them any more.
        """
        removed = 0
        for assessment_id in assessment_ids:
            self._forgotten.add(int(assessment_id))
            removed += _unlinked(self.directory.glob(f"{int(assessment_id)}-*.pdf"))
            if self.shared is not None:  # a RedisError reaches the purge, which logs it
                removed += self.shared.forget(int(assessment_id))
        return removed + _unlinked(
            path for path in self.directory.glob("*.pdf") if UNOWNED_ENTRY.fullmatch(path.name)
        )


UNOWNED_ENTRY = re.compile(r"[0-9a-f]{64}\.pdf")


def _unlinked(paths: Iterable[Path]) -> int:
    count = 0
    for path in list(paths):
        with suppress(FileNotFoundError):
            path.unlink()
            count += 1
    return count


def _used(path: Path) -> bytes | None:
    found = read_entry(path)
    if found is not None:
        # A hit counts as use: pruning drops the least recently used entries first.
        with suppress(FileNotFoundError):
            os.utime(path)
    return found


def warm_up() -> None:
    """Start the render process and load matplotlib, fonts and templates (at worker start)."""
    from cxmaturity.reports import charts

    process = render_process()
    process.start()
    charts.warm_up()
    _templates().get_template("report.html")
    process.warm_up(RENDER_TIMEOUT)
