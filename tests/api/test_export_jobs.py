"""Exports as background jobs through the API (issue 12): POST /exports → 202 with the job,
its status and progress, then its file — the same file as the synchronous download."""

from __future__ import annotations

import time

from api_helpers import call
from export_job_fixtures import wait_until_finished, xlsx_cells, zip_members

from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import ExportJob, Workspace

WAIT_SECONDS = 120  # a busy machine of two cores


def started(client, token: str, body: dict) -> dict:
    response = call(client, "POST", "/api/v1/exports", token, body)
    assert response.status_code == 202, response.get_data(as_text=True)
    job = response.get_json()
    assert response.headers["Location"] == f"/api/v1/exports/jobs/{job['id']}"
    assert job["status"] in ("queued", "running", "done") and job["tables_total"] >= 1
    return job


def done(client, token: str, job: dict) -> dict:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = call(client, "GET", f"/api/v1/exports/jobs/{job['id']}", token).get_json()
        if found["status"] in ("done", "failed") or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_an_xlsx_job_runs_and_its_file_is_the_synchronous_workbook(client, world):
    token = world.tokens["consultant"]
    job = started(client, token, {"format": "xlsx"})

    finished = done(client, token, job)

    assert finished["status"] == "done" and finished["error"] is None
    assert finished["tables_done"] == finished["tables_total"] == 7
    assert finished["rows_done"] >= 2  # the assessment and the action at least
    assert finished["file"] == f"/api/v1/exports/jobs/{job['id']}/file"
    response = call(client, "GET", finished["file"], token)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment; filename=nord-" in response.headers["Content-Disposition"]
    direct = call(client, "GET", "/api/v1/exports/workspace.xlsx", token).get_data()
    assert xlsx_cells(response.get_data()) == xlsx_cells(direct)


def test_csv_jobs_give_the_synchronous_csv_files_byte_for_byte(client, world):
    token = world.tokens["owner"]
    zipped = done(client, token, started(client, token, {"format": "csv"}))
    members = zip_members(call(client, "GET", zipped["file"], token).get_data())
    assert len(members) == 7
    for name, content in members.items():
        assert content == call(client, "GET", f"/api/v1/exports/{name}", token).get_data(), name

    one = done(client, token, started(client, token, {"format": "csv", "table": "actions"}))
    assert one["table"] == "actions" and one["tables_total"] == 1
    data = call(client, "GET", one["file"], token).get_data()
    assert data == call(client, "GET", "/api/v1/exports/actions.csv", token).get_data()
    assert "a CX owner on the board" in data.decode("utf-8-sig")


def test_the_file_of_a_job_not_done_yet_is_a_409_problem(client, world, sessions):
    job = started(client, world.tokens["owner"], {"format": "csv", "table": "kpis"})
    wait_until_finished(sessions, job["id"])
    with transaction(sessions) as session:
        nord = session.query(Workspace).filter_by(slug="nord").one()
        waiting = ExportJob(
            workspace_id=nord.id,
            creator_user_id=session.get_one(ExportJob, job["id"]).creator_user_id,
            format="xlsx",
            status="queued",
            total=7,
        )
        session.add(waiting)
        session.flush()
        waiting_id = waiting.id
    token = world.tokens["owner"]

    status = call(client, "GET", f"/api/v1/exports/jobs/{waiting_id}", token).get_json()
    response = call(client, "GET", f"/api/v1/exports/jobs/{waiting_id}/file", token)

    assert status["status"] == "queued" and status["file"] is None
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "urn:cxmaturity:problem:export-not-done"
    assert response.headers["Retry-After"]


def test_another_workspaces_token_a_colleague_and_a_viewer_get_no_job(client, world, sessions):
    job = done(
        client, world.tokens["owner"], started(client, world.tokens["owner"], {"format": "xlsx"})
    )
    for who in ("other", "consultant"):
        for path in (f"/api/v1/exports/jobs/{job['id']}", job["file"]):
            response = call(client, "GET", path, world.tokens[who])
            assert response.status_code == 404 and response.get_json()["status"] == 404, who
    before = _job_count(sessions)
    for who in ("viewer", "read"):
        response = call(client, "POST", "/api/v1/exports", world.tokens[who], {"format": "xlsx"})
        assert response.status_code == 403, who
    assert _job_count(sessions) == before


def test_a_bad_format_or_table_is_refused_with_the_field_named(client, world, sessions):
    token = world.tokens["owner"]
    before = _job_count(sessions)
    for body, field in (
        ({"format": "pdf"}, "format"),
        ({"format": "csv", "table": "people"}, "table"),
        ({"format": "xlsx", "table": "answers"}, "table"),
        ({}, "format"),
    ):
        response = call(client, "POST", "/api/v1/exports", token, body)
        assert response.status_code == 422, body
        assert response.get_json()["errors"][0]["field"] == field, body
    assert _job_count(sessions) == before


def _job_count(sessions) -> int:
    with reading(sessions) as session:
        return session.query(ExportJob).count()
