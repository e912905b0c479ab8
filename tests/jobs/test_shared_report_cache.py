"""The report cache in Redis: what the worker rendered is there for every host, and a
purge of a client removes its PDFs from Redis too (DESIGN §9: "incl. cached PDFs")."""

from __future__ import annotations

import datetime

import pytest
from factories import cx_maturity, make_assessment, make_organization, make_respondent
from job_helpers import run_worker_here

from cxmaturity.jobs.queue import enqueue
from cxmaturity.services import client_deletion
from cxmaturity.store.database import run_in_transaction, transaction
from cxmaturity.store.models import utc_now
from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")


def closed_client(sessions, *, archived_days_ago: int | None) -> int:
    """A client with a closed assessment; its assessment's id."""
    answers = {question_id: 3 for question_id in cx_maturity().questions}
    with transaction(sessions) as session:
        client = make_organization(session)
        if archived_days_ago is not None:
            client.archived_at = utc_now() - datetime.timedelta(days=archived_days_ago)
        assessment = make_assessment(session, organization=client, status="closed")
        make_respondent(session, assessment, answers=answers, submitted=True)
        return assessment.id


def cached_reports(redis, assessment_id: int) -> list[bytes]:
    return list(redis.scan_iter(match=f"cxm:report:{assessment_id}:*"))


def test_purging_a_client_removes_its_reports_from_redis_and_leaves_the_others(app, redis):
    services = services_of(app)
    purged = closed_client(services.sessions, archived_days_ago=40)
    kept = closed_client(services.sessions, archived_days_ago=None)

    def ask(session):
        for assessment_id in (purged, kept):
            enqueue(session, "render_reports", assessment_id, ["de", "en"])

    run_in_transaction(services.sessions, ask)
    run_worker_here(app)
    assert len(cached_reports(redis, purged)) == 2 and len(cached_reports(redis, kept)) == 2
    for key in cached_reports(redis, kept):
        assert redis.ttl(key) > 0  # every PDF expires

    [result] = client_deletion.purge_expired(services.sessions, services.report_cache, utc_now())

    assert result.assessment_ids == (purged,) and result.reports_removed == 2
    assert cached_reports(redis, purged) == []
    assert len(cached_reports(redis, kept)) == 2
