"""Bulk PDFs as a ZIP: `/w/<slug>/reports/bulk/` (choose, `start`), `<job_id>` (progress), its ZIP.

Views parse the form, call one service and render; who may see which job is decided in
services/bulk_reports.py. The progress page refreshes itself with a meta refresh, so it
works without JavaScript.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from cxmaturity.domain.statuses import BulkJobError
from cxmaturity.services import bulk_reports
from cxmaturity.services.errors import InvalidInput
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.errors import RETRY_AFTER_SECONDS
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("bulk_reports", __name__, url_prefix="/w/<slug>/reports/bulk")

REFRESH_SECONDS = 2


@blueprint.get("/")
def choose(slug: str):
    choices = bulk_reports.bulk_choices(services(), current_actor(), slug)
    return _form(choices, {"language": current_language()})


@blueprint.post("/start")
def start(slug: str):
    form = request.form
    # "All shown" means the clients the page listed, sent along as `shown`.
    chosen = form.getlist("shown") if form.get("all") else form.getlist("client")
    try:
        job_id = bulk_reports.start_job(
            services(),
            current_actor(),
            slug,
            chosen,
            form.get("period", ""),
            form.get("language", ""),
        )
    except InvalidInput as error:
        choices = bulk_reports.bulk_choices(services(), current_actor(), slug)
        values = {"period": form.get("period"), "language": form.get("language"), "chosen": chosen}
        return _form(choices, values, error.field), 400
    return redirect(url_for(".progress", slug=slug, job_id=job_id), 303)


def _form(choices: bulk_reports.BulkChoices, values: dict, problem: str | None = None):
    messages = {
        "clients": _("Choose at least one client."),
        "period": _("Choose the period whose reports you want."),
        "language": _("Choose German or English."),
    }
    return render_template(
        "bulk_reports/form.html",
        choices=choices,
        values=values,
        problem=problem,
        problem_text=messages.get(problem or "", ""),
        error_text=error_text,
    )


@blueprint.get("/<int:job_id>")
def progress(slug: str, job_id: int):
    page = bulk_reports.job_page(services(), current_actor(), slug, job_id)
    html = render_template(
        "bulk_reports/job.html",
        page=page,
        job=page.job,
        refresh=REFRESH_SECONDS,
        error_text=error_text,
    )
    if page.job.error:
        # A failed job answers as any fault of the server does: 503, try again.
        return html, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return html


@blueprint.get("/<int:job_id>/reports.zip")
def download(slug: str, job_id: int):
    try:
        source, name = bulk_reports.job_zip(services(), current_actor(), slug, job_id)
    except bulk_reports.JobNotReady:
        return redirect(url_for(".progress", slug=slug, job_id=job_id), 303)
    except bulk_reports.JobFailed:
        return redirect(url_for(".progress", slug=slug, job_id=job_id), 303)
    except bulk_reports.ZipRemoved:
        message = _(
            "This ZIP was removed 24 hours after it was made. Please start the reports again."
        )
        return render_template("error.html", code=410, message=message), 410
    return send_file(source, mimetype="application/zip", as_attachment=True, download_name=name)


def error_text(error: BulkJobError | None) -> str:
    return (
        {
            BulkJobError.INTERRUPTED: _(
                "The reports were interrupted: the application restarted while they were made. "
                "Please start them again."
            ),
            BulkJobError.RENDER_FAILED: _(
                "A report could not be created just now. Please try again in a minute."
            ),
            BulkJobError.STORAGE: _(
                "The database was not available while the reports were made. "
                "Please try again in a moment."
            ),
            BulkJobError.UNEXPECTED: _(
                "Something went wrong while the reports were made. Please try again in a minute."
            ),
        }.get(error, "")
        if error
        else ""
    )
