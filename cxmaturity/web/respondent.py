"""What every page behind a private link needs: the questionnaires, and the respondent's state."""

from __future__ import annotations

from flask import abort, current_app, g

from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.services import assessments
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.web.database import sessions


def catalogue() -> Catalogue:
    # Kept per app and folder: finding the folder's real path took a share of every page.
    folder = current_app.config["QUESTIONNAIRES_DIR"]
    found = current_app.extensions.setdefault("cxm_catalogues", {})
    if folder not in found:
        found[folder] = catalogue_for(folder)
    return found[folder]


def current_questionnaire() -> Questionnaire:
    return catalogue().get(current_app.config["QUESTIONNAIRE_ID"])


def open_respondent(token: str) -> assessments.RespondentState:
    """The respondent of this link, or 404; their assessment's language is the page default."""
    try:
        state = assessments.open_respondent(sessions(), catalogue(), token)
    except assessments.UnknownLink:
        abort(404)
    g.assessment_language = state.language
    return state
