"""`/api/v1/exports/…` and `/api/v1/clients/<id>/exports/…`: the export files of DESIGN §9
(CSV, UTF-8 with BOM, formula-safe; XLSX), as the web's exports page offers them.

Each file is written whole into a temporary file before the first byte is sent, so
that a fault of the database answers a 503 problem, never a cut-off download. A whole
workspace's files can take minutes, longer than a request may: `POST /exports` starts
them as a background job (`/exports/jobs/<id>`, its file at `…/file`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from flask import Response, url_for

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.export_schemas import ExportJobIn, ExportJobOut
from cxmaturity.api.problems import ApiProblem
from cxmaturity.api.schemas import IdempotencyHeaders, Problem
from cxmaturity.api.spec import FILE_TYPES, answers, api
from cxmaturity.domain.statuses import ExportJobStatus
from cxmaturity.services import export_jobs, exports
from cxmaturity.services.errors import NotVisible

TAGS = ["exports"]
CSV = FILE_TYPES[".csv"]
XLSX = FILE_TYPES[".xlsx"]
SPOOL_BYTES = 8 * 1024 * 1024
RETRY = {"Retry-After": "5"}


def _download(write: Callable[[IO[bytes]], None], filename: str, mimetype: str) -> Response:
    # The whole file is in the answer: spectree reads an answer's body to check it, which
    # a streamed file cannot give (a later step may stream large ones past spectree).
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spooled:
        write(spooled)
        spooled.seek(0)
        content = spooled.read()
    disposition = f"attachment; filename={filename}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(content, mimetype=mimetype, headers=headers)


def _known(table: str) -> None:
    if table not in exports.TABLE_NAMES:
        raise NotVisible


def _who():
    own, found = services(), token()
    return own.sessions, own.catalogue, found.actor


def _name(*parts: object) -> str:
    return "-".join(str(part) for part in (token().workspace_slug, *parts))


@blueprint.get("/exports/<table>.csv")
@api.validate(resp=answers(), tags=TAGS)
def workspace_table(table: str):
    """One table of the workspace as CSV (assessments, dimension scores, answers as the
    anonymity mode allows, participation, targets, actions, KPIs)."""
    _known(table)
    slug, now = token().workspace_slug, services().now()
    return _download(
        lambda out: exports.write_table_csv(*_who(), slug, table, out, now=now),
        f"{_name(table, now.date())}.csv",
        CSV,
    )


@blueprint.get("/exports/workspace.xlsx")
@api.validate(resp=answers(), tags=TAGS)
def workspace_xlsx():
    """Every table of the workspace as one XLSX workbook."""
    slug, now = token().workspace_slug, services().now()
    return _download(
        lambda out: exports.write_workspace_xlsx(*_who(), slug, out, now=now),
        f"{_name(now.date())}.xlsx",
        XLSX,
    )


@blueprint.get("/clients/<int:client_id>/exports/<table>.csv")
@api.validate(resp=answers(), tags=TAGS)
def client_table(client_id: int, table: str):
    """One table of one client as CSV."""
    _known(table)
    slug, now = token().workspace_slug, services().now()
    return _download(
        lambda out: exports.write_table_csv(*_who(), slug, table, out, client_id, now=now),
        f"{_name('client', client_id, table, now.date())}.csv",
        CSV,
    )


@blueprint.get("/clients/<int:client_id>/exports/client.xlsx")
@api.validate(resp=answers(), tags=TAGS)
def client_xlsx(client_id: int):
    """Every table of one client as one XLSX workbook."""
    slug, now = token().workspace_slug, services().now()
    return _download(
        lambda out: exports.write_workspace_xlsx(*_who(), slug, out, client_id, now=now),
        f"{_name('client', client_id, now.date())}.xlsx",
        XLSX,
    )


# --- the workspace's exports as background jobs (issue 12) ---------------------------------


def _job_out(job: export_jobs.ExportJobView) -> ExportJobOut:
    ready = job.status is ExportJobStatus.DONE and job.has_file
    return ExportJobOut(
        id=job.id,
        format=job.format.value,
        table=job.table_name,
        status=job.status.value,
        tables_done=job.done_count,
        tables_total=job.total,
        rows_done=job.rows_done,
        error=job.error.value if job.error else None,
        created_at=job.created_at,
        finished_at=job.finished_at,
        file=url_for("api.export_job_file", job_id=job.id) if ready else None,
    )


def _job(job_id: int) -> export_jobs.ExportJobView:
    found = token()
    return export_jobs.job_page(services(), found.actor, found.workspace_slug, job_id).job


@blueprint.post("/exports")
@api.validate(
    json=ExportJobIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_202=ExportJobOut),
    tags=TAGS,
)
def start_export_job(json: ExportJobIn):
    """Start an export of the whole workspace in the background: 202 with the job, whose
    `Location` says where to follow it. Large workspaces must export this way."""
    found = token()
    job_id = export_jobs.start_job(
        services(), found.actor, found.workspace_slug, json.format, json.table
    )
    location = url_for("api.get_export_job", job_id=job_id)
    return _job_out(_job(job_id)), 202, {"Location": location}


@blueprint.get("/exports/jobs/<int:job_id>")
@api.validate(resp=answers(HTTP_200=ExportJobOut), tags=TAGS)
def get_export_job(job_id: int):
    """An export job: its status and progress, and once done where its file is."""
    return _job_out(_job(job_id))


@blueprint.get("/exports/jobs/<int:job_id>/file")
@api.validate(resp=answers(HTTP_409=Problem, HTTP_410=Problem), tags=TAGS)
def export_job_file(job_id: int):
    """The export job's file (XLSX, ZIP of CSVs, or CSV); 409 while it is queued or running
    or when it failed, 410 once it was removed (after 24 hours)."""
    found = token()
    try:
        source, job = export_jobs.job_file(services(), found.actor, found.workspace_slug, job_id)
    except export_jobs.ExportNotReady as error:
        detail = "The export is not done yet; follow its job and ask again when it is done."
        raise ApiProblem(409, "export-not-done", "Conflict", detail, RETRY) from error
    except export_jobs.ExportFailed as error:
        detail = "The export failed (its job says why); start a new one."
        raise ApiProblem(409, "export-failed", "Conflict", detail) from error
    except export_jobs.ExportRemoved as error:
        detail = "The file was removed (files are kept 24 hours); start a new export."
        raise ApiProblem(410, "export-removed", "Gone", detail) from error
    # The whole file is read, as for the downloads above: spectree reads the answer's body.
    content = source.read_bytes() if isinstance(source, Path) else source.read()
    headers = {
        "Content-Disposition": f"attachment; filename={job.download_name}",
        "Cache-Control": "no-store",
    }
    return Response(content, mimetype=job.media_type, headers=headers)
