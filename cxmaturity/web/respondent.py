"""What every page behind a private link needs: the questionnaires, and the respondent's state."""

from __future__ import annotations

import contextlib

from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _

from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.services import assessments
from cxmaturity.services.errors import StorageUnavailable
from cxmaturity.web.context import services


def catalogue() -> Catalogue:
    return services().catalogue


def current_questionnaire() -> Questionnaire:
    return catalogue().get(current_app.config["QUESTIONNAIRE_ID"])


def open_respondent(token: str) -> assessments.RespondentState:
    """The respondent of this link, or 404; their assessment's language is the page default.

    An unknown, revoked or expired link gets the same 404 (DESIGN §8); a form sent
    from such a link is told that the answers saved before are kept.
    """
    now = services().now()
    try:
        state = assessments.open_respondent(services().sessions, catalogue(), token, now)
    except assessments.UnknownLink:
        if request.method == "POST":
            abort(404, description=link_ended_message())
        abort(404)
    g.assessment_language = state.language
    if request.method == "GET":
        # Only a minute's precision, so that most views write nothing.
        with contextlib.suppress(StorageUnavailable):
            assessments.note_opened(services().sessions, state, token, now)
    return state


def link_ended_message() -> str:
    return _(
        "This link no longer works, so this was not saved. The answers saved before stay "
        "saved. Please ask the person who invited you for a new link."
    )


def resume_url(token: str) -> str:
    """The private link to show for later use: from CXM_BASE_URL (DESIGN §8).

    Behind a proxy the request's own address is one host's; every host must show the
    same link. Without CXM_BASE_URL (one machine, `make run`), the request's address.
    """
    base_url = services().base_url
    if base_url:
        return f"{base_url.rstrip('/')}{url_for('assess.resume', token=token)}"
    return url_for("assess.resume", token=token, _external=True)
