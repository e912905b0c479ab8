"""Fixtures for the API tests: two workspaces with members, a client, an assessment with a
respondent each, and tokens of every role."""

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import (
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_user,
    make_workspace,
)

from cxmaturity.services import api_tokens
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Action, BulkReportJob, ExportJob, SavedCohort, utc_now

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))


@dataclass
class World:
    owner_email: str
    consultant_email: str
    viewer_email: str
    client_id: int
    assessment_id: int
    respondent_id: int
    action_id: int
    cohort_id: int
    job_id: int
    """A finished bulk-report job of the owner (its ZIP removed)."""
    export_job_id: int
    """A finished export job of the owner's (its file removed)."""
    other: dict[str, int]
    """The ids of workspace `sued`'s client, assessment and respondent, which no token
    of `nord` may see."""
    tokens: dict[str, str]
    """"owner", "consultant", "viewer", "read" (the owner's read token), "other" (süd's owner)."""


def _objects(session, workspace, name: str, owner) -> dict[str, int]:
    client = make_organization(session, name=name, workspace=workspace)
    assessment = make_assessment(session, organization=client)
    respondent, _token = make_respondent(session, assessment, name="Eva")
    action = Action(
        organization_id=client.id,
        questionnaire_id="cx-maturity",
        dimension_id="strategy",
        title=f"{name}: a CX owner on the board",
        opened_period="2026-Q4",
    )
    cohort = SavedCohort(
        workspace_id=workspace.id, name="Handel", questionnaire_id="cx-maturity", major="1", tags=[]
    )
    job = BulkReportJob(
        workspace_id=workspace.id,
        creator_user_id=owner.id,
        period="2026-Q4",
        language="de",
        client_ids=f"[{client.id}]",
        status="done",
        total=1,
        done_count=1,
        created_at=utc_now(),
        finished_at=utc_now(),
    )
    session.add_all([action, cohort, job])
    session.flush()
    return {
        "job_id": job.id,
        "cohort_id": cohort.id,
        "client_id": client.id,
        "assessment_id": assessment.id,
        "respondent_id": respondent.id,
        "action_id": action.id,
    }


def _export_job(session, workspace, owner) -> int:
    job = ExportJob(
        workspace_id=workspace.id,
        creator_user_id=owner.id,
        format="xlsx",
        status="done",
        total=7,
        done_count=7,
        finished_at=utc_now(),
    )
    session.add(job)
    session.flush()
    return job.id


@pytest.fixture
def world(sessions) -> World:
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        owner = make_member(session, nord, role="owner", user=make_user(session, name="Olga"))
        consultant = make_member(session, nord, role="consultant")
        viewer = make_member(session, nord, role="viewer")
        own = _objects(session, nord, "Erste GmbH", owner)
        own["export_job_id"] = _export_job(session, nord, owner)
        sued = make_workspace(session, slug="sued", name="Beratung Süd")
        other_owner = make_member(session, sued, role="owner")
        other = _objects(session, sued, "Fremde AG", other_owner)
        other["export_job_id"] = _export_job(session, sued, other_owner)
    made = {
        "owner": ("nord", owner.email, "write"),
        "consultant": ("nord", consultant.email, "write"),
        "viewer": ("nord", viewer.email, "write"),
        "read": ("nord", owner.email, "read"),
        "other": ("sued", other_owner.email, "write"),
    }
    tokens = {
        key: api_tokens.create_token_as_operator(sessions, slug, email, scope, key).secret
        for key, (slug, email, scope) in made.items()
    }
    return World(owner.email, consultant.email, viewer.email, **own, other=other, tokens=tokens)
