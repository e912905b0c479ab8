"""`/api/v1/bulk-reports`: bulk PDFs as one ZIP (DESIGN §9), made by the bulk_report job.

Start a job (202 with its Location), follow its progress, download the ZIP once it is
done. A job is its creator's, as on the web: another member's job, or another
workspace's, answers 404 like an unknown id (services/bulk_reports.py decides).
"""

from __future__ import annotations

from pathlib import Path

from flask import Response, url_for

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.lifecycle_schemas import BulkReportIn, BulkReportOut
from cxmaturity.api.problems import ApiProblem
from cxmaturity.api.schemas import IdempotencyHeaders, Problem
from cxmaturity.api.spec import answers, api
from cxmaturity.services import bulk_reports
from cxmaturity.services.bulk_reports import JobView

TAGS = ["bulk reports"]
ZIP = "application/zip"
POLL_SECONDS = 2
"""How soon to ask again while a job runs (the web's progress page refreshes as often)."""


def job_out(job: JobView) -> BulkReportOut:
    return BulkReportOut(
        id=job.id,
        status=job.status.value,  # type: ignore[arg-type]  # checked by the model
        period=job.period,
        language=job.language,  # type: ignore[arg-type]
        client_ids=list(job.client_ids),
        total=job.total,
        done=job.done_count,
        percent=job.percent,
        error=job.error.value if job.error else None,  # type: ignore[arg-type]
        created_at=job.created_at,
        finished_at=job.finished_at,
        file_available=job.has_zip,
    )


def _job(job_id: int) -> JobView:
    found = token()
    return bulk_reports.job_page(services(), found.actor, found.workspace_slug, job_id).job


@blueprint.post("/bulk-reports")
@api.validate(
    json=BulkReportIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_202=BulkReportOut),
    tags=TAGS,
)
def start_bulk_report(json: BulkReportIn):
    """Start making the clients' PDF reports of a period as one ZIP; follow the job's
    Location until its status is done, then download its file."""
    found = token()
    job_id = bulk_reports.start_job(
        services(),
        found.actor,
        found.workspace_slug,
        [str(client_id) for client_id in json.client_ids],
        json.period,
        json.language,
    )
    location = url_for("api.get_bulk_report", job_id=job_id)
    return job_out(_job(job_id)), 202, {"Location": location, "Retry-After": str(POLL_SECONDS)}


@blueprint.get("/bulk-reports/<int:job_id>")
@api.validate(resp=answers(HTTP_200=BulkReportOut), tags=TAGS)
def get_bulk_report(job_id: int):
    """The job's status and progress (reports made of all)."""
    return job_out(_job(job_id))


@blueprint.get("/bulk-reports/<int:job_id>/file")
@api.validate(resp=answers(HTTP_409=Problem, HTTP_410=Problem), tags=TAGS)
def bulk_report_file(job_id: int):
    """The ZIP (`Report_<Client>_<Period>_<lang>.pdf` each, and manifest.csv) once the job
    is done; 409 while it runs or after it failed, 410 once the ZIP was removed (24 h)."""
    found = token()
    try:
        source, name = bulk_reports.job_zip(services(), found.actor, found.workspace_slug, job_id)
    except bulk_reports.JobNotReady:
        detail = "The job is still making the reports; ask again in a moment."
        headers = {"Retry-After": str(POLL_SECONDS)}
        raise ApiProblem(409, "job-not-ready", "Conflict", detail, headers) from None
    except bulk_reports.JobFailed:
        detail = "The job failed (its status says why); start the reports again."
        raise ApiProblem(409, "job-failed", "Conflict", detail) from None
    except bulk_reports.ZipRemoved:
        raise _removed() from None
    # The whole ZIP is in the answer: spectree reads an answer's body (see exports.py).
    try:
        if isinstance(source, Path):
            content = source.read_bytes()
        else:
            with source:
                content = source.read()
    except FileNotFoundError:  # removed by the clean-up of another process just now
        raise _removed() from None
    headers = {"Content-Disposition": f"attachment; filename={name}"}
    return Response(content, mimetype=ZIP, headers=headers)


def _removed() -> ApiProblem:
    detail = "The ZIP was removed 24 hours after it was made; start the reports again."
    return ApiProblem(410, "file-removed", "Gone", detail)
