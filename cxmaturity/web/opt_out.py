"""A respondent's "no more e-mails" link (`/r/<token>/opt-out`): confirmed with a POST.

The e-mail's link only shows the question; a mail program or a scanner that
follows it changes nothing. An unknown, revoked or expired link gets the same
404 as every other page behind a link.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template
from flask_wtf import FlaskForm

from cxmaturity.services import assessments, reminders
from cxmaturity.web.context import services
from cxmaturity.web.participation import postage
from cxmaturity.web.respondent import catalogue

blueprint = Blueprint("opt_out", __name__)


@blueprint.route("/r/<token>/opt-out", methods=["GET", "POST"])
def opt_out(token: str):
    own = services()
    try:
        state = assessments.open_respondent(own.sessions, catalogue(), token, own.now())
    except assessments.UnknownLink:
        abort(404)
    g.assessment_language = state.language
    form = FlaskForm()
    done = False
    if form.validate_on_submit():
        try:
            reminders.opt_out(postage(), token)
        except assessments.UnknownLink:
            abort(404)
        done = True
    return render_template(
        "participation/opt_out.html",
        organization=state.organization,
        done=done,
        csrf_form=form,
    )
