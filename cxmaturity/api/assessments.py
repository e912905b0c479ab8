"""`/api/v1/…/assessments`: a client's assessments; create, open, close, results, comparison,
and the anonymity mode (DESIGN §8)."""

from __future__ import annotations

from flask import current_app, url_for

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.lifecycle_schemas import AnonymityIn, AnonymityOut
from cxmaturity.api.pagination import page_of
from cxmaturity.api.problems import ApiProblem
from cxmaturity.api.schemas import (
    AssessmentIn,
    AssessmentOut,
    AssessmentPage,
    ComparisonOut,
    IdempotencyHeaders,
    PageQuery,
    Problem,
    ResultsOut,
)
from cxmaturity.api.spec import answers, api
from cxmaturity.services import clients, workspace_assessments, workspace_results
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.results_json import assessment_results_json

TAGS = ["assessments"]


def assessment_out(row) -> AssessmentOut:
    """An assessment row of the store (client_queries.AssessmentRow) as the API shows it."""
    return AssessmentOut(
        id=row.id,
        client_id=row.organization_id,
        period=row.period,
        questionnaire={"id": row.questionnaire_id, "version": row.questionnaire_version},
        status=row.status,
        due_date=row.due_date,
        invited=row.invited,
        submitted=row.submitted,
        overall_level=row.overall_level,
    )


def _read(assessment_id: int) -> AssessmentOut:
    found = token()
    overview = workspace_assessments.overview(
        services().sessions, found.actor, found.workspace_slug, assessment_id
    )
    return assessment_out(overview.row)


@blueprint.get("/clients/<int:client_id>/assessments")
@api.validate(query=PageQuery, resp=answers(HTTP_200=AssessmentPage), tags=TAGS)
def list_assessments(client_id: int, query: PageQuery):
    """The client's assessments, oldest first."""
    found = token()
    page = clients.client_page(services().sessions, found.actor, found.workspace_slug, client_id)
    rows, next_cursor = page_of(page.assessments, lambda row: row.id, query.cursor, query.limit)
    return AssessmentPage(items=[assessment_out(row) for row in rows], next_cursor=next_cursor)


@blueprint.post("/clients/<int:client_id>/assessments")
@api.validate(
    json=AssessmentIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_201=AssessmentOut),
    tags=TAGS,
)
def create_assessment(client_id: int, json: AssessmentIn):
    """A draft assessment of the client for a period (open it to let respondents answer)."""
    own, found = services(), token()
    questionnaire = json.questionnaire or current_app.config["QUESTIONNAIRE_ID"]
    if questionnaire not in {known.id for known in own.catalogue}:
        raise InvalidInput("questionnaire", "the server has no questionnaire of this id")
    assessment_id = workspace_assessments.create_assessment(
        own.sessions,
        own.catalogue,
        found.actor,
        found.workspace_slug,
        questionnaire,
        workspace_assessments.NewAssessment(client_id, json.period, json.due_date),
        own.now().date(),
    )
    location = url_for("api.get_assessment", assessment_id=assessment_id)
    return _read(assessment_id), 201, {"Location": location}


@blueprint.get("/assessments/<int:assessment_id>")
@api.validate(resp=answers(HTTP_200=AssessmentOut), tags=TAGS)
def get_assessment(assessment_id: int):
    """One assessment with its participation counts."""
    return _read(assessment_id)


@blueprint.post("/assessments/<int:assessment_id>/open")
@api.validate(
    headers=IdempotencyHeaders, resp=answers(HTTP_200=AssessmentOut, HTTP_409=Problem), tags=TAGS
)
def open_assessment(assessment_id: int):
    """Draft → open: the respondents' links work from now on."""
    found = token()
    workspace_assessments.open_assessment(
        services().sessions, found.actor, found.workspace_slug, assessment_id
    )
    return _read(assessment_id)


@blueprint.post("/assessments/<int:assessment_id>/close")
@api.validate(
    headers=IdempotencyHeaders, resp=answers(HTTP_200=AssessmentOut, HTTP_409=Problem), tags=TAGS
)
def close_assessment(assessment_id: int):
    """Open → closed: the results are final and every link is read-only."""
    own, found = services(), token()
    workspace_assessments.close_assessment(
        own.sessions, own.catalogue, found.actor, found.workspace_slug, assessment_id
    )
    return _read(assessment_id)


@blueprint.get("/assessments/<int:assessment_id>/results")
@api.validate(resp=answers(HTTP_200=ResultsOut), tags=TAGS)
def results(assessment_id: int):
    """The results as the results page shows them, with since last period."""
    return ResultsOut.model_validate(_results(assessment_id))


@blueprint.get("/assessments/<int:assessment_id>/comparison")
@api.validate(resp=answers(HTTP_200=ComparisonOut), tags=TAGS)
def comparison(assessment_id: int):
    """The change since the client's last closed period, with each dimension's comparability
    (same, bridged, broken) — the web's "since last quarter"."""
    shown = _results(assessment_id)
    return ComparisonOut(
        assessment_id=assessment_id,
        period=shown["period"],
        since_last_period=shown["since_last_period"],
    )


def _results(assessment_id: int) -> dict:
    own, found = services(), token()
    return assessment_results_json(
        own.sessions, own.catalogue, found.actor, found.workspace_slug, assessment_id
    )


def _anonymity(assessment_id: int) -> AnonymityOut:
    found = token()
    setting = workspace_results.anonymity_setting(
        services().sessions, found.actor, found.workspace_slug, assessment_id
    )
    return AnonymityOut(
        assessment_id=setting.assessment_id,
        mode=setting.mode.value,  # type: ignore[arg-type]  # checked by the model
        locked=setting.locked,
        changeable=setting.changeable,
    )


@blueprint.get("/assessments/<int:assessment_id>/anonymity")
@api.validate(resp=answers(HTTP_200=AnonymityOut), tags=TAGS)
def get_anonymity(assessment_id: int):
    """The anonymity mode (named, confidential, anonymous) and whether it can still change."""
    return _anonymity(assessment_id)


@blueprint.put("/assessments/<int:assessment_id>/anonymity")
@api.validate(json=AnonymityIn, resp=answers(HTTP_200=AnonymityOut, HTTP_409=Problem), tags=TAGS)
def set_anonymity(assessment_id: int, json: AnonymityIn):
    """Set the mode before the first submission; once a respondent has submitted it is
    locked (409, nothing changes)."""
    found = token()
    try:
        workspace_results.set_anonymity(
            services().sessions, found.actor, found.workspace_slug, assessment_id, json.mode
        )
    except workspace_results.AnonymityLocked:
        detail = "A respondent has already submitted: the anonymity mode can no longer change."
        raise ApiProblem(409, "anonymity-locked", "Conflict", detail) from None
    return _anonymity(assessment_id)
