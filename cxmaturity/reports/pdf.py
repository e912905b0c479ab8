"""The PDF report: render it, cache it, and warm up the machinery that draws it.

The web app's "Download PDF" and `cxmaturity report` both come through here, so the same
answers give the same report both ways. WeasyPrint runs in a render process (worker.py)
that is killed when it overruns RENDER_TIMEOUT; charts and HTML are made in the caller.
"""

from __future__ import annotations

import atexit
import os
from contextlib import suppress
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from cxmaturity.config import TEMPLATES_DIR
from cxmaturity.reports.cache import cache_key, read_entry, write_entry
from cxmaturity.reports.errors import ReportRenderError
from cxmaturity.reports.model import ReportInput
from cxmaturity.reports.strings import Strings
from cxmaturity.reports.view import build_view
from cxmaturity.reports.worker import RenderProcess

__all__ = ["ReportCache", "ReportRenderError", "render_report", "warm_up"]

RENDER_TIMEOUT = 20.0
"""Seconds a render may take: far above the ~1 s a report needs, below gunicorn's 30 s."""

# autoescape=True, not select_autoescape: every template here is HTML whatever its name.
_templates = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR / "report"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_render_process = RenderProcess()
atexit.register(_render_process.close)


def report_html(report: ReportInput, language: str) -> str:
    """The report as the HTML document WeasyPrint lays out."""
    # Imported here: matplotlib takes half a second to load, which a cached download
    # should not pay, and a first report pays while the render process loads WeasyPrint.
    from cxmaturity.reports.charts import bars_svg, data_uri, radar_svg

    view = build_view(report, language)
    questionnaire, result = report.questionnaire, report.result
    return _templates.get_template("report.html").render(
        r=view,
        t=view.t,
        language=language,
        created=report.generated_on.isoformat(),
        radar=data_uri(radar_svg(questionnaire, result, language, report.previous)),
        bars=data_uri(bars_svg(questionnaire, result, language)),
    )


def render_report(report: ReportInput, language: str, *, timeout: float = RENDER_TIMEOUT) -> bytes:
    """The PDF report in `language` ("de" or "en"); raises ReportRenderError on failure."""
    Strings(language)  # refuses an unknown language before any work starts
    _render_process.start()  # loads WeasyPrint in parallel with the charts drawn below
    return _render_process.render(report_html(report, language), timeout)


class ReportCache:
    """PDFs by a hash of their inputs, in a folder shared by all worker processes."""

    def __init__(self, directory: Path, keep: int = 1000) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.renders = 0
        """How many reports this cache rendered (misses) — a hit renders nothing."""

    def path_for(self, report: ReportInput, language: str) -> Path:
        Strings(language)
        return self.directory / f"{cache_key(report, language)}.pdf"

    def get(self, report: ReportInput, language: str) -> bytes | None:
        """The cached PDF, or None."""
        return _used(self.path_for(report, language))

    def get_or_render(self, report: ReportInput, language: str) -> bytes:
        """The cached PDF, rendered and stored first when it is not there yet."""
        path = self.path_for(report, language)
        found = _used(path)
        if found is not None:
            return found
        pdf = render_report(report, language)
        self.renders += 1
        write_entry(path, pdf, self.keep)
        return pdf


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

    _render_process.start()
    charts.warm_up()
    _templates.get_template("report.html")
    _render_process.warm_up(RENDER_TIMEOUT)
