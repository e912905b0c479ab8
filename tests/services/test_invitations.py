"""The invitation services on SQLite and PostgreSQL: concurrency, reminder runs, query counts."""

from __future__ import annotations

import datetime
import socket
import threading

import pytest
from concurrency import run_together
from factories import make_assessment, make_member, make_organization, make_workspace
from smtp_server import LocalSmtpServer
from sqlalchemy import event, func, select

from cxmaturity.domain.invitations import Skip
from cxmaturity.services import invitations, participation, reminders
from cxmaturity.services.access import load_actor
from cxmaturity.services.emails import Postage
from cxmaturity.services.mailer import Mailer
from cxmaturity.store.database import transaction
from cxmaturity.store.models import EmailLogEntry, Respondent

START = datetime.datetime(2026, 10, 5, 8, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime.datetime:
        return self.now

    def move(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def smtp():
    server = LocalSmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session)
        organization = make_organization(session, workspace=workspace)
        assessment = make_assessment(session, organization=organization)
        user = make_member(session, workspace)
        return workspace.slug, assessment.id, user.id


def postage_for(sessions, clock, smtp=None) -> Postage:
    mailer = Mailer(smtp.url if smtp else None, "cx@example.org")
    return Postage(sessions, mailer, "https://cx.example.org", "secret", clock)


def rows(sessions) -> list[Respondent]:
    with transaction(sessions) as session:
        return list(session.scalars(select(Respondent).order_by(Respondent.id)))


def test_two_consultants_inviting_one_address_at_once_make_one_invitation(sessions, world, clock):
    slug, assessment_id, user_id = world
    actor = load_actor(sessions, user_id)
    postage = postage_for(sessions, clock)
    outcomes: list[str] = []
    lock = threading.Lock()

    def invite(name: str):
        def action():
            try:
                invitations.add_respondent(
                    postage, actor, slug, assessment_id, (name, "Eva@Example.com", "other", "de")
                )
                result = "added"
            except invitations.InvitationRefused as refused:
                result = str(refused.reason)
            with lock:
                outcomes.append(result)

        return action

    run_together(invite("Eva"), invite("Eva Roth"))
    assert sorted(outcomes) == ["added", "already_invited"]
    assert len(rows(sessions)) == 1


def test_the_reminder_run_sends_nothing_twice_and_a_dry_run_nothing_at_all(
    sessions, world, clock, smtp
):
    slug, assessment_id, user_id = world
    actor = load_actor(sessions, user_id)
    postage = postage_for(sessions, clock, smtp)
    text = "Eva, eva@example.com\nJan, jan@example.com\nOla"
    invitations.add_list(postage, actor, slug, assessment_id, text, "de")
    assert len(smtp.received) == 2
    clock.move(days=3)
    dry = reminders.send_due(postage, dry_run=True)
    assert dry.due_reminders == 2 and len(smtp.received) == 2
    first = reminders.send_due(postage)
    second = reminders.send_due(postage)
    assert (first.reminded.sent, second.reminded.sent) == (2, 0)
    assert second.skipped[Skip.TOO_EARLY] == 2
    assert len(smtp.received) == 4
    # Two days later the second reminder, then the third, then no more.
    for _ in range(4):
        clock.move(days=2)
        reminders.send_due(postage)
    assert [row.reminder_count for row in rows(sessions)] == [3, 3, 0]
    assert len(smtp.received) == 2 + 6


def test_a_reminder_the_server_did_not_take_is_given_back_and_tried_again(
    sessions, world, clock, smtp
):
    slug, assessment_id, user_id = world
    postage = postage_for(sessions, clock, smtp)
    actor = load_actor(sessions, user_id)
    invitations.add_respondent(
        postage, actor, slug, assessment_id, ("Eva", "e@x.org", "other", "en")
    )
    clock.move(days=3)
    smtp.fail_everything()
    failed = reminders.send_due(postage)
    assert failed.reminded.failed == 1
    [respondent] = rows(sessions)
    assert (respondent.reminder_count, respondent.last_reminded_at) == (0, None)
    smtp.fail_everything(False)
    clock.move(hours=1)
    assert reminders.send_due(postage).reminded.sent == 1
    with transaction(sessions) as session:
        errors = session.scalars(
            select(EmailLogEntry.error).where(EmailLogEntry.kind == "reminder")
        ).all()
    assert [error is None for error in errors] == [False, True]


def test_the_participation_page_reads_with_the_same_queries_for_20_and_200(
    sessions, world, clock, catalogue
):
    slug, assessment_id, user_id = world
    actor = load_actor(sessions, user_id)
    postage = postage_for(sessions, clock)
    engine = sessions.kw["bind"]
    counts = []
    for size in (20, 180):
        text = "\n".join(f"P{n}-{size}, p{n}-{size}@example.com" for n in range(size))
        invitations.add_list(postage, actor, slug, assessment_id, text, "de")
        statements: list[str] = []

        def listener(*args, seen=statements):
            seen.append(args[2])

        event.listen(engine, "before_cursor_execute", listener)
        try:
            view = participation.participation(
                sessions, catalogue, actor, slug, assessment_id, clock()
            )
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
        assert len(view.lines) == view.counts["all"]
    assert view.counts["all"] == 200
    assert counts[0] == counts[1] <= 4  # BEGIN, workspace, assessment, respondents


def test_an_actor_of_another_workspace_finds_no_assessment(sessions, world, clock, catalogue):
    slug, assessment_id, _user_id = world
    with transaction(sessions) as session:
        other = make_member(session, make_workspace(session))
    stranger = load_actor(sessions, other.id)
    with pytest.raises(invitations.NotVisible):
        participation.participation(sessions, catalogue, stranger, slug, assessment_id, clock())
    with transaction(sessions) as session:
        own = make_workspace(session)
        make_member(session, own, user=session.merge(other))
        own_slug = own.slug
    stranger = load_actor(sessions, other.id)
    with pytest.raises(invitations.NotVisible):  # their own slug, the other's assessment
        participation.participation(sessions, catalogue, stranger, own_slug, assessment_id, clock())
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Respondent)) == 0


def test_a_mail_server_that_cannot_be_reached_keeps_the_invitation_as_failed(
    sessions, world, clock
):
    slug, assessment_id, user_id = world
    with socket.socket() as probe:  # a free port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailer = Mailer(f"smtp://127.0.0.1:{port}", None)
    postage = Postage(sessions, mailer, "https://cx.example.org", "secret", clock)
    created = invitations.add_respondent(
        postage,
        load_actor(sessions, user_id),
        slug,
        assessment_id,
        ("Eva", "e@x.org", "other", "de"),
    )
    assert created.mailed.failed == 1 and len(created.links) == 1
    [respondent] = rows(sessions)
    assert (respondent.delivery, respondent.delivery_attempts) == ("failed", 1)
    with transaction(sessions) as session:
        [entry] = session.scalars(select(EmailLogEntry)).all()
    assert entry.kind == "invitation" and entry.error
