"""Downloads of a workspace's or a client's data: `/w/<slug>/exports/` and its files (DESIGN §9).

The workspace's files are made by background jobs (issue 12: a large workspace takes
longer than a request may): the page's buttons start one (`POST exports/jobs`), its page
`exports/jobs/<id>` shows the progress and refreshes itself until the file is ready
(no JavaScript needed), and `…/file` downloads it. A client's files are small and are
downloaded directly, as are the workspace's at their old addresses (for links kept):
services/exports.py checks who may and writes the file into a spooled temporary file
(memory up to SPOOL_BYTES, then disk), sent as an attachment. Every file is built before
the first byte is sent, so that a fault of the database still answers 503 "try again"
instead of a cut-off download.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from typing import IO

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from cxmaturity.domain.statuses import ExportJobError
from cxmaturity.services import export_jobs, exports
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.errors import RETRY_AFTER_SECONDS

blueprint = Blueprint("exports", __name__, url_prefix="/w/<slug>")

SPOOL_BYTES = 8 * 1024 * 1024
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFRESH_SECONDS = 2


@blueprint.app_context_processor
def export_tables() -> dict:
    """The table names, for the client page's export links (templates/clients/exports.html)."""
    return {"export_tables": exports.TABLE_NAMES}


@blueprint.get("/exports/")
def page(slug: str):
    found = exports.export_page(services().sessions, current_actor(), slug)
    recent = export_jobs.recent_jobs(services(), current_actor(), slug)
    return render_template("exports/page.html", page=found, recent=recent)


@blueprint.post("/exports/jobs")
def start_job(slug: str):
    """Start the workspace's XLSX, its CSVs as a ZIP, or one table's CSV, as a job."""
    job_id = export_jobs.start_job(
        services(),
        current_actor(),
        slug,
        request.form.get("format", ""),
        request.form.get("table") or None,
    )
    return redirect(url_for(".job", slug=slug, job_id=job_id), 303)


@blueprint.get("/exports/jobs/<int:job_id>")
def job(slug: str, job_id: int):
    found = export_jobs.job_page(services(), current_actor(), slug, job_id)
    html = render_template(
        "exports/job.html",
        page=found,
        job=found.job,
        refresh=REFRESH_SECONDS,
        error_text=error_text,
    )
    if found.job.error:
        # A failed job answers as any fault of the server does: 503, try again.
        return html, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return html


@blueprint.get("/exports/jobs/<int:job_id>/file")
def job_file(slug: str, job_id: int):
    try:
        source, found = export_jobs.job_file(services(), current_actor(), slug, job_id)
    except (export_jobs.ExportNotReady, export_jobs.ExportFailed):
        return redirect(url_for(".job", slug=slug, job_id=job_id), 303)
    except export_jobs.ExportRemoved:
        return render_template("error.html", code=410, message=removed_text()), 410
    response = send_file(
        source, mimetype=found.media_type, as_attachment=True, download_name=found.download_name
    )
    response.headers["Cache-Control"] = "no-store"  # personal data: no copy in any cache
    return response


def removed_text() -> str:
    return _(
        "This file was removed: files are kept for 24 hours, and a client's deletion removes"
        " every file of the workspace. Please start the export again."
    )


def error_text(error: ExportJobError | None) -> str:
    texts = {
        ExportJobError.INTERRUPTED: _(
            "The export was interrupted: the application restarted while it was made. "
            "Please try again."
        ),
        ExportJobError.STORAGE: _(
            "The database was not available while the export was made. "
            "Nothing was kept. Please try again in a moment."
        ),
        ExportJobError.NOT_ALLOWED: _(
            "You may no longer export this workspace's data, so nothing was made."
        ),
        ExportJobError.CLIENT_PURGED: _(
            "A client was deleted for good while the export was made, so the file was not "
            "kept. Please try again."
        ),
        ExportJobError.UNEXPECTED: _(
            "Something went wrong while the export was made. Please try again in a minute."
        ),
    }
    return texts.get(error, "") if error else ""


@blueprint.get("/exports/<table>.csv")
def workspace_table(slug: str, table: str):
    _known(table)
    return _download(
        lambda out: exports.write_table_csv(*_common(), slug, table, out, now=services().now()),
        f"{slug}-{table}-{_today()}.csv",
        CSV,
    )


@blueprint.get("/exports/workspace.xlsx")
def workspace_xlsx(slug: str):
    return _download(
        lambda out: exports.write_workspace_xlsx(*_common(), slug, out, now=services().now()),
        f"{slug}-{_today()}.xlsx",
        XLSX,
    )


@blueprint.get("/clients/<int:client_id>/exports/<table>.csv")
def client_table(slug: str, client_id: int, table: str):
    _known(table)
    return _download(
        lambda out: exports.write_table_csv(
            *_common(), slug, table, out, client_id, now=services().now()
        ),
        f"{slug}-client-{client_id}-{table}-{_today()}.csv",
        CSV,
    )


@blueprint.get("/clients/<int:client_id>/exports/client.xlsx")
def client_xlsx(slug: str, client_id: int):
    return _download(
        lambda out: exports.write_workspace_xlsx(
            *_common(), slug, out, client_id, now=services().now()
        ),
        f"{slug}-client-{client_id}-{_today()}.xlsx",
        XLSX,
    )


def _known(table: str) -> None:
    if table not in exports.TABLE_NAMES:
        abort(404)


def _common():
    return services().sessions, services().catalogue, current_actor()


def _today() -> str:
    return services().now().date().isoformat()


def _download(write: Callable[[IO[bytes]], None], filename: str, mimetype: str):
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed below
    try:
        write(spooled)
        size = spooled.tell()
        spooled.seek(0)
        # A file that stayed in memory is sent as bytes and closed now; a larger one is
        # streamed from its temporary file, which the server closes after the last byte.
        body: IO[bytes] | bytes = spooled.read() if size <= SPOOL_BYTES else spooled
    except BaseException:
        spooled.close()
        raise
    if isinstance(body, bytes):
        spooled.close()
        body = io.BytesIO(body)
    response = send_file(body, mimetype=mimetype, as_attachment=True, download_name=filename)
    # Personal data: no copy in a shared cache or the browser's.
    response.headers["Cache-Control"] = "no-store"
    return response
