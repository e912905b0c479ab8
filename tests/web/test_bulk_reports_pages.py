"""Bulk PDFs as a ZIP in the browser's terms (issue 11, item 4): form → progress → download."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile

import pytest
from bulk_fixtures import PERIOD, build_bulk_world
from factories import PASSWORD
from web_helpers import csrf_token

from cxmaturity.services.bulk_jobs import this_runner
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import BulkReportJob, utc_now
from cxmaturity.store.queries.accounts import workspace_by_slug

WAIT_SECONDS = 120
REFRESH = '<meta http-equiv="refresh"'


@pytest.fixture
def world(sessions):
    return build_bulk_world(sessions)


def logged_in(app, email: str, language: str = "en"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login", data={"csrf_token": csrf_token(page), "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_a_consultant_chooses_clients_follows_the_progress_and_downloads_the_zip(app, world):
    client = logged_in(app, world.owner_email, "de")
    form_url = f"/w/{world.slug}/reports/bulk/"

    page = client.get(form_url).get_data(as_text=True)
    assert "Berichte als ZIP" in page
    assert "Müller &amp; Söhne GmbH" in page and f'<option value="{PERIOD}"' in page
    shown = re.findall(r'name="shown" value="(\d+)"', page)
    assert sorted(shown) == sorted(str(i) for i in world.client_ids)

    response = client.post(
        f"/w/{world.slug}/reports/bulk/start",
        data={
            "csrf_token": csrf_token(page),
            "all": "1",
            "shown": shown,
            "period": PERIOD,
            "language": "en",
        },
    )
    assert response.status_code == 303
    progress_url = response.headers["Location"]

    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        page = client.get(progress_url).get_data(as_text=True)
        if "ZIP herunterladen" in page or time.monotonic() > deadline:
            break
        assert REFRESH in page  # refreshes itself while the job runs, without JavaScript
        time.sleep(0.3)
    assert "ZIP herunterladen" in page, page
    assert REFRESH not in page  # done: the page stands still

    with client.get(re.search(r'href="([^"]+reports\.zip)"', page).group(1)) as download:
        assert download.status_code == 200 and download.mimetype == "application/zip"
        assert "Reports_2026-Q3_en.zip" in download.headers["Content-Disposition"]
        data = download.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    assert sorted(name for name in names if name.endswith(".pdf")) == [
        "Report_HYPERLINK-http-x-A1_2026-Q3_en.pdf",
        "Report_Mueller-Soehne-GmbH_2026-Q3_en.pdf",
    ]
    assert "manifest.csv" in names
    # The form lists the job among the consultant's latest ZIPs.
    assert progress_url.rsplit("/", 1)[1] in client.get(form_url).get_data(as_text=True)


def job_count(sessions) -> int:
    with reading(sessions) as session:
        return session.query(BulkReportJob).count()


def test_no_client_chosen_is_refused_with_a_message_and_starts_nothing(app, sessions, world):
    client = logged_in(app, world.owner_email)
    page = client.get(f"/w/{world.slug}/reports/bulk/").get_data(as_text=True)

    response = client.post(
        f"/w/{world.slug}/reports/bulk/start",
        data={"csrf_token": csrf_token(page), "period": PERIOD, "language": "de"},
    )

    assert response.status_code == 400
    assert "Choose at least one client." in response.get_data(as_text=True)
    assert job_count(sessions) == 0


def test_a_client_of_another_workspace_answers_404_and_starts_nothing(app, sessions, world):
    client = logged_in(app, world.owner_email)
    page = client.get(f"/w/{world.slug}/reports/bulk/").get_data(as_text=True)

    response = client.post(
        f"/w/{world.slug}/reports/bulk/start",
        data={
            "csrf_token": csrf_token(page),
            "client": [str(world.client_ids[0]), str(world.other_client_id)],
            "period": PERIOD,
            "language": "de",
        },
    )

    assert response.status_code == 404
    assert job_count(sessions) == 0


def stored_job(sessions, world, **fields) -> int:
    with transaction(sessions) as session:
        job = BulkReportJob(
            workspace_id=workspace_by_slug(session, world.slug).id,
            creator_user_id=world.owner_id,
            period=PERIOD,
            language="de",
            client_ids=json.dumps(list(world.client_ids)),
            total=3,
            **fields,
        )
        session.add(job)
        session.flush()
        return job.id


def test_a_job_interrupted_by_a_restart_says_so_with_503_and_offers_to_start_again(
    app, sessions, world
):
    # Running in this process by its record, which this process never started: the app
    # was restarted while the job ran.
    job_id = stored_job(sessions, world, status="running", done_count=1, runner=this_runner())
    client = logged_in(app, world.owner_email)

    response = client.get(f"/w/{world.slug}/reports/bulk/{job_id}")

    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "the application restarted while they were made" in page
    assert "Start again" in page and REFRESH not in page
    # Its ZIP is not offered: the download leads back to the page that says why.
    download = client.get(f"/w/{world.slug}/reports/bulk/{job_id}/reports.zip")
    assert download.status_code == 303


def test_a_zip_removed_after_a_day_answers_410_with_what_to_do(app, sessions, world):
    job_id = stored_job(
        sessions, world, status="done", done_count=3, finished_at=utc_now(), file_name=None
    )
    client = logged_in(app, world.owner_email)

    response = client.get(f"/w/{world.slug}/reports/bulk/{job_id}/reports.zip")

    assert response.status_code == 410
    assert "Please start the reports again." in response.get_data(as_text=True)
