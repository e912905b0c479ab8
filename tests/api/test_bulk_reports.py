"""Bulk PDFs through the API: a job started (202), followed to done, its ZIP downloaded; a job
not ready yet is a 409, another's a 404, a bad request starts nothing."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from api_helpers import call
from bulk_fixtures import PERIOD, build_bulk_world
from storage_faults import make_read_only

from cxmaturity.services import api_tokens
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import BulkReportJob, User, utc_now
from cxmaturity.store.queries.accounts import workspace_by_slug
from cxmaturity.web.context import services_of

WAIT_SECONDS = 120


@pytest.fixture
def bulk(sessions):
    made = build_bulk_world(sessions)
    owner = api_tokens.create_token_as_operator(
        sessions, made.slug, made.owner_email, "write", "bulk"
    )
    return made, owner.secret


def job_count(sessions) -> int:
    with reading(sessions) as session:
        return session.query(BulkReportJob).count()


def start(client, token, client_ids, period=PERIOD, **headers):
    body = {"client_ids": list(client_ids), "period": period, "language": "en"}
    return call(client, "POST", "/api/v1/bulk-reports", token, body, **headers)


def test_a_job_is_started_followed_to_done_and_its_zip_downloaded(client, bulk):
    made, token = bulk
    started = start(client, token, made.client_ids[:2])
    assert started.status_code == 202, started.get_json()
    job = started.get_json()
    assert job["status"] in ("queued", "running", "done") and job["total"] == 2
    assert started.headers["Location"].endswith(f"/api/v1/bulk-reports/{job['id']}")

    deadline = time.monotonic() + WAIT_SECONDS
    while job["status"] != "done" and time.monotonic() < deadline:
        assert job["status"] != "failed", job
        time.sleep(0.3)
        job = call(client, "GET", started.headers["Location"], token).get_json()
    assert job["status"] == "done" and job["done"] == 2 and job["percent"] == 100
    assert job["file_available"] is True

    download = call(client, "GET", f"/api/v1/bulk-reports/{job['id']}/file", token)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert "Reports_2026-Q3_en.zip" in download.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        names = archive.namelist()
    assert sorted(name for name in names if name.endswith(".pdf")) == [
        "Report_HYPERLINK-http-x-A1_2026-Q3_en.pdf",
        "Report_Mueller-Soehne-GmbH_2026-Q3_en.pdf",
    ]
    assert "manifest.csv" in names


def queued_job(sessions, made) -> int:
    """A job waiting on the queue for a worker (as with Redis): not ready for a while."""
    with transaction(sessions) as session:
        job = BulkReportJob(
            workspace_id=_workspace_id(session, made.slug),
            creator_user_id=made.owner_id,
            period=PERIOD,
            language="de",
            client_ids=f"[{made.client_ids[0]}]",
            status="queued",
            total=1,
            done_count=0,
            runner=None,
            created_at=utc_now(),
        )
        session.add(job)
        session.flush()
        return job.id


def _workspace_id(session, slug: str) -> int:
    return workspace_by_slug(session, slug).id


def test_the_file_of_a_job_still_waiting_is_a_409_problem_with_retry_after(client, sessions, bulk):
    made, token = bulk
    job_id = queued_job(sessions, made)
    status = call(client, "GET", f"/api/v1/bulk-reports/{job_id}", token).get_json()
    assert (status["status"], status["file_available"]) == ("queued", False)
    response = call(client, "GET", f"/api/v1/bulk-reports/{job_id}/file", token)
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert response.get_json()["type"] == "urn:cxmaturity:problem:job-not-ready"
    assert response.headers["Retry-After"] == "2"


def test_a_job_of_another_member_of_the_workspace_is_not_found(client, sessions, bulk):
    made, _token = bulk
    job_id = queued_job(sessions, made)
    with reading(sessions) as session:
        viewer_email = session.get_one(User, made.viewer_id).email
    viewer = api_tokens.create_token_as_operator(sessions, made.slug, viewer_email, "write", "v")
    for path in (f"/api/v1/bulk-reports/{job_id}", f"/api/v1/bulk-reports/{job_id}/file"):
        assert call(client, "GET", path, viewer.secret).status_code == 404


def test_refused_requests_start_no_job(client, sessions, bulk):
    made, token = bulk
    other = start(client, token, [made.client_ids[0], made.other_client_id])
    assert other.status_code == 404
    assert start(client, token, []).status_code == 422
    bad_period = start(client, token, made.client_ids[:1], period="2026-Q5")
    assert bad_period.status_code == 422
    assert bad_period.get_json()["errors"][0]["field"] == "period"
    assert job_count(sessions) == 0


def test_a_viewer_and_a_read_token_may_not_start_a_job(client, sessions, bulk):
    made, _token = bulk
    read = api_tokens.create_token_as_operator(sessions, made.slug, made.owner_email, "read", "r")
    assert start(client, read.secret, made.client_ids[:1]).status_code == 403
    assert job_count(sessions) == 0


def test_the_same_idempotency_key_starts_one_job(client, sessions, bulk):
    made, token = bulk
    first = start(client, token, made.client_ids[:1], **{"Idempotency-Key": "bulk-1"})
    again = start(client, token, made.client_ids[:1], **{"Idempotency-Key": "bulk-1"})
    assert first.status_code == again.status_code == 202
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert job_count(sessions) == 1


def test_a_read_only_database_answers_503_and_starts_nothing(app, client, sessions, bulk):
    made, token = bulk
    make_read_only(services_of(app).engine)
    response = start(client, token, made.client_ids[:1])
    assert response.status_code == 503
    assert response.get_json()["type"] == "urn:cxmaturity:problem:unavailable"
    assert job_count(sessions) == 0
