"""An assessment's results for its workspace: page, radar chart, PDF, and the anonymity mode."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from cxmaturity.domain.statuses import Anonymity, Language
from cxmaturity.services import workspace_results
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.results import ReportRenderError
from cxmaturity.services.results_json import assessment_results_json
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("workspace_results", __name__)

BASE = "/w/<slug>/assessments/<int:assessment_id>"


@blueprint.get(f"{BASE}/results")
def results(slug: str, assessment_id: int):
    language = current_language()
    page = workspace_results.assessment_results(
        services().sessions, services().catalogue, current_actor(), slug, assessment_id, language
    )
    return render_template(
        "workspace_results/results.html",
        page=page,
        view=page.view,
        language=language,
        csrf_form=FlaskForm(),
        mode_name=mode_name,
        cohort_chart_url=url_for(".cohort_chart", slug=slug, assessment_id=assessment_id),
    )


@blueprint.get(f"{BASE}/results.json")
def results_json(slug: str, assessment_id: int):
    """The results with "since last period" and the re-confirmed answers, as JSON."""
    return assessment_results_json(
        services().sessions, services().catalogue, current_actor(), slug, assessment_id
    )


@blueprint.get(f"{BASE}/radar.svg")
def radar(slug: str, assessment_id: int):
    svg = workspace_results.assessment_radar(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        assessment_id,
        current_language(),
    )
    return Response(svg, mimetype="image/svg+xml")


@blueprint.get(f"{BASE}/cohort.svg")
def cohort_chart(slug: str, assessment_id: int):
    svg = workspace_results.assessment_cohort_chart(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        assessment_id,
        current_language(),
    )
    return Response(svg, mimetype="image/svg+xml")


@blueprint.get(f"{BASE}/report.pdf")
def report(slug: str, assessment_id: int):
    language = request.args.get("lang") or current_language()
    if language not in tuple(Language):
        raise InvalidInput("lang", "is not de or en")
    try:
        pdf, file_name = workspace_results.assessment_report(
            services().sessions,
            services().catalogue,
            current_actor(),
            slug,
            assessment_id,
            language,
            services().report_cache,
            services().today(),
        )
    except ReportRenderError:
        current_app.logger.exception("the report of assessment %s failed", assessment_id)
        message = _("The report could not be created just now. Please try again in a minute.")
        return render_template("error.html", code=503, message=message), 503
    return send_file(
        io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=file_name
    )


@blueprint.post(f"{BASE}/anonymity")
def anonymity(slug: str, assessment_id: int):
    mode = request.form.get("anonymity", "")
    try:
        chosen = workspace_results.set_anonymity(
            services().sessions, current_actor(), slug, assessment_id, mode
        )
    except workspace_results.AnonymityLocked:
        flash(
            _(
                "The anonymity can no longer be changed: a respondent has already submitted. "
                "It stays as it was."
            ),
            "error",
        )
    except InvalidInput:
        flash(_("Choose one of the three anonymity modes. Nothing was changed."), "error")
    else:
        flash(_("Anonymity set to “%(mode)s”.", mode=mode_name(chosen)), "success")
    return redirect(url_for(".results", slug=slug, assessment_id=assessment_id), 303)


def mode_name(mode: Anonymity) -> str:
    return {
        Anonymity.NAMED: _("named"),
        Anonymity.CONFIDENTIAL: _("confidential"),
        Anonymity.ANONYMOUS: _("anonymous"),
    }[mode]
