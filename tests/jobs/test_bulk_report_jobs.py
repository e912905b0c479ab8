"""With Redis, a bulk-report job runs on the worker; its row shows the progress on every
host, and its ZIP is served by a host that did not render it."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from bulk_fixtures import PERIOD, build_bulk_world
from factories import PASSWORD
from job_helpers import run_worker_here
from web_helpers import csrf_token

from cxmaturity import create_app
from cxmaturity.services import bulk_reports
from cxmaturity.services.access import load_actor
from cxmaturity.services.bulk_jobs import remove_zips_with_client
from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")
REFRESH = '<meta http-equiv="refresh"'


def logged_in(app, email: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login", data={"csrf_token": csrf_token(page), "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


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


def test_the_worker_makes_the_zip_and_another_host_shows_the_progress_and_serves_it(
    app, sessions, second_host
):
    world = build_bulk_world(sessions)
    client = logged_in(app, world.owner_email)
    page = client.get(f"/w/{world.slug}/reports/bulk/").get_data(as_text=True)
    response = client.post(
        f"/w/{world.slug}/reports/bulk/start",
        data={
            "csrf_token": csrf_token(page),
            "client": [str(world.client_ids[0]), str(world.client_ids[1])],
            "period": PERIOD,
            "language": "en",
        },
    )
    assert response.status_code == 303
    progress_url = response.headers["Location"]
    elsewhere = logged_in(second_host, world.owner_email)

    waiting = elsewhere.get(progress_url).get_data(as_text=True)
    assert REFRESH in waiting and "Download the ZIP" not in waiting  # queued, not lost

    run_worker_here(app)

    done = elsewhere.get(progress_url).get_data(as_text=True)
    assert "Download the ZIP" in done and REFRESH not in done
    assert not any(services_of(second_host).bulk_jobs.directory.iterdir())  # not made here
    link = re.search(r'href="([^"]+reports\.zip)"', done).group(1)
    with elsewhere.get(link) as download:
        assert download.status_code == 200 and download.mimetype == "application/zip"
        data = download.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
    assert names == [
        "Report_HYPERLINK-http-x-A1_2026-Q3_en.pdf",
        "Report_Mueller-Soehne-GmbH_2026-Q3_en.pdf",
        "manifest.csv",
    ]
    assert not any(services_of(second_host).bulk_jobs.directory.iterdir())  # no copy left


def test_purging_a_client_removes_the_zips_with_its_report_from_redis(app, sessions, redis):
    world = build_bulk_world(sessions)
    services = services_of(app)
    owner = load_actor(sessions, world.owner_id)
    job_id = bulk_reports.start_job(
        services, owner, world.slug, [str(world.client_ids[0])], PERIOD, "de"
    )
    run_worker_here(app)
    assert redis.exists(f"cxm:bulk-zip:{job_id}")

    assert remove_zips_with_client(services, None, world.client_ids[0]) == 1

    assert not redis.exists(f"cxm:bulk-zip:{job_id}")
    assert not any(services.bulk_jobs.directory.glob("*.zip"))
