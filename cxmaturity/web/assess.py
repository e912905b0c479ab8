"""The executive's path to the answers: start, one page per dimension, review, submit."""

from __future__ import annotations

import contextlib
import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest

from cxmaturity.domain.periods import quarter_of
from cxmaturity.domain.statuses import AssessmentStatus
from cxmaturity.domain.timing import answering_time, description
from cxmaturity.services import assessments
from cxmaturity.services.errors import StorageUnavailable
from cxmaturity.web import dimension_page
from cxmaturity.web.assessments import assessment_closed, assessment_not_open
from cxmaturity.web.context import services
from cxmaturity.web.errors import not_saved_message, storage_unavailable
from cxmaturity.web.forms import StartForm, dimension_form, duplicated_fields
from cxmaturity.web.i18n import current_language, force_locale, remember_language
from cxmaturity.web.posted_page import (
    RefusedPost,
    changed_elsewhere_message,
    read_posted_page,
    save_page,
)
from cxmaturity.web.respondent import (
    catalogue,
    current_questionnaire,
    open_respondent,
    resume_url,
)
from cxmaturity.web.review_page import answers_by_dimension

blueprint = Blueprint("assess", __name__)


def refuse_if_closed(state: assessments.RespondentState) -> None:
    """A closed assessment's pages of answers are read-only: the closed page instead."""
    if state.assessment_status == AssessmentStatus.CLOSED:
        raise assessments.AssessmentClosed


def refuse_duplicated_fields() -> None:
    if request.method == "POST" and duplicated_fields(request.form):
        raise BadRequest(_("The form contained a field twice. Nothing was saved."))


@blueprint.get("/")
def start():
    form = StartForm(period=quarter_of(datetime.date.today()), language=current_language())
    return _render_start(form)


@blueprint.post("/start")
def begin():
    refuse_duplicated_fields()
    form = StartForm()
    if not form.validate():
        return _render_start(form), 400
    details = assessments.StartDetails(
        organization=form.organization.data,
        period=form.period.data,
        language=form.language.data,
        industry=form.industry.data,
        size=form.size.data,
        respondent_name=form.respondent.data or "",
    )
    try:
        token = assessments.start_self_assessment(
            services().sessions, current_questionnaire(), details
        )
    except StorageUnavailable:
        flash(not_saved_message(), "error")  # shown above the form, filled in as it was sent
        return _render_start(form), 503
    with force_locale(form.language.data):  # the language just chosen for the assessment
        flash(
            _(
                "Your assessment has started. Bookmark your private link (below) to continue "
                "later, on any device."
            ),
            "success",
        )
    response = redirect(url_for("assess.dimension", token=token, number=1))
    return remember_language(response, form.language.data)


def _render_start(form: StartForm):
    questionnaire = current_questionnaire()
    language = current_language()
    # Computed from the questionnaire's own words, so a longer version states a longer time.
    return render_template(
        "start.html",
        form=form,
        questionnaire=questionnaire,
        language=language,
        description=description(questionnaire, language),
        minutes=answering_time(questionnaire, language).minutes,
    )


@blueprint.get("/r/<token>/")
def resume(token: str):
    """Back where the respondent stopped: the last page visited, with what is still open."""
    state = open_respondent(token)
    if state.submitted:
        return redirect(url_for("results.results", token=token))
    page_count = len(state.questionnaire.dimensions)
    if state.last_page is not None and 1 <= state.last_page <= page_count:
        return redirect(url_for("assess.dimension", token=token, number=state.last_page, resumed=1))
    unanswered = state.unanswered()
    if unanswered:
        first_open_page = unanswered[0][0]
        return redirect(url_for("assess.dimension", token=token, number=first_open_page))
    return redirect(url_for("assess.review", token=token))


def _submitted_already(token: str):
    flash(_("These answers have been submitted and can no longer be changed."), "info")
    return redirect(url_for("results.results", token=token))


