"""Clients with a row in every table, and the rows of one client table by table, for purge tests.

`client_rows` knows for each table of `Base.metadata` which of its rows belong to a
client; a table added later fails `test_every_table_is_known` until it is placed here,
so a purge cannot forget it silently.
"""

from __future__ import annotations

import json

from factories import make_assessment, make_client_staff, make_member, make_respondent
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cxmaturity.store.models import (
    Action,
    ActionEvent,
    AuditEntry,
    Base,
    DimensionSnapshot,
    EmailLogEntry,
    KpiValue,
    Organization,
    OrganizationTag,
    ResultSnapshot,
    Target,
    Workspace,
    utc_now,
)

ASSESSMENTS = "SELECT id FROM assessments WHERE organization_id = :client"
RESPONDENTS = f"SELECT id FROM respondents WHERE assessment_id IN ({ASSESSMENTS})"
# Each table → the condition on its rows that belong to the client.
CLIENT_ROWS = {
    "organizations": "id = :client",
    "organization_tags": "organization_id = :client",
    "memberships": "organization_id = :client",
    "member_clients": "organization_id = :client",
    "assessments": "organization_id = :client",
    "respondents": f"assessment_id IN ({ASSESSMENTS})",
    "answers": f"respondent_id IN ({RESPONDENTS})",
    "email_log": f"respondent_id IN ({RESPONDENTS})",
    "result_snapshots": f"assessment_id IN ({ASSESSMENTS})",
    "dimension_snapshots": (f"assessment_id IN ({ASSESSMENTS})"),
    "targets": "organization_id = :client",
    "actions": "organization_id = :client",
    "action_events": ("action_id IN (SELECT id FROM actions WHERE organization_id = :client)"),
    "kpi_values": "organization_id = :client",
}
# Tables whose rows are no client's own: people, workspaces, login safety; the audit log
# is checked on its own (it keeps one line, and earlier ones reduced).
NOT_A_CLIENTS = {
    "users",
    "workspaces",
    "workspace_members",
    "login_failures",
    "password_resets",
    "audit_log",
    # A bulk job names client ids only; a purge removes the ZIPs that hold the client.
    "bulk_report_jobs",
    # An export job names no client; a purge removes the workspace's export files.
    "export_jobs",
    # A saved cohort is a filter of the workspace's, not a client's.
    "cohorts",
    # API tokens are the workspace's; the answers stored for retried POSTs are forgotten
    # for the whole workspace by a purge (test_client_deletion.py).
    "api_tokens",
    "idempotent_responses",
}


def client_rows(session: Session, client_id: int) -> dict[str, set[tuple]]:
    """Every row of the client, table by table."""
    tables = Base.metadata.tables
    return {
        name: {
            tuple(row)
            for row in session.execute(
                select(tables[name]).where(text(condition)), {"client": client_id}
            )
        }
        for name, condition in CLIENT_ROWS.items()
    }


def all_rows(session: Session) -> dict[str, set[tuple]]:
    return {
        table.name: {tuple(row) for row in session.execute(select(table))}
        for table in Base.metadata.sorted_tables
    }


def tables_of_metadata() -> set[str]:
    return {table.name for table in Base.metadata.sorted_tables}


def populate_client(session: Session, workspace: Workspace, name: str) -> dict:
    """A client of `workspace` with a row in every table a client has rows in.

    Returns its id, its assessments' ids, a respondent's e-mail address and its staff user.
    """
    organization = Organization(
        workspace=workspace,
        name=name,
        industry="retail",
        size="50-249",
        tags=[OrganizationTag(tag="pilot"), OrganizationTag(tag="nord")],
    )
    session.add(organization)
    session.flush()
    staff = make_client_staff(session, organization, "client_admin")
    make_member(session, workspace, role="consultant", listed_clients=[organization])
    closed = make_assessment(session, organization, period="2026-Q3", status="closed")
    current = make_assessment(session, organization, period="2026-Q4")
    email = f"eva.{organization.id}@{name.split()[0].lower()}.example"
    for assessment in (closed, current):
        respondent, _ = make_respondent(
            session,
            assessment,
            name=f"Eva Lind {organization.id}",
            answers={"strategy-cem-strategy": 3},
            comments={"strategy-cem-strategy": f"Our board at {name} does not care"},
            submitted=True,
        )
        respondent.email = f"{assessment.period}.{email}"
        session.add(
            EmailLogEntry(
                kind="invitation",
                language="en",
                workspace_id=workspace.id,
                respondent_id=respondent.id,
            )
        )
    session.add(
        ResultSnapshot(
            assessment_id=closed.id,
            overall_score="3",
            overall_score_value=3.0,
            overall_level=3,
            submitted_respondents=1,
            dimensions=[DimensionSnapshot(dimension_id="strategy", score="3", level=3)],
        )
    )
    session.add(
        ResultSnapshot(
            assessment_id=current.id, previous_assessment_id=closed.id, submitted_respondents=1
        )
    )
    session.add(
        Target(
            organization_id=organization.id,
            questionnaire_id="cx-maturity",
            dimension_id="strategy",
            target_level=4,
        )
    )
    action = Action(
        organization_id=organization.id,
        questionnaire_id="cx-maturity",
        dimension_id="strategy",
        title=f"Workshop with {name}",
        owner="Eva Lind",
        opened_period="2026-Q3",
        events=[ActionEvent(kind="edited", detail=json.dumps({"title": ["Workshop", name]}))],
    )
    session.add(action)
    session.add(
        KpiValue(
            organization_id=organization.id,
            period="2026-Q3",
            kpi="nps",
            inputs=json.dumps({"promoters": "50", "detractors": "10", "responses": "100"}),
            value="40",
        )
    )
    session.flush()
    return {
        "id": organization.id,
        "assessments": (closed.id, current.id),
        "respondent_email": f"2026-Q3.{email}",
        "staff": staff,
        "staff_email": staff.email,
    }


def audit_line(session: Session, workspace: Workspace, **fields) -> None:
    session.add(AuditEntry(workspace_id=workspace.id, at=utc_now(), **fields))
    session.flush()
