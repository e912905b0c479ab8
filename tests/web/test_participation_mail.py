"""Invitations and reminders through a real local SMTP server (tests/smtp_server.py)."""

from __future__ import annotations

import datetime

import pytest
from participation_helpers import (
    invite,
    links_of,
    logged_in,
    move_clock,
    open_assessment,
    participation_page,
    paste,
    post_action,
)
from sqlalchemy import select
from web_helpers import csrf_token

from cxmaturity.services import reminders
from cxmaturity.store.database import transaction
from cxmaturity.store.models import EmailLogEntry, Respondent

IMPRINT = "https://beratung-nord.example/impressum"
PRIVACY = "https://beratung-nord.example/datenschutz"


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_URL": smtp_server.url, "IMPRINT_URL": IMPRINT, "PRIVACY_URL": PRIVACY}


@pytest.fixture
def setting(sessions, client):
    setting = open_assessment(sessions, name="Beratung Nord")
    logged_in(client, setting)
    return setting


def respondent_rows(sessions) -> list[Respondent]:
    with transaction(sessions) as session:
        return list(session.scalars(select(Respondent).order_by(Respondent.id)))


def log(sessions) -> list[EmailLogEntry]:
    with transaction(sessions) as session:
        return list(session.scalars(select(EmailLogEntry).order_by(EmailLogEntry.id)))


def test_the_invitation_goes_out_in_the_respondents_language_from_the_workspace(
    client, setting, sessions, smtp_server
):
    page = invite(client, setting, email="eva@example.com", language="de").get_data(as_text=True)
    [(url, token)] = links_of(page)
    assert "1 invitation was sent by e-mail." in page
    [mail] = smtp_server.received
    message = mail.message
    assert mail.recipients == ["eva@example.com"]
    assert message["From"].addresses[0].display_name == "Beratung Nord"
    assert message["Subject"].startswith("Einladung: CX-Reifegradanalyse")
    assert message["List-Unsubscribe"] == f"<https://cx.example.org/r/{token}/opt-out>"
    assert url in mail.text and "Ihr persönlicher Link" in mail.text
    assert f"Impressum: {IMPRINT}" in mail.text and f"Datenschutzhinweise: {PRIVACY}" in mail.text
    [respondent] = respondent_rows(sessions)
    assert respondent.delivery == "sent"
    [entry] = log(sessions)
    assert (entry.kind, entry.language, entry.error) == ("invitation", "de", None)
    assert entry.respondent_id == respondent.id


def test_an_english_respondent_gets_an_english_mail(client, setting, smtp_server):
    invite(client, setting, email="jo@example.com", language="en")
    [mail] = smtp_server.received
    assert mail.message["Subject"].startswith("Invitation: the CX maturity assessment")
    assert "Your private link" in mail.text


def test_a_refused_address_is_marked_bounced_and_logged(client, setting, sessions, smtp_server):
    smtp_server.refuse("gone@example.com")
    page = invite(client, setting, email="gone@example.com").get_data(as_text=True)
    assert "The mail server refused 1 address." in page
    assert links_of(page)  # the link is still shown: it can be handed over by hand
    [respondent] = respondent_rows(sessions)
    assert respondent.delivery == "bounced"
    [entry] = log(sessions)
    assert entry.error.startswith("550")
    listing = participation_page(client, setting).get_data(as_text=True)
    assert "e-mail refused (bounced)" in listing and 'data-count="bounced">1<' in listing


def test_a_failing_server_keeps_the_invitation_and_the_reminder_run_sends_it_later(
    app, client, setting, sessions, smtp_server
):
    smtp_server.fail_everything()
    page = invite(client, setting, email="eva@example.com").get_data(as_text=True)
    assert "could not be sent now; it is tried again later" in page
    [respondent] = respondent_rows(sessions)
    assert respondent.delivery == "failed"
    smtp_server.fail_everything(False)
    later = respondent.invited_at + datetime.timedelta(hours=1)
    move_clock(app, later)
    from cxmaturity.web.participation import postage

    with app.test_request_context():
        first = reminders.send_due(postage())
        second = reminders.send_due(postage())
    assert first.invitations.sent == 1 and second.invitations.sent == 0
    assert [row.delivery for row in respondent_rows(sessions)] == ["sent"]
    [mail] = smtp_server.received
    assert links_of(page)[0][0] in mail.text  # the same link as shown at creation
    assert [entry.error is None for entry in log(sessions)] == [False, True]


def test_resend_sends_the_same_link_again(client, setting, sessions, smtp_server):
    invite(client, setting, email="eva@example.com")
    [respondent] = respondent_rows(sessions)
    response = post_action(client, setting, f"invitations/{respondent.id}/resend")
    assert "sent again, with the same link" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    first, second = smtp_server.received
    link = next(line for line in first.text.splitlines() if "/r/" in line)
    assert link in second.text


def test_the_opt_out_link_asks_first_and_then_stops_the_reminders(
    app, client, setting, sessions, smtp_server
):
    [(_url, token)] = links_of(invite(client, setting).get_data(as_text=True))
    visitor = app.test_client()
    question = visitor.get(f"/r/{token}/opt-out")
    assert question.status_code == 200 and "Keine E-Mails mehr" in question.get_data(as_text=True)
    assert respondent_rows(sessions)[0].opted_out_at is None  # a link scanner changes nothing
    done = visitor.post(
        f"/r/{token}/opt-out", data={"csrf_token": csrf_token(question.get_data(as_text=True))}
    )
    assert done.status_code == 200
    assert respondent_rows(sessions)[0].opted_out_at is not None
    assert visitor.get("/r/unknown-token/opt-out").status_code == 404
    move_clock(app, respondent_rows(sessions)[0].invited_at + datetime.timedelta(days=4))
    response = post_action(client, setting, "invitations/remind")
    message = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 reminders sent." in message and "opted out of e-mails: 1" in message
    assert len(smtp_server.received) == 1


def test_remind_pending_now_follows_the_rules_and_says_why_others_were_skipped(
    app, client, setting, sessions, smtp_server
):
    paste(client, setting, "Eva, eva@example.com\nJan, jan@example.com\nOla")
    eva, jan, _ola = respondent_rows(sessions)
    with transaction(sessions) as session:
        session.get(Respondent, jan.id).status = "submitted"
        session.get(Respondent, jan.id).submitted_at = jan.invited_at
    too_early = post_action(client, setting, "invitations/remind")
    message = client.get(too_early.headers["Location"]).get_data(as_text=True)
    assert "0 reminders sent." in message and "too early" in message
    move_clock(app, eva.invited_at + datetime.timedelta(days=3))
    response = post_action(client, setting, "invitations/remind")
    message = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 reminder sent." in message
    assert "submitted already: 1" in message and "no e-mail address: 1" in message
    reminder = smtp_server.received[-1]
    assert reminder.recipients == ["eva@example.com"]
    assert reminder.message["Subject"].startswith("Reminder:")  # the list gave no language
    # Pressed again at once: nothing is sent twice.
    again = post_action(client, setting, "invitations/remind")
    assert "0 reminders sent." in client.get(again.headers["Location"]).get_data(as_text=True)
    assert [row.reminder_count for row in respondent_rows(sessions)] == [1, 0, 0]
    kinds = [(entry.kind, entry.respondent_id) for entry in log(sessions)]
    assert kinds[-1] == ("reminder", eva.id)
