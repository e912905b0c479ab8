"""`cxmaturity reminders send` with Redis: each due reminder becomes a mail job, which the
worker sends and logs once."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from factories import make_assessment, make_member, make_organization, make_workspace
from job_helpers import WORKTREE
from sqlalchemy import select, update

from cxmaturity.cli import cli
from cxmaturity.services import invitations
from cxmaturity.services.access import load_actor
from cxmaturity.services.emails import Postage
from cxmaturity.services.mailer import Mailer
from cxmaturity.store.database import make_engine, reading, session_factory, transaction
from cxmaturity.store.models import EmailLogEntry, Respondent, utc_now

pytestmark = pytest.mark.requires("redis")
SECRET = "cron-secret"


@pytest.fixture
def sessions(migrated_database_url):
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def environment(monkeypatch, migrated_database_url, smtp_server, tmp_path, redis_url):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("CXM_SECRET_KEY", SECRET)
    monkeypatch.setenv("CXM_SMTP_URL", smtp_server.url)
    monkeypatch.setenv("CXM_BASE_URL", "https://cx.example.org")
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("CXM_REDIS_URL", redis_url)


def invited_three_days_ago(sessions, smtp_server) -> None:
    with transaction(sessions) as session:
        workspace = make_workspace(session, name="Beratung Nord")
        organization = make_organization(session, workspace=workspace)
        assessment = make_assessment(session, organization=organization)
        user = make_member(session, workspace)
        slug, assessment_id, user_id = workspace.slug, assessment.id, user.id
    postage = Postage(
        sessions, Mailer(smtp_server.url, None), "https://cx.example.org", SECRET, utc_now
    )  # no job queue: the invitations go out at once
    text = "Eva, eva@example.com, manager, de\nJan, jan@example.com, other, en"
    invitations.add_list(postage, load_actor(sessions, user_id), slug, assessment_id, text, "de")
    with transaction(sessions) as session:
        session.execute(
            update(Respondent).values(invited_at=utc_now() - datetime.timedelta(days=3, hours=1))
        )


def reminder_log(sessions) -> list[EmailLogEntry]:
    with reading(sessions) as session:
        return list(session.scalars(select(EmailLogEntry).where(EmailLogEntry.kind == "reminder")))


def test_the_reminder_run_queues_each_reminder_and_the_worker_sends_it_once(
    environment, sessions, smtp_server
):
    invited_three_days_ago(sessions, smtp_server)
    assert len(smtp_server.received) == 2  # the invitations

    result = CliRunner().invoke(cli, ["reminders", "send"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["reminders"]
    assert summary["queued"] == 2 and summary["sent"] == 0
    assert len(smtp_server.received) == 2 and reminder_log(sessions) == []

    worker = subprocess.run(
        [sys.executable, "-m", "cxmaturity.cli", "worker", "--burst"],
        env={**os.environ, "PYTHONPATH": str(WORKTREE)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr

    reminders = smtp_server.received[2:]
    assert sorted(mail.message["Subject"].split(":")[0] for mail in reminders) == [
        "Erinnerung",
        "Reminder",
    ]
    assert all("https://cx.example.org/r/" in mail.text for mail in reminders)
    assert len(reminder_log(sessions)) == 2
    with reading(sessions) as session:
        assert set(session.scalars(select(Respondent.reminder_count))) == {1}

    again = json.loads(CliRunner().invoke(cli, ["reminders", "send"]).output)
    assert again["reminders"]["queued"] == 0 and again["skipped"] == {"too_early": 2}
