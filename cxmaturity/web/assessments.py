"""One assessment of a client: `/w/<slug>/assessments/<id>` (status, due date, open, close).

Its participation and invitations (`…/participation`) and its results
(`…/results`, `…/report.pdf`) are pages of their own blueprints; this page
links to them. The respondent's pages of a closed or draft assessment answer
with the pages below (app-wide handlers, since the respondent's blueprints raise).
"""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cxmaturity import locale
from cxmaturity.services import assessments, workspace_assessments
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("workspace_assessments", __name__, url_prefix="/w/<slug>/assessments")
# 409 Conflict: the link is right, the assessment's state does not allow answering.
NOT_ANSWERABLE = 409


@blueprint.get("/<int:assessment_id>")
def overview(slug: str, assessment_id: int):
    page = workspace_assessments.overview(services().sessions, current_actor(), slug, assessment_id)
    score = locale.format_score(page.overall_score, current_language())
    return render_template("assessments/overview.html", page=page, score=score)


@blueprint.post("/<int:assessment_id>/open")
def open_(slug: str, assessment_id: int):
    try:
        workspace_assessments.open_assessment(
            services().sessions, current_actor(), slug, assessment_id
        )
    except workspace_assessments.WrongStatus:
        flash(_("This assessment is not a draft any more; nothing was changed."), "info")
    else:
        flash(_("The assessment is open: the respondents' links can be used now."), "success")
    return redirect(url_for(".overview", slug=slug, assessment_id=assessment_id))


@blueprint.post("/<int:assessment_id>/close")
def close(slug: str, assessment_id: int):
    try:
        workspace_assessments.close_assessment(
            services().sessions, services().catalogue, current_actor(), slug, assessment_id
        )
    except workspace_assessments.WrongStatus:
        flash(_("Only an open assessment can be closed; nothing was changed."), "info")
    else:
        flash(
            _("The assessment is closed: its results are final and the links are read-only."),
            "success",
        )
    return redirect(url_for(".overview", slug=slug, assessment_id=assessment_id))


def _not_answerable(message: str):
    if request.path.endswith("/autosave"):
        return jsonify(saved=False, message=message), NOT_ANSWERABLE
    return render_template("assessments/not_answerable.html", message=message), NOT_ANSWERABLE


@blueprint.app_errorhandler(assessments.AssessmentClosed)
def assessment_closed(error: assessments.AssessmentClosed):
    return _not_answerable(
        _(
            "This assessment is closed; your answers are kept. "
            "Answers can no longer be changed or submitted."
        )
    )


@blueprint.app_errorhandler(assessments.AssessmentNotOpen)
def assessment_not_open(error: assessments.AssessmentNotOpen):
    return _not_answerable(
        _(
            "This assessment has not been opened yet, so this link cannot be used yet. "
            "Please try again once you have been told it is open."
        )
    )
