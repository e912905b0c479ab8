"""`cxmaturity reminders send [--dry-run]`: safe to run from cron every hour."""

from __future__ import annotations

import datetime
import json

import pytest
from click.testing import CliRunner
from factories import make_assessment, make_member, make_organization, make_workspace
from sqlalchemy import update

from cxmaturity.cli import cli
from cxmaturity.services import invitations
from cxmaturity.services.access import load_actor
from cxmaturity.services.emails import Postage
from cxmaturity.services.mailer import Mailer
from cxmaturity.store.database import make_engine, session_factory, transaction
from cxmaturity.store.models import Respondent, utc_now

SECRET = "cron-secret"


@pytest.fixture
def sessions(migrated_database_url):
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def environment(monkeypatch, migrated_database_url, smtp_server, tmp_path):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("CXM_SECRET_KEY", SECRET)
    monkeypatch.setenv("CXM_SMTP_URL", smtp_server.url)
    monkeypatch.setenv("CXM_BASE_URL", "https://cx.example.org")
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))


def invited_three_days_ago(sessions, smtp_server) -> None:
    with transaction(sessions) as session:
        workspace = make_workspace(session, name="Beratung Nord")
        organization = make_organization(session, workspace=workspace)
        assessment = make_assessment(session, organization=organization)
        user = make_member(session, workspace)
        slug, assessment_id, user_id = workspace.slug, assessment.id, user.id
    postage = Postage(
        sessions, Mailer(smtp_server.url, None), "https://cx.example.org", SECRET, utc_now
    )
    text = "Eva, eva@example.com, manager, de\nJan, jan@example.com, other, en"
    invitations.add_list(postage, load_actor(sessions, user_id), slug, assessment_id, text, "de")
    with transaction(sessions) as session:
        session.execute(
            update(Respondent).values(invited_at=utc_now() - datetime.timedelta(days=3, hours=1))
        )


def send(*options: str):
    result = CliRunner().invoke(cli, ["reminders", "send", *options])
    return result.exit_code, result.output, result.stderr


def test_a_run_sends_the_due_reminders_and_the_next_run_sends_none(
    environment, sessions, smtp_server
):
    invited_three_days_ago(sessions, smtp_server)
    assert len(smtp_server.received) == 2  # the invitations
    code, output, _ = send("--dry-run")
    assert code == 0 and json.loads(output)["reminders"]["due"] == 2
    assert len(smtp_server.received) == 2
    code, output, _ = send()
    assert code == 0
    summary = json.loads(output)
    assert summary["reminders"]["sent"] == 2 and summary["dry_run"] is False
    reminders = smtp_server.received[2:]
    assert sorted(mail.message["Subject"].split(":")[0] for mail in reminders) == [
        "Erinnerung",
        "Reminder",
    ]
    assert all("https://cx.example.org/r/" in mail.text for mail in reminders)
    code, output, _ = send()
    assert json.loads(output)["reminders"]["sent"] == 0
    assert json.loads(output)["skipped"] == {"too_early": 2}
    assert len(smtp_server.received) == 4


def test_without_a_mail_server_the_run_ends_with_one_line(environment, monkeypatch):
    monkeypatch.delenv("CXM_SMTP_URL")
    code, _output, stderr = send()
    assert code == 2 and stderr.startswith("error: no mail server")


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_on_postgresql_without_a_secret_key_nothing_is_sent_and_the_command_says_why(
    environment, monkeypatch, sessions, smtp_server
):
    # A key of its own would derive other links than the web app sent (docs/invitations.md).
    invited_three_days_ago(sessions, smtp_server)
    monkeypatch.delenv("CXM_SECRET_KEY")
    sent_before = len(smtp_server.received)

    code, _output, errors = send()

    assert code == 2
    assert errors.startswith("error: CXM_SECRET_KEY is not set")
    assert len(smtp_server.received) == sent_before
