"""Helpers of the job tests (tests/jobs): run a worker, here or as `cxmaturity worker`."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from rq import SimpleWorker

from cxmaturity.jobs.queue import QUEUES
from cxmaturity.services.background import start_worker
from cxmaturity.web.context import services_of

WORKTREE = Path(__file__).resolve().parents[1]


def run_worker_here(app) -> None:
    """Run every queued job in this process, as `cxmaturity worker --burst` would, with
    the app's own Services (its database, cache and mailer)."""
    services = services_of(app)
    start_worker(services.job_context)
    queues = [services.jobs.rq_queue(name) for name in QUEUES]
    SimpleWorker(queues, connection=services.jobs.redis).work(burst=True)


def worker_environment(app, redis_url: str, **more: str) -> dict[str, str]:
    """The environment of a `cxmaturity worker` process on the app's database and Redis."""
    return {
        **os.environ,
        "PYTHONPATH": str(WORKTREE),
        "CXM_DATABASE_URL": app.config["DATABASE_URL"],
        "CXM_REDIS_URL": redis_url,
        "CXM_SECRET_KEY": app.config["SECRET_KEY"],
        "CXM_INSTANCE_PATH": app.instance_path,
        "CXM_BASE_URL": app.config["BASE_URL"],
        **more,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answer_everything(client, token, questionnaire, level):
    for number, dimension in enumerate(questionnaire.dimensions, start=1):
        form = {f"answer-{question.id}": str(level) for question in dimension.questions}
        response = client.post(f"/r/{token}/d/{number}", data={**form, "action": "next"})
        assert response.status_code == 302


def submitted_self_assessment(app, organization: str) -> str:
    client = app.test_client()
    response = client.post(
        "/start",
        data={
            "organization": organization,
            "period": "2026-Q4",
            "language": "en",
            "respondent": "Anna",
            "industry": "retail",
            "size": "50-249",
        },
    )
    token = response.headers["Location"].split("/r/")[1].split("/")[0]
    answer_everything(client, token, services_of(app).catalogue.get("cx-maturity"), 3)
    assert client.post(f"/r/{token}/submit").status_code == 302
    return token
