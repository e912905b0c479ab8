"""With Redis, a workspace export is an RQ job on the `exports` queue: the worker makes the
file, every host shows the progress and serves the file from Redis, a purge removes it
there too, and a job that failed every try is listed and retried by `cxmaturity jobs`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import storage_faults
from click.testing import CliRunner
from export_job_fixtures import build_export_world, xlsx_cells, zip_members
from job_helpers import run_worker_here
from rq import Queue
from web_helpers import csrf_token, log_in

from cxmaturity import create_app
from cxmaturity.cli import cli
from cxmaturity.services import export_job_runs, export_jobs, exports
from cxmaturity.services.access import load_actor
from cxmaturity.store.database import reading
from cxmaturity.store.models import ExportJob
from cxmaturity.store.queries import export_jobs as job_queries
from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")
REFRESH = '<meta http-equiv="refresh"'


@pytest.fixture
def world(app, sessions):
    return build_export_world(sessions, services_of(app).catalogue)


@pytest.fixture
def second_host(app, tmp_path, monkeypatch, redis_url):
    """Another app on the same database and Redis, with an instance folder of its own."""
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "second-host"))
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SERVER_NAME": "localhost",
            "BASE_URL": app.config["BASE_URL"],
            "REDIS_URL": redis_url,
        }
    )
    yield other
    services_of(other).close()


def logged_in(app, email: str):
    client = app.test_client()
    log_in(client, email)
    return client


def test_the_worker_makes_the_xlsx_and_another_host_shows_the_progress_and_serves_it(
    app, second_host, world, redis
):
    client = logged_in(app, world.emails["consultant"])
    page = client.get("/w/nord/exports/").get_data(as_text=True)
    response = client.post(
        "/w/nord/exports/jobs", data={"csrf_token": csrf_token(page), "format": "xlsx"}
    )
    job_url = response.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    elsewhere = logged_in(second_host, world.emails["consultant"])

    waiting = elsewhere.get(job_url).get_data(as_text=True)
    assert REFRESH in waiting and "Waiting to start." in waiting  # queued, not lost
    assert [job.args for job in Queue("exports", connection=redis).get_jobs()] == [[job_id]]

    run_worker_here(app)

    done = elsewhere.get(job_url).get_data(as_text=True)
    assert "The file is ready." in done and REFRESH not in done
    assert redis.ttl(f"cxm:export:{job_id}") > 23 * 3600
    link = re.search(r'href="([^"]+/file)"', done).group(1)
    with elsewhere.get(link) as download:
        assert download.status_code == 200
        data = download.data
    assert not any(services_of(second_host).export_jobs.directory.iterdir())  # no copy kept
    direct = client.get("/w/nord/exports/workspace.xlsx").get_data()
    assert xlsx_cells(data) == xlsx_cells(direct)


def test_the_worker_reports_the_progress_table_by_table(app, sessions, world, monkeypatch):
    monkeypatch.setattr(export_job_runs, "PROGRESS_SECONDS", 0)
    seen: list[tuple[int, int]] = []
    record = job_queries.record_progress

    def recorded(session, job_id, tables_done, rows_done, heartbeat):
        seen.append((tables_done, rows_done))
        record(session, job_id, tables_done, rows_done, heartbeat)

    monkeypatch.setattr(job_queries, "record_progress", recorded)
    services = services_of(app)
    owner = load_actor(sessions, world.owner_id)
    job_id = export_jobs.start_job(services, owner, "nord", "csv")

    run_worker_here(app)

    assert [tables for tables, _rows in seen] == list(range(1, 8))
    rows = [rows for _tables, rows in seen]
    assert rows == sorted(rows) and rows[0] == 2  # two assessments first
    with reading(sessions) as session:
        job = session.get_one(ExportJob, job_id)
    assert (job.status, job.done_count, job.rows_done) == ("done", 7, rows[-1])
    stored = export_jobs.job_file(services, owner, "nord", job_id)[0]
    members = zip_members(stored.read_bytes() if isinstance(stored, Path) else stored.read())
    assert members["answers.csv"].count(b"\r\n") == rows[2] - rows[1] + 1  # rows + header


def test_purging_a_client_removes_the_workspaces_export_files_from_redis(
    app, sessions, world, redis
):
    services = services_of(app)
    owner = load_actor(sessions, world.owner_id)
    job_id = export_jobs.start_job(services, owner, "nord", "xlsx")
    run_worker_here(app)
    assert redis.exists(f"cxm:export:{job_id}")

    assert export_job_runs.remove_files_of_workspace(services, world.workspace_id) == 1

    assert not redis.exists(f"cxm:export:{job_id}")
    assert not any(services.export_jobs.directory.iterdir())
    with pytest.raises(export_jobs.ExportRemoved):
        export_jobs.job_file(services, owner, "nord", job_id)


def test_a_purge_while_the_export_runs_drops_its_file(app, sessions, world, redis, monkeypatch):
    services = services_of(app)
    owner = load_actor(sessions, world.owner_id)
    job_id = export_jobs.start_job(services, owner, "nord", "xlsx")
    write = exports.write_workspace_xlsx

    def purged_meanwhile(*args, **kwargs):
        write(*args, **kwargs)  # the file holds every client: then one is purged
        export_job_runs.remove_files_of_workspace(services, world.workspace_id)

    monkeypatch.setattr(exports, "write_workspace_xlsx", purged_meanwhile)

    run_worker_here(app)

    with reading(sessions) as session:
        job = session.get_one(ExportJob, job_id)
    assert (job.status, job.error, job.file_name) == ("failed", "client_purged", None)
    assert not redis.exists(f"cxm:export:{job_id}")
    assert not any(services.export_jobs.directory.iterdir())


def test_an_export_the_database_refused_every_try_is_listed_and_retried(
    app, sessions, world, redis_url
):
    services = services_of(app)
    owner = load_actor(sessions, world.owner_id)
    job_id = export_jobs.start_job(services, owner, "nord", "csv", "kpis")
    with storage_faults.read_only_while(services.engine):  # not even taken: every try fails
        run_worker_here(app)

    def jobs_command(*arguments: str):
        environment = {
            "CXM_REDIS_URL": redis_url,
            "CXM_DATABASE_URL": app.config["DATABASE_URL"],
            "CXM_INSTANCE_PATH": app.instance_path,
        }
        result = CliRunner().invoke(cli, ["jobs", *arguments], env=environment)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    [failed] = jobs_command("failed")["failed"]
    assert failed["job"] == "workspace_export" and failed["arguments"] == [job_id]
    assert "StorageUnavailable" in failed["error"]
    assert export_jobs.job_page(services, owner, "nord", job_id).job.status == "queued"

    assert jobs_command("retry", failed["id"]) == {"retried": failed["id"]}
    run_worker_here(app)

    assert jobs_command("failed") == {"failed": []}
    job = export_jobs.job_page(services, owner, "nord", job_id).job
    assert job.status == "done" and job.has_file
