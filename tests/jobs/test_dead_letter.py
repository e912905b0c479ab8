"""A job that fails every try lands in the dead-letter list, where an operator sees,
retries or clears it (`cxmaturity jobs failed|retry|clear`)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from job_helpers import run_worker_here
from rq import Queue
from rq.job import Job

from cxmaturity.cli import cli
from cxmaturity.jobs.queue import enqueue
from cxmaturity.store.database import run_in_transaction
from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")
MISSING_ASSESSMENT = 987654


@pytest.fixture
def jobs_command(app, redis_url):
    """Runs `cxmaturity jobs …` on the app's database and Redis; its JSON output."""

    def run(*arguments: str, exit_code: int = 0):
        result = CliRunner().invoke(
            cli,
            ["jobs", *arguments],
            env={
                "CXM_REDIS_URL": redis_url,
                "CXM_DATABASE_URL": app.config["DATABASE_URL"],
                "CXM_INSTANCE_PATH": app.instance_path,
            },
        )
        assert result.exit_code == exit_code, result.output
        return json.loads(result.stdout) if exit_code == 0 else result.output

    return run


def test_a_failing_job_uses_its_retries_then_is_listed_retried_and_cleared(
    app, redis, jobs_command
):
    sessions = services_of(app).sessions
    run_in_transaction(
        sessions, lambda session: enqueue(session, "render_reports", MISSING_ASSESSMENT, ["en"])
    )

    run_worker_here(app)  # the first try and its three retries, all failing

    [failed] = jobs_command("failed")["failed"]
    assert failed["job"] == "render_reports"
    assert failed["arguments"] == [MISSING_ASSESSMENT, ["en"]]
    assert "NoResultFound" in failed["error"]
    assert failed["time"]
    assert Job.fetch(failed["id"], connection=redis).retries_left == 0  # every retry used
    assert Queue("reports", connection=redis).get_jobs() == []

    assert jobs_command("retry", failed["id"]) == {"retried": failed["id"]}
    assert jobs_command("failed") == {"failed": []}
    [again] = Queue("reports", connection=redis).get_jobs()
    assert again.id == failed["id"]

    run_worker_here(app)  # fails again (the assessment still does not exist)
    assert [job["id"] for job in jobs_command("failed")["failed"]] == [failed["id"]]
    assert jobs_command("clear") == {"cleared": 1}
    assert jobs_command("failed") == {"failed": []}


def test_retrying_an_unknown_job_says_so_and_exits_2(jobs_command):
    output = jobs_command("retry", "no-such-job", exit_code=2)
    assert "no failed job no-such-job" in output
