"""Bulk PDFs as a ZIP (issue 11, item 4): the ZIP's reports and manifest, the job's life."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
import sys
import time
import zipfile

import pytest
from bulk_fixtures import NAMES, PERIOD, build_bulk_world
from factories import PROJECT_ROOT
from pypdf import PdfReader

from cxmaturity.domain.statuses import BulkJobError, BulkJobStatus
from cxmaturity.services import bulk_reports
from cxmaturity.services.access import load_actor
from cxmaturity.services.bulk_jobs import (
    KEEP_ZIPS,
    remove_old_zips,
    remove_zips_with_client,
    this_runner,
)
from cxmaturity.services.bulk_render import render_zip
from cxmaturity.services.container import Services
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import BulkReportJob, utc_now
from cxmaturity.store.queries.accounts import workspace_by_slug

DAY = datetime.date(2026, 10, 5)
WAIT_SECONDS = 120


@pytest.fixture
def services(migrated_database_url, tmp_path):
    services = Services.build(
        database_url=migrated_database_url,
        questionnaires_dir=PROJECT_ROOT / "questionnaires",
        report_cache_dir=tmp_path / "report-cache",
        today=lambda: DAY,
    )
    yield services
    services.close()


@pytest.fixture
def world(services):
    return build_bulk_world(services.sessions)


def first_page(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def manifest_rows(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    text = archive.read("manifest.csv").decode("utf-8")
    assert text.startswith("\ufeff")  # UTF-8 with BOM, so that spreadsheets read umlauts
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_zip_holds_each_assessed_clients_report_and_a_manifest_of_all(services, world):
    path, seconds = render_zip(services, world.slug, world.client_ids, PERIOD, "de")

    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "Report_HYPERLINK-http-x-A1_2026-Q3_de.pdf",
            "Report_Mueller-Soehne-GmbH_2026-Q3_de.pdf",
            "manifest.csv",
        ]
        # Every PDF names its own client on the title page.
        assert NAMES[0] in first_page(archive.read(names[1]))
        assert "HYPERLINK" in first_page(archive.read(names[0]))
        assert NAMES[0] not in first_page(archive.read(names[0]))
        rows = manifest_rows(archive)
    assert [row["client_id"] for row in rows] == [str(i) for i in world.client_ids]
    assert rows[0] == {
        "client_id": str(world.client_ids[0]),
        "client": NAMES[0],
        "period": PERIOD,
        "file": "Report_Mueller-Soehne-GmbH_2026-Q3_de.pdf",
        "status": "Bericht enthalten",
    }
    # A name that starts like a formula is kept as text.
    assert rows[1]["client"] == "'" + NAMES[1]
    # The client without a closed assessment of the period is listed, not an error.
    assert rows[2]["file"] == "" and rows[2]["status"] == "in 2026-Q3 nicht erhoben"
    assert seconds > 0


def test_a_report_in_the_cache_is_not_rendered_again(services, world):
    render_zip(services, world.slug, world.client_ids[:1], PERIOD, "en")
    assert services.report_cache.renders == 1

    path, _seconds = render_zip(services, world.slug, world.client_ids, PERIOD, "en")

    assert services.report_cache.renders == 2  # only client 2's was new
    with zipfile.ZipFile(path) as archive:
        rows = manifest_rows(archive)
    assert rows[2]["status"] == "not assessed in 2026-Q3"
    assert rows[0]["status"] == "report included"


def actor(services, user_id):
    return load_actor(services.sessions, user_id)


def wait_until_finished(services, owner, slug, job_id):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        page = bulk_reports.job_page(services, owner, slug, job_id)
        if page.job.finished:
            return page.job
        time.sleep(0.2)
    raise AssertionError("the job did not finish")


def test_a_job_runs_in_the_background_and_its_zip_is_downloaded(services, world):
    owner = actor(services, world.owner_id)
    ids = [str(i) for i in world.client_ids]

    job_id = bulk_reports.start_job(services, owner, world.slug, ids, PERIOD, "en")

    job = wait_until_finished(services, owner, world.slug, job_id)
    assert job.status is BulkJobStatus.DONE and job.done_count == job.total == 3
    path, name = bulk_reports.job_zip(services, owner, world.slug, job_id)
    assert name == "Reports_2026-Q3_en.zip"
    with zipfile.ZipFile(path) as archive:
        assert len(manifest_rows(archive)) == 3
    # Nobody but its creator sees the job, not even another member of the workspace.
    with pytest.raises(NotVisible):
        bulk_reports.job_page(services, actor(services, world.viewer_id), world.slug, job_id)


def job_count(services) -> int:
    with reading(services.sessions) as session:
        return session.query(BulkReportJob).count()


@pytest.mark.parametrize(
    ("clients", "period", "language", "field"),
    [
        ([], PERIOD, "de", "clients"),
        (["x"], PERIOD, "de", "clients"),
        (None, "2026-Q5", "de", "period"),
        (None, PERIOD, "fr", "language"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    services, world, clients, period, language, field
):
    owner = actor(services, world.owner_id)
    chosen = clients if clients is not None else [str(world.client_ids[0])]
    with pytest.raises(InvalidInput) as refused:
        bulk_reports.start_job(services, owner, world.slug, chosen, period, language)
    assert refused.value.field == field
    assert job_count(services) == 0


def test_a_client_of_another_workspace_is_not_visible_and_a_viewer_may_not_start(services, world):
    owner = actor(services, world.owner_id)
    with pytest.raises(NotVisible):
        bulk_reports.start_job(
            services, owner, world.slug, [str(world.other_client_id)], PERIOD, "de"
        )
    with pytest.raises(Forbidden):
        bulk_reports.start_job(
            services,
            actor(services, world.viewer_id),
            world.slug,
            [str(world.client_ids[0])],
            PERIOD,
            "de",
        )
    assert job_count(services) == 0


def stored_job(services, world, runner: str, status=BulkJobStatus.RUNNING) -> int:
    with transaction(services.sessions) as session:
        job = BulkReportJob(
            workspace_id=workspace_by_slug(session, world.slug).id,
            creator_user_id=world.owner_id,
            period=PERIOD,
            language="de",
            client_ids=json.dumps(list(world.client_ids)),
            status=status.value,
            total=3,
            done_count=1,
            runner=runner,
            heartbeat_at=utc_now(),
        )
        session.add(job)
        session.flush()
        return job.id


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.parametrize("runner", ["this process, restarted", "a process that ended"])
def test_a_job_whose_process_is_gone_is_shown_and_stored_as_interrupted(services, world, runner):
    # This process never got the job (as after a restart), or its process has ended.
    name = (
        this_runner()
        if runner.startswith("this")
        else f"{this_runner().rpartition(':')[0]}:{dead_pid()}"
    )
    job_id = stored_job(services, world, name)
    owner = actor(services, world.owner_id)

    job = bulk_reports.job_page(services, owner, world.slug, job_id).job

    assert job.status is BulkJobStatus.FAILED and job.error is BulkJobError.INTERRUPTED
    with reading(services.sessions) as session:
        stored = session.get_one(BulkReportJob, job_id)
        assert (stored.status, stored.error) == ("failed", "interrupted")
    with pytest.raises(bulk_reports.JobFailed):
        bulk_reports.job_zip(services, owner, world.slug, job_id)


def test_zips_older_than_a_day_are_removed_when_the_next_job_starts(services, world):
    job_id = stored_job(services, world, this_runner(), status=BulkJobStatus.DONE)
    old = services.bulk_jobs.directory / f"job-{job_id}.zip"
    old.write_bytes(b"PK")
    with transaction(services.sessions) as session:
        job = session.get_one(BulkReportJob, job_id)
        job.file_name, job.finished_at = old.name, utc_now() - KEEP_ZIPS / 2

    remove_old_zips(services, utc_now())
    assert old.exists()  # half a day old: kept

    remove_old_zips(services, utc_now() + KEEP_ZIPS)
    assert not old.exists()
    owner = actor(services, world.owner_id)
    with pytest.raises(bulk_reports.ZipRemoved):
        bulk_reports.job_zip(services, owner, world.slug, job_id)


def test_purging_a_client_removes_every_kept_zip_with_its_report(services, world):
    owner = actor(services, world.owner_id)
    with_client = bulk_reports.start_job(
        services, owner, world.slug, [str(world.client_ids[2])], PERIOD, "de"
    )
    wait_until_finished(services, owner, world.slug, with_client)
    path, _name = bulk_reports.job_zip(services, owner, world.slug, with_client)
    with reading(services.sessions) as session:
        workspace_id = workspace_by_slug(session, world.slug).id

    assert remove_zips_with_client(services, workspace_id, world.client_ids[1]) == 0
    assert remove_zips_with_client(services, workspace_id, world.client_ids[2]) == 1

    assert not path.exists()
    with pytest.raises(bulk_reports.ZipRemoved):
        bulk_reports.job_zip(services, owner, world.slug, with_client)
