"""`/api/v1/questionnaires`: the questionnaires of the server, one as `questionnaire show`."""

from __future__ import annotations

from cxmaturity.api.auth import services
from cxmaturity.api.base import blueprint
from cxmaturity.api.schemas import LanguageQuery, QuestionnaireList, QuestionnaireOut
from cxmaturity.api.spec import answers, api
from cxmaturity.domain.loader import QuestionnaireMissing
from cxmaturity.services.contract import questionnaire_json
from cxmaturity.services.errors import NotVisible

TAGS = ["questionnaires"]


@blueprint.get("/questionnaires")
@api.validate(query=LanguageQuery, resp=answers(HTTP_200=QuestionnaireList), tags=TAGS)
def list_questionnaires(query: LanguageQuery):
    """Every questionnaire version the server has."""
    items = [
        {"id": found.id, "version": found.version, "title": found.title.get(query.lang)}
        for found in services().catalogue
    ]
    return QuestionnaireList.model_validate({"items": items})


@blueprint.get("/questionnaires/<questionnaire_id>/<version>")
@api.validate(query=LanguageQuery, resp=answers(HTTP_200=QuestionnaireOut), tags=TAGS)
def show_questionnaire(questionnaire_id: str, version: str, query: LanguageQuery):
    """One questionnaire version, as `cxmaturity questionnaire show` prints it."""
    try:
        found = services().catalogue.get(questionnaire_id, version)
    except QuestionnaireMissing:
        raise NotVisible from None
    return QuestionnaireOut.model_validate(questionnaire_json(found, query.lang))
