"""A job leaves only once the transaction that asked for it has committed."""

from __future__ import annotations

import pytest
from factories import make_assessment, make_member, make_organization, make_workspace
from rq import Queue
from sqlalchemy import create_engine

from cxmaturity.jobs.queue import JobQueue, enqueue
from cxmaturity.services import workspace_assessments
from cxmaturity.services.access import load_actor
from cxmaturity.store.database import run_in_transaction, session_factory, transaction
from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")


class Refused(Exception):
    pass


def queued(redis, name: str = "reports") -> list:
    return Queue(name, connection=redis).get_jobs()


def test_a_committed_transaction_queues_its_job_and_a_rolled_back_one_nothing(app, redis):
    sessions = services_of(app).sessions

    def ask_then_fail(session):
        enqueue(session, "render_reports", 41, ["en"])
        raise Refused

    with pytest.raises(Refused):
        run_in_transaction(sessions, ask_then_fail)
    assert queued(redis) == []

    run_in_transaction(sessions, lambda session: enqueue(session, "render_reports", 42, ["de"]))
    [job] = queued(redis)
    assert job.func_name == "cxmaturity.jobs.tasks.render_reports"
    assert job.args == [42, ["de"]]
    assert job.retries_left == 3


def test_closing_an_assessment_queues_its_reports_in_both_languages(app, redis):
    services = services_of(app)
    with transaction(services.sessions) as session:
        workspace = make_workspace(session)
        owner = make_member(session, workspace, role="owner")
        client = make_organization(session, workspace=workspace)
        assessment = make_assessment(session, organization=client, status="open")
        ids = (workspace.slug, owner.id, assessment.id)
    slug, owner_id, assessment_id = ids
    actor = load_actor(services.sessions, owner_id)
    workspace_assessments.close_assessment(
        services.sessions, services.catalogue, actor, slug, assessment_id
    )
    [job] = queued(redis)
    assert job.args == [assessment_id, ["de", "en"]]


def test_without_redis_the_job_runs_in_this_process_only_after_the_commit(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    sessions = session_factory(engine)
    ran: list[tuple[str, tuple]] = []
    queue = JobQueue(None)
    queue.run_inline_with(lambda name, args: ran.append((name, args)))
    queue.watch(sessions)

    def ask(session):
        enqueue(session, "bulk_report", 7)
        assert ran == []  # not before the commit

    run_in_transaction(sessions, ask)
    assert ran == [("bulk_report", (7,))]

    with pytest.raises(Refused), transaction(sessions) as session:
        enqueue(session, "bulk_report", 8)
        raise Refused
    assert ran == [("bulk_report", (7,))]
