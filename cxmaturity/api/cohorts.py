"""`/api/v1/cohorts`: the workspace's saved cohorts (named filters of its clients): list,
save, rename, forget.

A cohort's band and clients are the portfolio's with `?cohort=<id>`."""

from __future__ import annotations

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.lifecycle_schemas import CohortRenameIn
from cxmaturity.api.plan_schemas import CohortIn, CohortList, SavedCohortOut
from cxmaturity.api.schemas import Done, IdempotencyHeaders
from cxmaturity.api.spec import answers, api
from cxmaturity.services import saved_cohorts
from cxmaturity.services.errors import NotVisible
from cxmaturity.services.saved_cohorts import Cohort, CohortDefinition

TAGS = ["cohorts"]


def cohort_out(cohort: Cohort) -> SavedCohortOut:
    return SavedCohortOut(
        id=cohort.id,
        name=cohort.name,
        questionnaire=cohort.questionnaire_id,
        major=cohort.major,
        industry=cohort.industry,
        size=cohort.size,
        tags=list(cohort.tags),
    )


def _all() -> tuple[Cohort, ...]:
    found = token()
    return saved_cohorts.list_cohorts(services().sessions, found.actor, found.workspace_slug)


@blueprint.get("/cohorts")
@api.validate(resp=answers(HTTP_200=CohortList), tags=TAGS)
def list_cohorts():
    """The saved cohorts of the workspace."""
    return CohortList(items=[cohort_out(cohort) for cohort in _all()])


@blueprint.post("/cohorts")
@api.validate(
    json=CohortIn, headers=IdempotencyHeaders, resp=answers(HTTP_201=SavedCohortOut), tags=TAGS
)
def create_cohort(json: CohortIn):
    """Save a filter under a name of its own."""
    own, found = services(), token()
    definition = CohortDefinition(
        json.name, json.questionnaire, json.major, json.industry, json.size, json.tags
    )
    cohort_id = saved_cohorts.create_cohort(
        own.sessions, own.catalogue, found.actor, found.workspace_slug, definition
    )
    made = next(cohort for cohort in _all() if cohort.id == cohort_id)
    return cohort_out(made), 201


@blueprint.patch("/cohorts/<int:cohort_id>")
@api.validate(json=CohortRenameIn, resp=answers(HTTP_200=SavedCohortOut), tags=TAGS)
def rename_cohort(cohort_id: int, json: CohortRenameIn):
    """Give the cohort another name (its filter stays as it is)."""
    found = token()
    saved_cohorts.rename_cohort(
        services().sessions, found.actor, found.workspace_slug, cohort_id, json.name
    )
    renamed = next((cohort for cohort in _all() if cohort.id == cohort_id), None)
    if renamed is None:  # deleted by another request in between
        raise NotVisible
    return cohort_out(renamed)


@blueprint.delete("/cohorts/<int:cohort_id>")
@api.validate(resp=answers(HTTP_200=Done), tags=TAGS)
def delete_cohort(cohort_id: int):
    """Forget a saved cohort (the clients stay as they are)."""
    found = token()
    saved_cohorts.delete_cohort(services().sessions, found.actor, found.workspace_slug, cohort_id)
    return Done(id=cohort_id)
