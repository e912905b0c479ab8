"""With Redis, each invitation is a job of its own: sent by the worker through a real SMTP
server (tests/smtp_server.py), retried while the server refuses for the moment, and logged
in the e-mail log once, however many tries it took."""

from __future__ import annotations

import pytest
from job_helpers import run_worker_here
from participation_helpers import invite, logged_in, open_assessment
from sqlalchemy import select

from cxmaturity.store.database import reading
from cxmaturity.store.models import EmailLogEntry, Respondent
from cxmaturity.web.context import services_of

pytestmark = pytest.mark.requires("redis")


@pytest.fixture
def app_config(redis_url, smtp_server):
    return {"REDIS_URL": redis_url, "SMTP_URL": smtp_server.url}


@pytest.fixture
def setting(sessions, client):
    setting = open_assessment(sessions, name="Beratung Nord")
    logged_in(client, setting)
    return setting


def email_log(sessions) -> list[EmailLogEntry]:
    with reading(sessions) as session:
        return list(session.scalars(select(EmailLogEntry).order_by(EmailLogEntry.id)))


def delivery_of(sessions, email: str) -> str | None:
    with reading(sessions) as session:
        return session.scalars(select(Respondent.delivery).where(Respondent.email == email)).one()


def test_the_worker_sends_the_invitation_with_its_link_and_logs_it_once(
    client, setting, sessions, smtp_server
):
    page = invite(client, setting, email="eva@example.com").get_data(as_text=True)
    assert "1 invitation is being sent by e-mail." in page
    assert smtp_server.received == [] and email_log(sessions) == []  # not in the request

    run_worker_here(client.application)

    [mail] = smtp_server.received
    assert mail.recipients == ["eva@example.com"]
    assert "https://cx.example.org/r/" in mail.text  # the link, made again by the worker
    [entry] = email_log(sessions)
    assert entry.kind == "invitation" and entry.error is None and entry.language == "de"
    assert delivery_of(sessions, "eva@example.com") == "sent"


def test_a_mail_the_server_keeps_refusing_is_logged_once_and_dead_lettered_then_retried(
    client, setting, sessions, smtp_server
):
    app = client.application
    smtp_server.fail_everything()  # 451 to every message
    invite(client, setting, email="jan@example.com")

    run_worker_here(app)  # the first try and three retries

    assert smtp_server.received == []
    [entry] = email_log(sessions)  # one line for four tries
    assert entry.error and "451" in entry.error
    assert delivery_of(sessions, "jan@example.com") == "failed"
    [failed] = services_of(app).jobs.failed()
    assert failed.job == "send_mail" and failed.arguments[:2] == ["invitation", entry.respondent_id]

    smtp_server.fail_everything(False)
    assert services_of(app).jobs.retry(failed.id)
    run_worker_here(app)

    [mail] = smtp_server.received
    assert mail.recipients == ["jan@example.com"]
    assert [line.error is None for line in email_log(sessions)] == [False, True]
    assert delivery_of(sessions, "jan@example.com") == "sent"
    assert services_of(app).jobs.failed() == []


def test_an_invitation_queued_twice_is_sent_and_logged_once(client, setting, sessions, smtp_server):
    app = client.application
    invite(client, setting, email="ida@example.com")
    [job] = services_of(app).jobs.rq_queue("mail").get_jobs()
    # As `reminders send` does for an invitation left pending while no worker ran.
    services_of(app).jobs.send("send_mail", tuple(job.args))

    run_worker_here(app)

    assert len(smtp_server.received) == 1
    assert len(email_log(sessions)) == 1
