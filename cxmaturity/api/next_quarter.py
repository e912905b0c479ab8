"""`/api/v1/clients/<id>/next-quarter`: the next quarter in one step (DESIGN §8), as the web's
"start next quarter" offers it: what it would do, and doing it — the next period's draft,
last quarter's respondents invited again with new links, their answers offered pre-filled.
"""

from __future__ import annotations

from flask import url_for

from cxmaturity.api.assessments import assessment_out
from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.invitations import postage
from cxmaturity.api.lifecycle_schemas import NextQuarterIn, NextQuarterOfferOut, NextQuarterOut
from cxmaturity.api.problems import ApiProblem
from cxmaturity.api.schemas import IdempotencyHeaders, LinkOut, Problem
from cxmaturity.api.spec import answers, api
from cxmaturity.services import next_quarter, workspace_assessments
from cxmaturity.services.errors import InvalidInput

TAGS = ["assessments"]


def _offer(client_id: int) -> next_quarter.Offer:
    own, found = services(), token()
    return next_quarter.next_quarter_offer(
        own.sessions, own.catalogue, found.actor, found.workspace_slug, client_id
    )


@blueprint.get("/clients/<int:client_id>/next-quarter")
@api.validate(resp=answers(HTTP_200=NextQuarterOfferOut), tags=TAGS)
def next_quarter_offer(client_id: int):
    """The client's latest closed period, the period suggested after it, and who of last
    quarter can be invited again."""
    offer = _offer(client_id)
    return NextQuarterOfferOut(
        client_id=offer.client_id,
        client_archived=offer.client_archived,
        previous_assessment_id=offer.previous_assessment_id,
        previous_period=offer.previous_period,
        suggested_period=offer.suggested_period,
        invitable=offer.invitable,
        left_out=offer.left_out,
        anonymous=offer.anonymous,
        version_then=offer.version_then,
        version_now=offer.version_now,
    )


@blueprint.post("/clients/<int:client_id>/next-quarter")
@api.validate(
    json=NextQuarterIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_201=NextQuarterOut, HTTP_409=Problem),
    tags=TAGS,
)
def start_next_quarter(client_id: int, json: NextQuarterIn):
    """Create the next quarter's draft in the mode of the last one; with `reinvite`, last
    quarter's respondents get new links (in this answer only: send it with an
    Idempotency-Key); with `prefill`, their unchanged answers are offered pre-filled, and
    count only once confirmed. Open the draft to let them answer."""
    own, found = services(), token()
    period = json.period or _offer(client_id).suggested_period
    if period is None:
        raise _no_closed_quarter()
    try:
        started = next_quarter.start_next_quarter(
            postage(),
            own.catalogue,
            found.actor,
            found.workspace_slug,
            client_id,
            period,
            reinvite=json.reinvite,
            prefill=json.prefill,
            due_date=json.due_date,
        )
    except InvalidInput as refused:
        if refused.field != "client":
            raise
        if "archived" in str(refused):
            detail = "The client is archived: restore it before starting a quarter."
            raise ApiProblem(409, "client-archived", "Conflict", detail) from None
        raise _no_closed_quarter() from None
    overview = workspace_assessments.overview(
        own.sessions, found.actor, found.workspace_slug, started.assessment_id
    )
    created = started.created
    body = NextQuarterOut(
        assessment=assessment_out(overview.row),
        links=[
            LinkOut(
                respondent_id=link.respondent_id, name=link.name, email=link.email, url=link.url
            )
            for link in created.links
        ],
        mailed=created.mailed.sent,
        waiting=created.waiting,
        prefilled_answers=started.prefilled_answers,
        prefilled_respondents=started.prefilled_respondents,
        left_out=started.left_out,
    )
    location = url_for("api.get_assessment", assessment_id=started.assessment_id)
    return body, 201, {"Location": location}


def _no_closed_quarter() -> ApiProblem:
    detail = "The client has no closed assessment to start the next quarter from."
    return ApiProblem(409, "no-closed-assessment", "Conflict", detail)
