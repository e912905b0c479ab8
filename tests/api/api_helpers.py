"""Helpers for the API tests: authorized requests, and respondents answering through links."""

from __future__ import annotations

import json as json_module

from cxmaturity.domain.responses import AnswerInput
from cxmaturity.services import assessments
from cxmaturity.services.assessment_import import import_answers
from cxmaturity.web.context import services_of


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def call(client, method: str, path: str, token: str, body=None, **headers):
    """A request to the API with the token; `body` sent as JSON."""
    data = None if body is None else json_module.dumps(body)
    return client.open(
        path,
        method=method,
        data=data,
        content_type="application/json" if body is not None else None,
        headers={**bearer(token), **headers},
    )


def answer_everything(app, url: str, level: int) -> None:
    """The respondent of the link `url` answers every question with `level` and submits."""
    own = services_of(app)
    token = url.rstrip("/").rsplit("/", 1)[1]
    state = assessments.open_respondent(own.sessions, own.catalogue, token)
    changes = {question: AnswerInput(level) for question in state.questionnaire.questions}
    assessments.save_answers(own.sessions, own.catalogue, token, changes)
    assessments.submit(own.sessions, token, own.catalogue)


def last_quarter(app, client_id: int) -> None:
    """The client's 2026-Q3, closed: two respondents who answered 2 everywhere."""
    own = services_of(app)
    questionnaire = own.catalogue.get(app.config["QUESTIONNAIRE_ID"])
    people = [
        {"name": name, "answers": dict.fromkeys(questionnaire.questions, 2)}
        for name in ("Anna", "Ben")
    ]
    document = {
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "organization": "Alpha AG",
        "period": "2026-Q3",
        "respondents": people,
    }
    import_answers(own.sessions, own.catalogue, "nord", client_id, document, close=True)
