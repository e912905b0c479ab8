"""The executive's path: start, one page per dimension, review, submit, results."""

from __future__ import annotations

import datetime
import io
import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest

from cxmaturity.domain.periods import quarter_of
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.services import assessments
from cxmaturity.services.answering import InvalidAnswer, choice_of
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.results import (
    ReportRenderError,
    ResultsView,
    assessment_outcome,
    prerender_reports,
    radar_chart,
    report_file_name,
    report_pdf,
)
from cxmaturity.web.database import sessions
from cxmaturity.web.forms import (
    StartForm,
    allowed_field_names,
    answer_field,
    comment_field,
    dimension_form,
    posted_answers,
)
from cxmaturity.web.i18n import current_language, remember_language

blueprint = Blueprint("assess", __name__)

MINUTES_PER_QUESTION = 0.4
GOTO_ACTION = re.compile(r"goto-([1-9][0-9]{0,2})")


def catalogue():
    return catalogue_for(current_app.config["QUESTIONNAIRES_DIR"])


def current_questionnaire() -> Questionnaire:
    return catalogue().get(current_app.config["QUESTIONNAIRE_ID"])


@blueprint.get("/")
def start():
    form = StartForm(period=quarter_of(datetime.date.today()), language=current_language())
    return _render_start(form)


@blueprint.post("/start")
def begin():
    form = StartForm()
    if not form.validate():
        return _render_start(form), 400
    token = assessments.start_self_assessment(
        sessions(),
        current_questionnaire(),
        assessments.StartDetails(
            organization=form.organization.data,
            period=form.period.data,
            language=form.language.data,
            industry=form.industry.data,
            size=form.size.data,
            respondent_name=form.respondent.data or "",
        ),
    )
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
    minutes = max(5, round(len(questionnaire.questions) * MINUTES_PER_QUESTION / 5) * 5)
    return render_template(
        "start.html",
        form=form,
        questionnaire=questionnaire,
        language=current_language(),
        minutes=minutes,
    )


def _open(token: str) -> assessments.RespondentState:
    try:
        state = assessments.open_respondent(sessions(), catalogue(), token)
    except assessments.UnknownLink:
        abort(404)
    g.assessment_language = state.language
    return state


@blueprint.get("/r/<token>/")
def resume(token: str):
    state = _open(token)
    if state.submitted:
        return redirect(url_for("assess.results", token=token))
    unanswered = state.unanswered()
    if unanswered:
        first_open_page = unanswered[0][0]
        return redirect(url_for("assess.dimension", token=token, number=first_open_page))
    return redirect(url_for("assess.review", token=token))


@blueprint.route("/r/<token>/d/<int:number>", methods=["GET", "POST"])
def dimension(token: str, number: int):
    state = _open(token)
    if state.submitted:
        flash(_("These answers have been submitted and can no longer be changed."), "info")
        return redirect(url_for("assess.results", token=token))
    dimensions = state.questionnaire.dimensions
    if not 1 <= number <= len(dimensions):
        abort(404)
    current = dimensions[number - 1]
    if request.method == "GET":
        form = dimension_form(
            current, current_language(), formdata=None, data=_stored(state, current)
        )
        return _render_dimension(token, number, state, form)

    form = _posted_form(current)
    if form.errors:
        problem = _("Please correct the marked comments. Nothing on this page was saved yet.")
        return _render_dimension(token, number, state, form, problem=problem, status=400)
    _save(token, current, form)
    return redirect(_destination(token, number, len(dimensions), request.form.get("action")))


@blueprint.post("/r/<token>/d/<int:number>/autosave")
def autosave(token: str, number: int):
    state = _open(token)
    dimensions = state.questionnaire.dimensions
    if not 1 <= number <= len(dimensions):
        abort(404)
    if state.submitted:
        return jsonify(saved=False, message=_("Already submitted.")), 409
    form = _posted_form(dimensions[number - 1])
    if form.errors:
        return jsonify(
            saved=False, message=_("A comment is too long or contains invalid characters.")
        ), 400
    state = _save(token, dimensions[number - 1], form)
    total = len(state.questionnaire.questions)
    return jsonify(
        saved=True,
        answered=state.answered_count,
        total=total,
        message=_("Saved"),
        progress=_(
            "%(answered)s of %(total)s answered", answered=state.answered_count, total=total
        ),
    )


def _posted_form(current) -> FlaskForm:
    """The posted page, validated; a tampered field ends the request with 400.

    Comment errors (too long, control characters) stay in `form.errors` for
    the page to show: a person can fix those.
    """
    unknown = set(request.form) - allowed_field_names(current)
    if unknown:
        raise BadRequest(_("The form contained fields this page does not have. Nothing was saved."))
    form = dimension_form(current, current_language(), formdata=request.form)
    form.validate()
    if any(name.startswith("answer-") for name in form.errors):
        raise BadRequest(_("An answer was not one of the options offered. Nothing was saved."))
    return form


