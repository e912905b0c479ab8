"""Autosave of a dimension page: always a JSON answer, whatever goes wrong.

The page's script reads `saved` and `message`; an HTML error page or a
redirect would leave it guessing, so every response of this blueprint is
JSON, also those made by the app's error handlers (404, 413, CSRF, 503 …).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from cxmaturity.domain.questionnaire import Dimension
from cxmaturity.services import assessments
from cxmaturity.services.answering import AnswerRow, choice_of
from cxmaturity.web.posted_page import (
    RefusedPost,
    changed_elsewhere_message,
    read_posted_page,
    save_page,
)
from cxmaturity.web.respondent import link_ended_message, open_respondent

blueprint = Blueprint("autosave", __name__)


def not_saved(message: str, status: int):
    return jsonify(saved=False, message=message), status


def already_submitted(token: str):
    """A tab left open after submission: say so, and where the results are."""
    response = jsonify(
        saved=False,
        message=_(
            "Not saved: these answers have already been submitted and can no longer be changed."
        ),
        link={"url": url_for("results.results", token=token), "text": _("See the results")},
    )
    response.status_code = 409
    return response


@blueprint.post("/r/<token>/d/<int:number>/autosave")
def save(token: str, number: int):
    state = open_respondent(token)
    dimensions = state.questionnaire.dimensions
    if not 1 <= number <= len(dimensions):
        return not_saved(_("This page does not exist."), 404)
    if state.submitted:
        return already_submitted(token)
    current = dimensions[number - 1]
    try:
        form = read_posted_page(current)
        if form.errors:
            return not_saved(_("A comment is too long or contains invalid characters."), 400)
        state = save_page(token, current, form)
    except RefusedPost as refused:
        return not_saved(refused.message, 400)
    except assessments.AlreadySubmitted:
        return already_submitted(token)
    total = len(state.questionnaire.questions)
    changed_elsewhere = changed_elsewhere_message(state, current)
    return jsonify(
        saved=True,
        answered=state.answered_count,
        total=total,
        message=changed_elsewhere or _("Saved"),
        progress=_(
            "%(answered)s of %(total)s answered", answered=state.answered_count, total=total
        ),
        # The page's answers as stored: the script takes them as what the page
        # shows now, and puts in those another window changed.
        answers=stored_answers(state, current),
        changed_elsewhere=sorted(state.changed_elsewhere),
        open_counts=open_counts(state),
        # The page's answers from last quarter still to confirm: the script unmarks the rest.
        prefilled=sorted(q.id for q in current.questions if state.to_confirm(q.id)),
        to_confirm=to_confirm_text(state),
    )


def to_confirm_text(state: assessments.RespondentState) -> str:
    """The heading of the page's "still to confirm" notice; "" once none is left."""
    count = sum(len(questions) for _number, _dimension, questions in state.to_confirm_by_page())
    if not count:
        return ""
    return ngettext(
        "%(num)s answer from last quarter still to confirm",
        "%(num)s answers from last quarter still to confirm",
        count,
    )


def open_counts(state: assessments.RespondentState) -> dict[str, str]:
    """The jump list's "(n open)" per page number; pages not listed have none open."""
    return {
        str(number): ngettext("(%(num)s open)", "(%(num)s open)", len(questions))
        for number, _dimension, questions in state.unanswered()
    }


def stored_answers(state: assessments.RespondentState, dimension: Dimension) -> dict:
    """{question id: {"choice": "3" | "na" | "", "comment": …}} for the page's questions."""
    answers = {}
    for question in dimension.questions:
        row = state.answers.get(question.id, AnswerRow())
        answers[question.id] = {"choice": choice_of(row) or "", "comment": row.comment}
    return answers


def _message_for(status: int) -> str:
    if status == 404:
        return link_ended_message()
    if status == 413:
        return _("Too much text at once. Please shorten your comments. Nothing was saved.")
    if status >= 500:
        return _("Not saved. Please try again in a moment.")
    if request.method == "POST" and status == 400:
        return _("Not saved: the page has expired or the data was not valid. Please reload it.")
    return _("Not saved.")


@blueprint.after_request
def always_json(response):
    """Turn an error page or a redirect made anywhere in the app into JSON."""
    if response.is_json:
        return response
    status = response.status_code
    if 200 <= status < 300:
        return response
    token = (request.view_args or {}).get("token")
    if (status == 409 or 300 <= status < 400) and token:
        return already_submitted(token)
    replacement = jsonify(saved=False, message=_message_for(status))
    replacement.status_code = 409 if 300 <= status < 400 else status
    return replacement
