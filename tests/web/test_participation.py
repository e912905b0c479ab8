"""The participation page and the invitations, without a mail server: links handed over by hand."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from factories import cx_maturity, make_member, make_respondent, make_user, make_workspace
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
from sqlalchemy import func, select
from web_helpers import answer_page, csrf_token, log_in

from cxmaturity.store.database import transaction
from cxmaturity.store.models import Assessment, AuditEntry, Respondent


@pytest.fixture
def setting(sessions, client):
    setting = open_assessment(sessions)
    logged_in(client, setting)
    return setting


def respondents(sessions) -> list[Respondent]:
    with transaction(sessions) as session:
        return list(session.scalars(select(Respondent).order_by(Respondent.id)))


def test_an_invited_respondent_gets_a_link_shown_once_that_opens_the_assessment(
    client, setting, sessions
):
    created = invite(client, setting)
    assert created.status_code == 200
    page = created.get_data(as_text=True)
    [(url, token)] = links_of(page)
    assert url.startswith("https://cx.example.org/r/")  # CXM_BASE_URL, never the Host
    [respondent] = respondents(sessions)
    assert respondent.delivery is None  # no mail server: the consultant hands it over
    assert respondent.expires_at is not None and respondent.token_hash != token
    # Shown once: the participation page does not show the link again.
    listing = participation_page(client, setting).get_data(as_text=True)
    assert "Eva Roth" in listing and token not in listing and "not opened yet" in listing
    assert client.get(f"/r/{token}/").status_code == 302


def test_the_links_csv_is_the_one_download_of_the_step_that_made_them(client, setting):
    text = "=HYPERLINK(evil), one@example.com\nJan Berg, jan@example.com, executive, en"
    page = paste(client, setting, text).get_data(as_text=True)
    shown = [url for url, _token in links_of(page)]
    assert len(shown) == 2
    download = client.post(f"{setting.base}/links.csv", data={"csrf_token": csrf_token(page)})
    assert download.status_code == 200 and download.mimetype == "text/csv"
    body = download.get_data()
    assert body.startswith("\ufeff".encode()) and b"\r\n" in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert [row[2] for row in rows[1:]] == shown
    again = client.post(f"{setting.base}/links.csv", data={"csrf_token": csrf_token(page)})
    assert again.status_code == 404
    assert "rotate" in again.get_data(as_text=True)


def test_a_pasted_list_with_bad_lines_adds_nothing_and_names_each_line(client, setting, sessions):
    invite(client, setting, email="old@example.com")
    text = "Eva, eva@example.com\nEva again, EVA@example.com\nKim, kim@\nOld, OLD@example.com"
    response = paste(client, setting, text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Line 2" in page and "The same address as in line 1." in page
    assert "Line 3" in page and "This is not an e-mail address." in page
    assert "Line 4" in page and "already invited" in page
    assert "Kim, kim@" in page  # the text stays for correcting
    assert len(respondents(sessions)) == 1


def test_a_list_of_5001_lines_is_refused_with_a_message(client, setting, sessions):
    text = "\n".join(f"P{n}, p{n}@example.com" for n in range(5001))
    response = paste(client, setting, text)
    assert response.status_code == 400
    assert "at most 5,000" in response.get_data(as_text=True)
    assert respondents(sessions) == []


def test_the_same_address_twice_is_refused_with_a_message(client, setting, sessions):
    invite(client, setting, email="eva@example.com")
    again = invite(client, setting, name="Eva R.", email="EVA@example.com")
    assert again.status_code == 409
    assert "already invited" in again.get_data(as_text=True)
    assert len(respondents(sessions)) == 1


def test_a_bad_address_is_refused_beside_its_field(client, setting, sessions):
    response = invite(client, setting, email="not an address")
    assert response.status_code == 400
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert respondents(sessions) == []


def test_rotate_ends_the_old_link_and_shows_a_new_one(client, setting, sessions):
    [(_url, old)] = links_of(invite(client, setting).get_data(as_text=True))
    [respondent] = respondents(sessions)
    page = post_action(client, setting, f"invitations/{respondent.id}/rotate")
    [(_url, new)] = links_of(page.get_data(as_text=True))
    assert new != old
    assert client.get(f"/r/{old}/").status_code == 404
    assert client.get(f"/r/{new}/").status_code == 302
    with transaction(sessions) as session:
        assert session.scalar(select(AuditEntry.action)) == "link_rotated"


def test_a_revoked_link_gets_the_neutral_page_and_keeps_what_was_saved(
    client, setting, sessions, questionnaire
):
    [(_url, token)] = links_of(invite(client, setting).get_data(as_text=True))
    first = questionnaire.dimensions[0].questions[0].id
    assert answer_page(client, token, 1, {first: "3"}).status_code == 302
    form_page = client.get(f"/r/{token}/d/1").get_data(as_text=True)
    [respondent] = respondents(sessions)
    revoked = post_action(client, setting, f"invitations/{respondent.id}/revoke")
    assert "was revoked" in client.get(revoked.headers["Location"]).get_data(as_text=True)

    unknown_token = "A" * len(token)
    unknown = client.get(f"/r/{unknown_token}/d/1")
    revoked = client.get(f"/r/{token}/d/1")
    assert revoked.status_code == unknown.status_code == 404
    # The same page; only the address in the language switch differs (and the logout
    # form's CSRF token, which carries the second it was made in).
    assert without_csrf_tokens(
        revoked.get_data(as_text=True).replace(token, unknown_token)
    ) == without_csrf_tokens(unknown.get_data(as_text=True))
    # Mid-answer: the save is refused with a page that says what became of the answers.
    saved = client.post(
        f"/r/{token}/d/1",
        data={"csrf_token": csrf_token(form_page), "action": "stay", f"answer-{first}": "5"},
    )
    assert saved.status_code == 404
    assert "saved before stay saved" in saved.get_data(as_text=True)
    autosave = client.post(
        f"/r/{token}/d/1/autosave",
        data={"csrf_token": csrf_token(form_page), f"answer-{first}": "5"},
    )
    assert autosave.status_code == 404 and autosave.json["saved"] is False
    assert "saved before stay saved" in autosave.json["message"]
    with transaction(sessions) as session:
        respondent = session.get(Respondent, respondent.id)
        assert [(a.question_id, a.level) for a in respondent.answers] == [(first, 3)]
        assert session.scalar(select(AuditEntry.action)) == "link_revoked"


def test_an_expired_link_gets_the_neutral_page_until_it_is_extended(app, client, setting, sessions):
    [(_url, token)] = links_of(invite(client, setting).get_data(as_text=True))
    [respondent] = respondents(sessions)
    invited = respondent.invited_at
    move_clock(app, invited + datetime.timedelta(days=31))
    assert client.get(f"/r/{token}/").status_code == 404
    too_far = (invited + datetime.timedelta(days=125)).date().isoformat()
    refused = post_action(client, setting, f"invitations/{respondent.id}/extend", last_day=too_far)
    assert "120 days" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/r/{token}/").status_code == 404
    later = (invited + datetime.timedelta(days=60)).date().isoformat()
    post_action(client, setting, f"invitations/{respondent.id}/extend", last_day=later)
    assert client.get(f"/r/{token}/").status_code == 302


def test_participation_shows_how_far_each_respondent_has_come(
    client, setting, sessions, questionnaire
):
    page = paste(client, setting, "Eva, eva@example.com\nJan, jan@example.com\nOla").get_data(
        as_text=True
    )
    (_u1, eva), (_u2, jan), _ola = links_of(page)
    client.get(f"/r/{eva}/d/1")
    first = questionnaire.dimensions[0].questions[0].id
    answer_page(client, jan, 1, {first: "4"})
    listing = participation_page(client, setting).get_data(as_text=True)
    total = len(cx_maturity().questions)  # the factories' assessment is of 1.0
    assert f"in progress (1 of {total} answered)" in listing
    assert 'data-count="opened">1<' in listing
    assert 'data-count="in_progress">1<' in listing
    assert 'data-count="invited">1<' in listing
    with transaction(sessions) as session:
        opened = session.scalars(select(Respondent.last_opened_at).order_by(Respondent.id))
        assert [value is not None for value in opened] == [True, True, False]


def test_an_anonymous_assessment_shows_counts_only(client, sessions):
    setting = open_assessment(sessions, anonymity="anonymous")
    logged_in(client, setting)
    invite(client, setting, name="Zoe Quist")
    page = participation_page(client, setting).get_data(as_text=True)
    assert "Zoe Quist" not in page and 'data-count="all">1<' in page


def test_nobody_outside_the_workspace_sees_or_changes_anything(app, client, setting, sessions):
    invite(client, setting)
    [respondent] = respondents(sessions)
    paths = [
        "invitations",
        "invitations/list",
        f"invitations/{respondent.id}/rotate",
        f"invitations/{respondent.id}/revoke",
        f"invitations/{respondent.id}/extend",
        f"invitations/{respondent.id}/resend",
        "invitations/remind",
        "links.csv",
    ]
    with transaction(sessions) as session:
        other = make_member(session, make_workspace(session, name="Andere GmbH"))
        viewer = make_member(session, session.merge(_workspace(session, setting)), role="viewer")
    outsider, reader = app.test_client(), app.test_client()
    assert log_in(outsider, other.email).status_code == 302
    assert log_in(reader, viewer.email).status_code == 302
    anonymous = app.test_client()
    for who, expected in ((outsider, 404), (anonymous, 404), (reader, 403)):
        token = csrf_token(who.get("/").get_data(as_text=True))
        if who is not reader:
            assert who.get(f"{setting.base}/participation").status_code == 404
        for path in paths:
            data = {"csrf_token": token, "name": "X", "group": "other", "language": "de"}
            data |= {"respondents": "X, x@example.com", "last_day": "2026-12-31"}
            status = who.post(f"{setting.base}/{path}", data=data).status_code
            assert status == expected, path
    assert reader.get(f"{setting.base}/participation").status_code == 200
    assert len(respondents(sessions)) == 1
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def _workspace(session, setting):
    return session.get(Assessment, setting.assessment_id).organization.workspace


def test_an_unknown_assessment_is_a_404_like_another_workspaces(client, setting, sessions):
    assert client.get(f"/w/{setting.slug}/assessments/99999/participation").status_code == 404
    with transaction(sessions) as session:
        user = make_user(session)
        respondent, _token = make_respondent(session)
    del user
    response = post_action(
        client, setting, f"invitations/{respondent.id}/revoke"
    )  # a respondent of another assessment
    assert response.status_code == 404


def test_the_participation_page_speaks_german(client, setting):
    client.get("/language/de?next=/")
    invite(client, setting, name="Eva Roth", email="")
    page = participation_page(client, setting).get_data(as_text=True)
    assert "<h1>Teilnahme</h1>" in page and "Ausstehende jetzt erinnern" not in page
    assert "noch nicht geöffnet" in page and "Führungskraft" in page
    assert "Eine Person einladen" in page
    refused = paste(client, setting, "Kim, kim@")
    assert "Das ist keine E-Mail-Adresse." in refused.get_data(as_text=True)


def test_a_closed_assessment_takes_no_new_respondents(client, setting, sessions):
    page = participation_page(client, setting).get_data(as_text=True)
    with transaction(sessions) as session:
        session.get(Assessment, setting.assessment_id).status = "closed"
    response = client.post(
        f"{setting.base}/invitations",
        data={"csrf_token": csrf_token(page), "name": "Eva", "group": "other", "language": "de"},
    )
    assert response.status_code == 409 and "is closed" in response.get_data(as_text=True)
    refused = client.post(
        f"{setting.base}/invitations/list",
        data={"csrf_token": csrf_token(page), "respondents": "Eva, eva@example.com"},
    )
    assert refused.status_code == 409 and "is closed" in refused.get_data(as_text=True)
    assert respondents(sessions) == []


def without_csrf_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', 'name="csrf_token"', page)
