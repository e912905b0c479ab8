"""Autosave of a dimension page: always a JSON answer, whatever goes wrong.

The page's script reads `saved` and `message`; an HTML error page or a
redirect would leave it guessing, so every response of this blueprint is
JSON, also those made by the app's error handlers (404, 413, CSRF, 503 …).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from cxmaturity.services import assessments
from cxmaturity.web.posted_page import RefusedPost, read_posted_page, save_page
from cxmaturity.web.respondent import open_respondent

blueprint = Blueprint("autosave", __name__)


def not_saved(message: str, status: int):
    return jsonify(saved=False, message=message), status


@blueprint.post("/r/<token>/d/<int:number>/autosave")
def save(token: str, number: int):
    state = open_respondent(token)
    dimensions = state.questionnaire.dimensions
    if not 1 <= number <= len(dimensions):
        return not_saved(_("This page does not exist."), 404)
    if state.submitted:
        return not_saved(_("Already submitted."), 409)
    current = dimensions[number - 1]
    try:
        form = read_posted_page(current)
        if form.errors:
            return not_saved(_("A comment is too long or contains invalid characters."), 400)
        state = save_page(token, current, form)
    except RefusedPost as refused:
        return not_saved(refused.message, 400)
    except assessments.AlreadySubmitted:
        return not_saved(_("Already submitted."), 409)
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


def _message_for(status: int) -> str:
    if status == 404:
        return _("This private link is not valid. Nothing was saved.")
    if status == 409 or 300 <= status < 400:
        return _("Already submitted.")
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
    replacement = jsonify(saved=False, message=_message_for(status))
    replacement.status_code = 409 if 300 <= status < 400 else status
    return replacement
