"""Issue 11's "done when", walked in Chromium as a consultant of 30 clients would: the portfolio
filtered to one industry with its heat map, cohort band and movers; the workspace's XLSX and a
CSV downloaded and read back; a ZIP of PDFs made, waited for and opened; and the cohort band in
a client's PDF only where at least five other clients compare (a small consultancy's shows why
not). Screenshots go to /work/portfolio-shots/."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from factories import PASSWORD, make_member, make_organization, make_workspace
from history_quarters import document, import_all, person
from pypdf import PdfReader
from sqlalchemy import select

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.domain.statuses import WorkspaceRole
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory, transaction
from cxmaturity.store.models import Assessment

pytestmark = pytest.mark.browser
SHOTS = Path("/work/portfolio-shots")
CLIENTS = 30
FINANCE = range(0, CLIENTS, 5)  # clients 0, 5, …, 25: six banks and insurers
BAND_HEADING = "Your position among the other clients"
ZIP_WAIT_SECONDS = 180


def industry_of(number: int) -> str:
    return "finance" if number in FINANCE else "retail"


@pytest.fixture(scope="module")
def world(mailing_live_server):
    """`walk-big`: 30 clients over 2026-Q3 and Q4 (each a level higher or lower in Q4);
    `walk-small`: 4 clients in 2026-Q4, so each has 3 peers, fewer than the 5 a band needs."""
    engine = make_engine(mailing_live_server.database_url)
    sessions = session_factory(engine)
    catalogue = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR)
    ids: dict[str, list[int]] = {"walk-big": [], "walk-small": []}
    emails = {}
    try:
        with transaction(sessions) as session:
            for slug, count in (("walk-big", CLIENTS), ("walk-small", 4)):
                workspace = make_workspace(session, slug=slug, name=f"Beratung {slug}")
                for number in range(count):
                    client = make_organization(
                        session,
                        name=f"Kunde {number:02d} GmbH",
                        industry=industry_of(number),
                        workspace=workspace,
                    )
                    ids[slug].append(client.id)
                emails[slug] = make_member(session, workspace, role=WorkspaceRole.CONSULTANT).email
        for slug, client_ids in ids.items():
            for number, client_id in enumerate(client_ids):
                level = 1 + number % 4
                later = level + 1 if number % 3 else max(1, level - 1)
                quarters = [document("2026-Q4", "1.0", [person(catalogue, "1.0", "Anna", later)])]
                if slug == "walk-big":
                    quarters.insert(
                        0, document("2026-Q3", "1.0", [person(catalogue, "1.0", "Anna", level)])
                    )
                import_all(sessions, catalogue, slug, client_id, quarters)
        with transaction(sessions) as session:
            small = session.scalars(
                select(Assessment.id)
                .where(Assessment.organization_id.in_(ids["walk-small"]))
                .order_by(Assessment.id)
            ).all()
        yield {"ids": ids, "emails": emails, "small_assessments": list(small)}
    finally:
        engine.dispose()


def log_in(page, url: str, email: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def downloaded(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def made_file(page) -> bytes:
    """The file of the export job whose page is open, once the page (refreshing itself)
    offers it."""
    link = page.get_by_role("link", name=re.compile(r"^Download "))
    link.wait_for(timeout=120_000)
    return downloaded(page, link.click)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_consultant_of_thirty_clients_walks_the_portfolio_exports_and_zip(
    new_page, mailing_live_server, world
):
    url = mailing_live_server.url
    page = new_page(extra_http_headers={"Accept-Language": "en"}, accept_downloads=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, url, world["emails"]["walk-big"])

    # The portfolio, filtered to one industry by its form.
    page.goto(f"{url}/w/walk-big/portfolio")
    page.get_by_label("Industry").select_option("finance")
    page.get_by_role("button", name="Show").click()
    assert "industry=finance" in page.url
    assert page.locator(".portfolio-table tbody tr").count() == len(FINANCE)
    assert page.get_by_role("heading", name="6 clients").is_visible()
    heat_map = page.locator("#chart-heat_map img")
    assert heat_map.is_visible()
    assert heat_map.evaluate("img => img.naturalWidth") > 0  # the SVG was drawn and loads
    band = page.locator("section[aria-labelledby=band-heading]")
    assert re.search(r"6 clients: median \d\.\d, quartiles \d\.\d–\d\.\d", band.inner_text())
    top = band.locator(".movers > div").first.locator("li")
    bottom = band.locator(".movers > div").last.locator("li")
    assert top.count() > 0 and bottom.count() > 0  # clients 5, 10, 20, 25 rose; 0 and 15 fell
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "walk-portfolio-finance.png"), full_page=True)

    # The filtered table as CSV: the six clients, read back with the csv module.
    table = downloaded(page, lambda: page.get_by_role("link", name="Download as CSV").click())
    rows = list(csv.DictReader(io.StringIO(table.decode("utf-8-sig"))))
    assert len(rows) == len(FINANCE)
    assert {row["industry"] for row in rows} == {"finance"}

    # The workspace's XLSX from the exports page, made in the background: one sheet per
    # table, scores as numbers.
    page.goto(f"{url}/w/walk-big/exports/")
    page.get_by_role("button", name="Make the XLSX").click()
    workbook = openpyxl.load_workbook(io.BytesIO(made_file(page)))
    assert {"assessments", "dimension_scores", "answers"} <= set(workbook.sheetnames)
    assessments = list(workbook["assessments"].iter_rows(values_only=True))
    assert len(assessments) == 1 + 2 * CLIENTS  # the heading and two quarters each
    header = assessments[0]
    scores = [row[header.index("overall_score")] for row in assessments[1:]]
    assert all(isinstance(score, float | int) for score in scores)
    page.get_by_role("link", name="Back to the exports").click()
    page.get_by_role("button", name="Make assessments.csv").click()
    assessments_csv = made_file(page).decode("utf-8")
    assert assessments_csv.startswith("\ufeff")
    assert len(list(csv.reader(io.StringIO(assessments_csv[1:])))) == 1 + 2 * CLIENTS

    # A ZIP of the six banks' PDFs of 2026-Q4, in German.
    page.goto(f"{url}/w/walk-big/reports/bulk/")
    page.get_by_label("Period").select_option("2026-Q4")
    page.get_by_label("Deutsch").check()
    for number in FINANCE:
        page.get_by_label(f"Kunde {number:02d} GmbH").check()
    page.get_by_role("button", name="Make the ZIP").click()
    download_link = page.get_by_role("link", name="Download the ZIP")
    deadline = time.monotonic() + ZIP_WAIT_SECONDS
    while not download_link.is_visible():  # the page refreshes itself every two seconds
        assert time.monotonic() < deadline, "the ZIP was not made in time"
        assert "failed" not in page.inner_text("main").lower()
        page.wait_for_timeout(1000)
    archive = zipfile.ZipFile(io.BytesIO(downloaded(page, download_link.click)))
    reports = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    assert reports == [f"Report_Kunde-{n:02d}-GmbH_2026-Q4_de.pdf" for n in FINANCE]
    manifest = archive.read("manifest.csv").decode("utf-8-sig")
    assert manifest.count("Bericht enthalten") == len(FINANCE)
    german = pdf_text(archive.read(reports[0]))
    assert "Kunde 00 GmbH" in german
    # 29 other clients compare: the band is shown, with its figures.
    assert "Ihre Position unter den anderen Kunden" in german
    assert "UNTERES QUARTIL" in german
    assert "weniger als 5 vergleichbare Kunden" not in german


def test_a_client_of_a_small_consultancy_gets_no_band_and_reads_why(
    new_page, mailing_live_server, world
):
    url = mailing_live_server.url
    page = new_page(extra_http_headers={"Accept-Language": "en"}, accept_downloads=True)
    log_in(page, url, world["emails"]["walk-small"])
    assessment_id = world["small_assessments"][0]
    page.goto(f"{url}/w/walk-small/assessments/{assessment_id}/results")
    page.screenshot(path=str(SHOTS / "walk-small-results.png"), full_page=True)
    assert "fewer than 5 comparable clients" in page.inner_text("main")
    response = page.request.get(
        f"{url}/w/walk-small/assessments/{assessment_id}/report.pdf?lang=en"
    )
    assert response.status == 200
    text = pdf_text(response.body())
    assert BAND_HEADING in text
    assert "fewer than 5 comparable clients" in text
    # Each row: the client's own score, and in place of the band's figures the reason.
    assert re.search(r"Overall \d\.\d fewer than 5 comparable clients", text)
    assert not re.search(r"Overall \d\.\d \d\.\d", text)
