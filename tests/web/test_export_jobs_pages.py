"""A workspace's exports as background jobs in the browser's terms (issue 12): the exports page
starts a job, its page shows the progress and then the download, which is exactly the file
the direct download gives."""

from __future__ import annotations

import re

import pytest
import storage_faults
from export_job_fixtures import (
    HOSTILE,
    build_export_world,
    wait_until_finished,
    xlsx_cells,
    zip_members,
)
from web_helpers import csrf_token, log_in

from cxmaturity.services import export_job_runs
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import ExportJob, Organization, utc_now
from cxmaturity.web.context import services_of

REFRESH = '<meta http-equiv="refresh"'


@pytest.fixture
def world(app, sessions):
    return build_export_world(sessions, services_of(app).catalogue)


def logged_in(app, email: str, language: str = "en"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    log_in(client, email)
    return client


def start(client, world, **form) -> str:
    """Press a button of the exports page; the job page's address."""
    page = client.get(f"/w/{world.slug}/exports/").get_data(as_text=True)
    response = client.post(
        f"/w/{world.slug}/exports/jobs", data={"csrf_token": csrf_token(page), **form}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def job_id_of(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[1])


def finished_page(client, sessions, url: str) -> str:
    wait_until_finished(sessions, job_id_of(url))
    return client.get(url).get_data(as_text=True)


def download(client, page: str) -> tuple[bytes, str]:
    link = re.search(r'href="([^"]+/file)"', page).group(1)
    with client.get(link) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        return response.data, response.headers["Content-Disposition"]


def test_the_exports_page_starts_jobs_instead_of_linking_the_workspaces_files(app, world):
    client = logged_in(app, world.emails["consultant"])
    page = client.get("/w/nord/exports/").get_data(as_text=True)
    assert 'action="/w/nord/exports/jobs"' in page
    assert "Make the XLSX" in page and "Make every table as CSV in one ZIP" in page
    assert 'name="table" value="answers"' in page
    assert "/w/nord/exports/workspace.xlsx" not in page  # no direct download offered


def test_the_xlsx_job_leads_to_its_download_the_same_workbook_as_the_direct_download(
    app, sessions, world
):
    client = logged_in(app, world.emails["consultant"], "de")
    url = start(client, world, format="xlsx")

    page = finished_page(client, sessions, url)

    assert "Die Datei ist fertig." in page and REFRESH not in page
    data, disposition = download(client, page)
    assert "nord-" in disposition and disposition.endswith(".xlsx")
    direct = client.get("/w/nord/exports/workspace.xlsx").get_data()
    assert xlsx_cells(data) == xlsx_cells(direct)
    assert xlsx_cells(data)["assessments"][1][2] == "'" + HOSTILE
    # The job is listed on the exports page among the consultant's latest.
    listed = client.get("/w/nord/exports/").get_data(as_text=True)
    assert f"/w/nord/exports/jobs/{job_id_of(url)}" in listed


def test_the_csv_jobs_give_exactly_the_direct_downloads_csv_files(app, sessions, world):
    client = logged_in(app, world.emails["limited"])
    zipped = download(client, finished_page(client, sessions, start(client, world, format="csv")))
    members = zip_members(zipped[0])
    assert sorted(members) == sorted(
        f"{name}.csv"
        for name in (
            "assessments", "dimension_scores", "answers", "participation", "targets",
            "actions", "kpis",
        )
    )  # fmt: skip
    for name, content in members.items():
        assert content == client.get(f"/w/nord/exports/{name}").get_data(), name
    # The limited consultant's files hold their client only.
    assert "Ärzte" not in members["assessments.csv"].decode("utf-8-sig")

    url = start(client, world, format="csv", table="answers")
    one, disposition = download(client, finished_page(client, sessions, url))
    assert "nord-answers-" in disposition
    assert one == client.get("/w/nord/exports/answers.csv").get_data()


def test_a_running_job_refreshes_itself_and_says_how_far_it_is(app, sessions, world):
    with transaction(sessions) as session:
        job = ExportJob(
            workspace_id=session.get_one(Organization, world.client_ids[0]).workspace_id,
            creator_user_id=world.owner_id,
            format="xlsx",
            status="running",
            total=7,
            done_count=3,
            rows_done=12345,
            runner="elsewhere:1",
            heartbeat_at=utc_now(),
        )
        session.add(job)
        session.flush()
        job_id = job.id
    client = logged_in(app, world.emails["owner"])

    page = client.get(f"/w/nord/exports/jobs/{job_id}").get_data(as_text=True)

    assert REFRESH in page and "Refresh now" in page
    assert "3 of 7 done, 12,345 rows so far" in page
    assert '<progress max="7" value="3">' in page
    # No file yet: the download leads back to the page.
    assert client.get(f"/w/nord/exports/jobs/{job_id}/file").status_code == 303


def test_nobody_but_the_jobs_creator_sees_it_and_a_viewer_cannot_start_one(app, sessions, world):
    owner = logged_in(app, world.emails["owner"])
    url = start(owner, world, format="xlsx")
    wait_until_finished(sessions, job_id_of(url))
    for who in ("other", "consultant"):
        stranger = logged_in(app, world.emails[who])
        assert stranger.get(url).status_code == 404, who
        assert stranger.get(f"{url}/file").status_code == 404, who
    viewer = logged_in(app, world.emails["viewer"])
    assert viewer.post("/w/nord/exports/jobs", data={"format": "xlsx"}).status_code in (400, 403)


def test_a_tampered_format_is_refused_and_starts_nothing(app, sessions, world):
    client = logged_in(app, world.emails["owner"])
    page = client.get("/w/nord/exports/").get_data(as_text=True)
    for form in ({"format": "pdf"}, {"format": "xlsx", "table": "answers"}, {"table": "x"}):
        response = client.post(
            "/w/nord/exports/jobs", data={"csrf_token": csrf_token(page), **form}
        )
        assert response.status_code == 400, form
    with reading(sessions) as session:
        assert session.query(ExportJob).count() == 0


def test_a_database_fault_during_the_export_fails_the_job_in_the_users_language(
    app, sessions, world
):
    storage_faults.fail_reading(services_of(app).engine, "answers")
    client = logged_in(app, world.emails["owner"], "de")

    url = start(client, world, format="xlsx")
    job = wait_until_finished(sessions, job_id_of(url))

    assert job.status == "failed" and job.error == "storage" and job.file_name is None
    response = client.get(url)
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "Die Datenbank war nicht erreichbar" in page and "Erneut versuchen" in page
    assert REFRESH not in page
    # Nothing half-written is left, and the "try again" button starts the same export.
    assert list(services_of(app).export_jobs.directory.iterdir()) == []
    assert 'name="format" value="xlsx"' in page
    assert client.get(f"{url}/file").status_code == 303


def test_purging_a_client_removes_the_workspaces_export_files(app, sessions, world):
    client = logged_in(app, world.emails["owner"])
    url = start(client, world, format="xlsx")
    finished_page(client, sessions, url)
    directory = services_of(app).export_jobs.directory
    assert [path.suffix for path in directory.iterdir()] == [".xlsx"]
    with transaction(sessions) as session:
        session.get_one(Organization, world.client_ids[1]).archived_at = utc_now()
    page = client.get(f"/w/nord/clients/{world.client_ids[1]}").get_data(as_text=True)

    response = client.post(
        f"/w/nord/clients/{world.client_ids[1]}/purge",
        data={"csrf_token": csrf_token(page), "confirm_name": "Ärzte & Co. KG"},
    )

    assert response.status_code == 302
    assert list(directory.iterdir()) == []
    assert "This file was removed" in client.get(url).get_data(as_text=True)
    assert client.get(f"{url}/file").status_code == 410


def test_a_file_older_than_a_day_is_removed_by_the_next_job(app, sessions, world):
    client = logged_in(app, world.emails["owner"])
    url = start(client, world, format="csv", table="kpis")
    finished_page(client, sessions, url)
    services = services_of(app)
    later = utc_now() + export_job_runs.KEEP_FILES * 2

    export_job_runs.remove_old_files(services, later)

    assert list(services.export_jobs.directory.iterdir()) == []
    assert client.get(f"{url}/file").status_code == 410
