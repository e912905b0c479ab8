"""After submission: the results page, radar chart, PDF report and the own answers to read."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from cxmaturity.services import claims
from cxmaturity.services.assessments import RespondentState
from cxmaturity.services.results import (
    ReportRenderError,
    ResultsView,
    cohort_chart,
    radar_chart,
    report_file_name,
    report_pdf,
    respondent_outcome,
)
from cxmaturity.web.context import services
from cxmaturity.web.i18n import current_language
from cxmaturity.web.respondent import catalogue, open_respondent, resume_url
from cxmaturity.web.review_page import answers_by_dimension

blueprint = Blueprint("results", __name__)


def _results_view(token: str) -> ResultsView | None:
    return _view_of(open_respondent(token))


def _view_of(state: RespondentState) -> ResultsView | None:
    if not state.submitted:
        return None
    # Only the aggregate and the respondent's own comments (DESIGN §8).
    outcome = respondent_outcome(
        services().sessions, catalogue(), state.assessment_id, state.respondent_id
    )
    return ResultsView(outcome, current_language())


def _not_submitted_yet(token: str):
    flash(_("Submit your answers to see the results."), "info")
    return redirect(url_for("assess.review", token=token))


@blueprint.get("/r/<token>/results")
def results(token: str):
    view = _results_view(token)
    if view is None:
        return _not_submitted_yet(token)
    return render_template(
        "results.html",
        view=view,
        token=token,
        language=current_language(),
        resume_url=resume_url(token),
        claim_state=claims.claim_state(services().sessions, token),
        cohort_chart_url=url_for("results.cohort_chart_svg", token=token),
    )


@blueprint.get("/r/<token>/answers")
def answers(token: str):
    """The submitted answers and comments, to read; they can no longer change."""
    state = open_respondent(token)
    if not state.submitted:
        return _not_submitted_yet(token)
    return render_template(
        "answers.html",
        token=token,
        organization=state.organization,
        period=state.period,
        dimensions=answers_by_dimension(state, current_language()),
        answered=state.answered_count,
        total=len(state.questionnaire.questions),
        language=current_language(),
    )


@blueprint.get("/r/<token>/radar.svg")
def radar(token: str):
    view = _results_view(token)
    if view is None:
        abort(404)
    return Response(radar_chart(view.outcome, view.language), mimetype="image/svg+xml")


@blueprint.get("/r/<token>/cohort.svg")
def cohort_chart_svg(token: str):
    view = _results_view(token)
    svg = cohort_chart(view.outcome, view.language) if view is not None else None
    if svg is None:
        abort(404)
    return Response(svg, mimetype="image/svg+xml")


@blueprint.get("/r/<token>/report.pdf")
def report(token: str):
    state = open_respondent(token)
    view = _view_of(state)
    if view is None:
        abort(404)
    cache = services().report_cache
    try:
        pdf = report_pdf(
            view.outcome,
            view.language,
            cache,
            services().today(),
            assessment_id=state.assessment_id,
        )
    except ReportRenderError:
        current_app.logger.exception("the report of an assessment for %s failed", view.period)
        message = _("The report could not be created just now. Please try again in a minute.")
        return render_template("error.html", code=503, message=message), 503
    return send_file(
        io.BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=report_file_name(view.organization, view.period, view.language),
    )