@blueprint.route("/r/<token>/d/<int:number>", methods=["GET", "POST"])
def dimension(token: str, number: int):
    state = open_respondent(token)
    if state.submitted:
        return _submitted_already(token)
    refuse_if_closed(state)
    dimensions = state.questionnaire.dimensions
    if not 1 <= number <= len(dimensions):
        abort(404)
    current = dimensions[number - 1]
    if request.method == "GET":
        if state.last_page != number:  # written only on a change: most views are re-views
            # A visit that could not be recorded only moves where the resume link lands.
            with contextlib.suppress(StorageUnavailable):
                assessments.record_visit(services().sessions, token, number)
        values = dimension_page.stored_values(state, current)
        resumed = request.args.get("resumed") == "1"
        return dimension_page.render(token, number, state, values, resumed=resumed)

    try:
        form = read_posted_page(current)
        if form.errors:
            problem = _("Please correct the marked comments. Nothing on this page was saved yet.")
            values = dimension_page.posted_values(form, current, state)
            return dimension_page.render(token, number, state, values, problem=problem, status=400)
        state = save_page(token, current, form)
    except StorageUnavailable:
        # Shown again with what was typed, so that "save" can simply be pressed again.
        values = dimension_page.posted_values(form, current, state)
        return dimension_page.render(
            token, number, state, values, problem=not_saved_message(), status=503
        )
    except RefusedPost as refused:
        raise BadRequest(refused.message) from None
    except assessments.AlreadySubmitted:
        return _submitted_already(token)
    target = dimension_page.destination(state, token, number, request.form.get("action"))
    changed_elsewhere = changed_elsewhere_message(state, current)
    if changed_elsewhere:
        # The person saw other answers than those stored: show them this page as it is now.
        flash(changed_elsewhere, "info")
        here = url_for("assess.dimension", token=token, number=number)
        target = dimension_page.Destination(here, language=target.language)
    response = redirect(target.url)
    if target.language:
        remember_language(response, target.language)
    return response


@blueprint.errorhandler(CSRFError)
def expired_form(error: CSRFError):
    """Show the page again with what was typed, instead of losing it."""
    args = request.view_args or {}
    if request.endpoint != "assess.dimension" or "token" not in args:
        return render_template("error.html", code=400, message="csrf"), 400
    token, number = args["token"], args["number"]
    # An error handler must not abort: a second error would become a 500.
    try:
        state = assessments.open_respondent(services().sessions, catalogue(), token)
    except assessments.UnknownLink:
        return render_template("error.html", code=404), 404
    except assessments.AssessmentNotOpen as not_open:
        return assessment_not_open(not_open)
    except StorageUnavailable as fault:
        return storage_unavailable(fault)
    if state.submitted:
        return redirect(url_for("results.results", token=token))
    if state.assessment_status == AssessmentStatus.CLOSED:
        return assessment_closed(assessments.AssessmentClosed())
    dimensions = state.questionnaire.dimensions
    if not 1 <= number <= len(dimensions):
        return render_template("error.html", code=404), 404
    current = dimensions[number - 1]
    form = dimension_form(current, formdata=request.form)
    form.validate()
    problem = _(
        "Your session had expired, so these answers are not saved yet. "
        "Please check them and save again."
    )
    values = dimension_page.posted_values(form, current, state)
    return dimension_page.render(token, number, state, values, problem=problem, status=400)


@blueprint.get("/r/<token>/review")
def review(token: str):
    state = open_respondent(token)
    if state.submitted:
        return redirect(url_for("results.results", token=token))
    refuse_if_closed(state)
    return render_template(
        "review.html",
        token=token,
        organization=state.organization,
        period=state.period,
        answered=state.answered_count,
        total=len(state.questionnaire.questions),
        unanswered=state.unanswered(),
        dimensions=answers_by_dimension(state, current_language()),
        dimension_count=len(state.questionnaire.dimensions),
        csrf_form=FlaskForm(),
        language=current_language(),
        resume_url=resume_url(token),
    )


@blueprint.post("/r/<token>/submit")
def submit(token: str):
    refuse_duplicated_fields()
    open_respondent(token)  # an unknown or ended link: its neutral 404 page
    try:
        # The results changed: the report is rendered now, so "Download PDF" finds it.
        assessments.submit(
            services().sessions, token, catalogue(), report_language=current_language()
        )
    except assessments.UnknownLink:
        abort(404)
    return redirect(url_for("results.results", token=token))