def _save(token: str, current, form: FlaskForm) -> assessments.RespondentState:
    try:
        return assessments.save_answers(
            sessions(), catalogue(), token, posted_answers(current, form)
        )
    except InvalidAnswer:
        raise BadRequest(
            _("An answer was not one of the options offered. Nothing was saved.")
        ) from None
    except assessments.AlreadySubmitted:
        flash(_("These answers have been submitted and can no longer be changed."), "info")
        abort(redirect(url_for("assess.results", token=token)))


def _destination(token: str, number: int, count: int, action: str | None) -> str:
    if action == "next" and number < count:
        return url_for("assess.dimension", token=token, number=number + 1)
    if action == "back" and number > 1:
        return url_for("assess.dimension", token=token, number=number - 1)
    if action == "review":
        return url_for("assess.review", token=token)
    jump = GOTO_ACTION.fullmatch(action or "")
    if jump and 1 <= int(jump.group(1)) <= count:
        return url_for("assess.dimension", token=token, number=int(jump.group(1)))
    return url_for("assess.dimension", token=token, number=number)


def _stored(state: assessments.RespondentState, current) -> dict:
    data = {}
    for question in current.questions:
        answer = state.answers.get(question.id)
        if answer is not None:
            data[answer_field(question.id)] = choice_of(answer)
            data[comment_field(question.id)] = answer.comment
    return data


def _render_dimension(token, number, state, form, problem=None, status=200):
    questionnaire = state.questionnaire
    page = render_template(
        "dimension.html",
        token=token,
        number=number,
        dimension=questionnaire.dimensions[number - 1],
        dimensions=questionnaire.dimensions,
        dimension_count=len(questionnaire.dimensions),
        answered=state.answered_count,
        total=len(questionnaire.questions),
        organization=state.organization,
        period=state.period,
        form=form,
        language=current_language(),
        answer_field=answer_field,
        comment_field=comment_field,
        resume_url=url_for("assess.resume", token=token, _external=True),
        problem=problem,
    )
    return page, status


@blueprint.errorhandler(CSRFError)
def expired_form(error: CSRFError):
    """Show the page again with what was typed, instead of losing it."""
    args = request.view_args or {}
    if request.endpoint != "assess.dimension" or "token" not in args:
        return render_template("error.html", code=400, message="csrf"), 400
    token, number = args["token"], args["number"]
    # An error handler must not abort: a second error would become a 500.
    try:
        state = assessments.open_respondent(sessions(), catalogue(), token)
    except assessments.UnknownLink:
        return render_template("error.html", code=404), 404
    if state.submitted:
        return redirect(url_for("assess.results", token=token))
    dimensions = state.questionnaire.dimensions
    if not 1 <= number <= len(dimensions):
        return render_template("error.html", code=404), 404
    current = dimensions[number - 1]
    form = dimension_form(current, current_language(), formdata=request.form)
    form.validate()
    problem = _(
        "Your session had expired, so these answers are not saved yet. "
        "Please check them and save again."
    )
    return _render_dimension(token, number, state, form, problem=problem, status=400)


@blueprint.get("/r/<token>/review")
def review(token: str):
    state = _open(token)
    if state.submitted:
        return redirect(url_for("assess.results", token=token))
    return render_template(
        "review.html",
        token=token,
        organization=state.organization,
        period=state.period,
        answered=state.answered_count,
        total=len(state.questionnaire.questions),
        unanswered=state.unanswered(),
        dimension_count=len(state.questionnaire.dimensions),
        csrf_form=FlaskForm(),
        language=current_language(),
        resume_url=url_for("assess.resume", token=token, _external=True),
    )


@blueprint.post("/r/<token>/submit")
def submit(token: str):
    state = _open(token)
    try:
        assessments.submit(sessions(), token)
    except assessments.UnknownLink:
        abort(404)
    # The results changed: render the report now, so "Download PDF" finds it in the cache.
    cache = current_app.extensions["cxm_report_cache"]
    prerender_reports(sessions(), catalogue(), state.assessment_id, cache, current_language())
    return redirect(url_for("assess.results", token=token))


def _results_view(token: str) -> ResultsView | None:
    state = _open(token)
    if not state.submitted:
        return None
    outcome = assessment_outcome(sessions(), catalogue(), state.assessment_id)
    return ResultsView(outcome, current_language())


@blueprint.get("/r/<token>/results")
def results(token: str):
    view = _results_view(token)
    if view is None:
        flash(_("Submit your answers to see the results."), "info")
        return redirect(url_for("assess.review", token=token))
    return render_template(
        "results.html",
        view=view,
        token=token,
        language=current_language(),
        resume_url=url_for("assess.resume", token=token, _external=True),
    )


@blueprint.get("/r/<token>/radar.svg")
def radar(token: str):
    view = _results_view(token)
    if view is None:
        abort(404)
    return Response(radar_chart(view.outcome, view.language), mimetype="image/svg+xml")


@blueprint.get("/r/<token>/report.pdf")
def report(token: str):
    view = _results_view(token)
    if view is None:
        abort(404)
    cache = current_app.extensions["cxm_report_cache"]
    try:
        pdf = report_pdf(view.outcome, view.language, cache, datetime.date.today())
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
