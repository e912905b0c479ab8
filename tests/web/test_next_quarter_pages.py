"""Next quarter in one step, as the consultant and the respondent meet it (DESIGN §8)."""

from __future__ import annotations

import re
import shutil

import pytest
from factories import (
    CX_MATURITY_FILE,
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_user,
    make_workspace,
)
from participation_helpers import links_of
from sqlalchemy import select
from web_helpers import csrf_token, log_in, page_fields

from cxmaturity.services.results import assessment_outcome
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Answer, Assessment, Respondent, utc_now
from cxmaturity.web.context import services_of

GERMAN = {"Accept-Language": "de"}
MARK = "Your answer last quarter — confirm or change it."


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def app_config(tmp_path):
    """Only cx-maturity 1.0, so that last quarter and the next ask the same questions: these
    tests are about answers offered again (a new version's are in test_shipped_versions.py
    and tests/services/test_next_quarter.py)."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(CX_MATURITY_FILE, folder)
    return {"QUESTIONNAIRES_DIR": str(folder)}


@pytest.fixture
def quarter(sessions, questionnaire):
    """A client whose 2026-Q4 is closed, answered by Eva (level 3 everywhere)."""
    with transaction(sessions) as session:
        workspace = make_workspace(session)
        organization = make_organization(session, workspace=workspace)
        closed = make_assessment(session, organization=organization, status="closed")
        answers = {q: 3 for q in questionnaire.questions}
        eva, _token = make_respondent(session, closed, name="Eva Koch", answers=answers)
        eva.status, eva.submitted_at = "submitted", closed.created_at
        eva.email = "eva@example.com"
        consultant = make_member(session, workspace, make_user(session, language="en"))
        viewer = make_member(session, workspace, make_user(session, language="en"), role="viewer")
        return {
            "slug": workspace.slug,
            "client": organization.id,
            "closed": closed.id,
            "consultant": consultant.email,
            "viewer": viewer.email,
        }


def form_url(quarter) -> str:
    return f"/w/{quarter['slug']}/clients/{quarter['client']}/next-quarter"


def start(client, quarter, **fields):
    page = text(client.get(form_url(quarter)))
    data = {"csrf_token": csrf_token(page), "period": "2027-Q1", "reinvite": "y", "prefill": "y"}
    return client.post(form_url(quarter), data={**data, **fields})


def opened(sessions) -> int:
    """Open the new period (as the consultant would) and return its id."""
    with transaction(sessions) as session:
        new = session.scalar(select(Assessment).where(Assessment.period == "2027-Q1"))
        new.status = "open"
        return new.id


def new_link(app, sessions, quarter) -> str:
    """Eva's new link, made by the consultant in their own browser, the period opened."""
    consultant = app.test_client()
    assert log_in(consultant, quarter["consultant"]).status_code == 302
    [(_url, token)] = links_of(text(start(consultant, quarter)))
    opened(sessions)
    return token


def prefilled_flags(sessions) -> dict[str, bool]:
    with transaction(sessions) as session:
        rows = session.scalars(
            select(Answer).join(Respondent).join(Assessment).where(Assessment.period == "2027-Q1")
        )
        return {row.question_id: row.prefilled for row in rows}


# --- the consultant ------------------------------------------------------------------------


def test_the_client_page_and_a_closed_overview_offer_the_next_quarter(client, app, quarter):
    assert log_in(client, quarter["consultant"]).status_code == 302
    client_page = text(client.get(f"/w/{quarter['slug']}/clients/{quarter['client']}"))
    assert form_url(quarter) in client_page
    overview = text(client.get(f"/w/{quarter['slug']}/assessments/{quarter['closed']}"))
    assert form_url(quarter) in overview

    page = text(client.get(form_url(quarter)))
    assert "Last closed quarter: 2026-Q4" in page
    assert 'value="2027-Q1"' in page  # the period after the last closed one
    assert "1 respondent of it can be invited again." in page
    assert re.search(
        r'<input[^>]*checked[^>]*id="reinvite"|<input[^>]*id="reinvite"[^>]*checked', page
    )


def test_starting_shows_the_new_links_once_and_leaves_the_old_ones(client, app, sessions, quarter):
    with transaction(sessions) as session:
        old_hash = session.scalar(select(Respondent.token_hash))
    assert log_in(client, quarter["consultant"]).status_code == 302
    response = start(client, quarter)
    assert response.status_code == 200
    page = text(response)
    [(url, token)] = links_of(page)
    assert "Eva Koch" in page and "2027-Q1" in page
    assert "40 answers from last quarter are offered pre-filled" in page
    with transaction(sessions) as session:
        new = session.scalar(select(Assessment).where(Assessment.period == "2027-Q1"))
        assert new.status == "draft"
        hashes = set(session.scalars(select(Respondent.token_hash)))
        assert old_hash in hashes and len(hashes) == 2
    # Shown once: the participation page lists Eva but not her link.
    listing = text(client.get(f"/w/{quarter['slug']}/assessments/{new.id}/participation"))
    assert "Eva Koch" in listing and token not in listing
    # The "copy links" CSV of this step works as after any invitation.
    csv = client.post(
        f"/w/{quarter['slug']}/assessments/{new.id}/links.csv",
        data={"csrf_token": csrf_token(page)},
    )
    assert csv.status_code == 200 and url in text(csv)


def test_a_period_already_started_is_refused_with_a_message(client, app, sessions, quarter):
    assert log_in(client, quarter["consultant"]).status_code == 302
    assert start(client, quarter).status_code == 200
    again = start(client, quarter)
    assert again.status_code == 400
    assert "This client already has an assessment of 2027-Q1." in text(again)
    before = start(client, quarter, period="2026-Q3")
    assert before.status_code == 400
    assert "The period must come after the last closed quarter, 2026-Q4." in text(before)


def test_without_reinviting_the_draft_opens_on_its_overview(client, app, sessions, quarter):
    assert log_in(client, quarter["consultant"]).status_code == 302
    response = start(client, quarter, reinvite="", prefill="")
    assert response.status_code == 302
    assert "/assessments/" in response.headers["Location"]
    assert prefilled_flags(sessions) == {}


def test_another_workspace_gets_404_and_a_viewer_403(client, app, sessions, quarter):
    with transaction(sessions) as session:
        own = make_workspace(session)
        stranger = make_member(session, own, make_user(session)).email
    assert log_in(client, stranger).status_code == 302
    assert client.get(form_url(quarter)).status_code == 404
    token = csrf_token(text(client.get(f"/w/{own.slug}/clients/new")))
    assert client.post(form_url(quarter), data={"csrf_token": token}).status_code == 404
    client = app.test_client()
    assert log_in(client, quarter["viewer"]).status_code == 302
    assert client.get(form_url(quarter)).status_code == 403
    token = csrf_token(text(client.get(f"/w/{quarter['slug']}/clients/{quarter['client']}")))
    refused = client.post(form_url(quarter), data={"csrf_token": token, "period": "2027-Q1"})
    assert refused.status_code == 403
    assert prefilled_flags(sessions) == {}


def test_an_anonymous_last_quarter_says_that_nothing_can_be_pre_filled(
    client, app, sessions, quarter
):
    with transaction(sessions) as session:
        session.get(Assessment, quarter["closed"]).anonymity = "anonymous"
    assert log_in(client, quarter["consultant"]).status_code == 302
    page = text(client.get(form_url(quarter)))
    assert "Last quarter was anonymous" in page and "nobody can be invited again" in page
    assert 'id="prefill"' not in page and 'id="reinvite"' not in page


def test_the_start_form_speaks_german(client, app, quarter):
    assert log_in(client, quarter["consultant"]).status_code == 302
    page = text(client.get(form_url(quarter), headers=GERMAN))
    for german in ("Nächstes Quartal starten", "Zuletzt abgeschlossenes Quartal: 2026-Q4"):
        assert german in page, german


# --- the respondent ------------------------------------------------------------------------


def test_the_respondent_sees_last_quarters_answers_marked_and_counted_as_open(
    client, app, sessions, quarter, questionnaire
):
    token = new_link(app, sessions, quarter)
    page = text(client.get(f"/r/{token}/d/1"))
    first = questionnaire.dimensions[0].questions[0].id
    assert page.count(MARK) == len(questionnaire.dimensions[0].questions)
    assert re.search(rf'id="answer-{first}-2"[^>]*checked', page)  # level 3, chosen last time
    assert "0 of 40 answered" in page
    assert "40 answers from last quarter still to confirm" in page
    assert f'value="confirm-{first}"' in page and 'value="confirm-page"' in page


def test_confirming_without_javascript_counts_the_answer(
    client, app, sessions, quarter, questionnaire
):
    token = new_link(app, sessions, quarter)
    first = questionnaire.dimensions[0].questions[0].id
    fields = page_fields(text(client.get(f"/r/{token}/d/1")))
    response = client.post(f"/r/{token}/d/1", data={**fields, "action": f"confirm-{first}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{token}/d/1#q-{first}")
    flags = prefilled_flags(sessions)
    assert flags[first] is False and sum(flags.values()) == 39
    page = text(client.get(f"/r/{token}/d/1"))
    assert "1 of 40 answered" in page and page.count(MARK) == 4


def test_saving_a_page_untouched_confirms_nothing_but_a_change_does(
    client, app, sessions, quarter, questionnaire
):
    token = new_link(app, sessions, quarter)
    questions = [q.id for q in questionnaire.dimensions[0].questions]
    fields = page_fields(text(client.get(f"/r/{token}/d/1")))
    assert client.post(f"/r/{token}/d/1", data={**fields, "action": "next"}).status_code == 302
    assert not any(flag is False for flag in prefilled_flags(sessions).values())

    fields[f"answer-{questions[1]}"] = "4"
    fields[f"comment-{questions[2]}"] = "A note alone confirms nothing."
    assert client.post(f"/r/{token}/d/1", data={**fields, "action": "stay"}).status_code == 302
    flags = prefilled_flags(sessions)
    assert flags[questions[1]] is False and flags[questions[2]] is True


def test_confirm_all_on_a_page_confirms_only_that_page(
    client, app, sessions, quarter, questionnaire
):
    token = new_link(app, sessions, quarter)
    fields = page_fields(text(client.get(f"/r/{token}/d/2")))
    response = client.post(f"/r/{token}/d/2", data={**fields, "action": "confirm-page"})
    assert response.status_code == 302
    confirmed = {q for q, flag in prefilled_flags(sessions).items() if flag is False}
    assert confirmed == {q.id for q in questionnaire.dimensions[1].questions}


def test_autosave_confirms_and_changes_and_says_which_are_still_to_confirm(
    client, app, sessions, quarter, questionnaire
):
    token = new_link(app, sessions, quarter)
    questions = [q.id for q in questionnaire.dimensions[0].questions]
    fields = page_fields(text(client.get(f"/r/{token}/d/1")))
    fields.pop("action", None)
    body = client.post(
        f"/r/{token}/d/1/autosave", data={**fields, f"confirm-{questions[0]}": "1"}
    ).get_json()
    assert body["saved"] and body["answered"] == 1
    assert body["prefilled"] == sorted(questions[1:])
    fields[f"answer-{questions[1]}"] = "5"
    body = client.post(f"/r/{token}/d/1/autosave", data=fields).get_json()
    assert body["answered"] == 2 and body["prefilled"] == sorted(questions[2:])
    assert body["to_confirm"] == "38 answers from last quarter still to confirm"
    body = client.post(f"/r/{token}/d/1/autosave", data=fields).get_json()
    assert body["answered"] == 2  # sent again unchanged: nothing more counts


def test_the_review_page_counts_and_links_the_answers_still_to_confirm(
    client, app, sessions, quarter, questionnaire
):
    token = new_link(app, sessions, quarter)
    fields = page_fields(text(client.get(f"/r/{token}/d/1")))
    client.post(f"/r/{token}/d/1", data={**fields, "action": "confirm-page"})
    page = text(client.get(f"/r/{token}/review"))
    assert "35 answers from last quarter still to confirm" in page
    assert "If you submit now, these answers count as unanswered." in page
    assert "5 of 40 questions answered." in page
    second = questionnaire.dimensions[1].questions[0].id
    assert f'href="/r/{token}/d/2#q-{second}"' in page
    assert "last quarter's answer, not confirmed" in page


def test_the_respondent_pages_speak_german(client, app, sessions, quarter):
    token = new_link(app, sessions, quarter)
    with transaction(sessions) as session:
        for respondent in session.scalars(select(Respondent)):
            respondent.language = "de"
    page = text(client.get(f"/r/{token}/d/1", headers=GERMAN))
    assert "Ihre Antwort im letzten Quartal – bestätigen oder ändern Sie sie." in page
    assert "Diese Antwort bestätigen" in page
    assert "40 Antworten aus dem letzten Quartal noch zu bestätigen" in page
    review = text(client.get(f"/r/{token}/review", headers=GERMAN))
    assert "40 Antworten aus dem letzten Quartal noch zu bestätigen" in review


def test_submitting_counts_only_confirmed_answers(client, sessions, quarter, app):
    token = new_link(app, sessions, quarter)
    fields = page_fields(text(client.get(f"/r/{token}/d/1")))
    client.post(f"/r/{token}/d/1", data={**fields, "action": "confirm-page"})
    review = text(client.get(f"/r/{token}/review"))
    response = client.post(f"/r/{token}/submit", data={"csrf_token": csrf_token(review)})
    assert response.status_code == 302
    own = services_of(app)
    new_id = opened(sessions)
    outcome = assessment_outcome(own.sessions, own.catalogue, new_id)
    assert outcome.reconfirmed == (5, 40)
    answered = [d for d in outcome.result.dimensions if d.score is not None]
    assert [d.dimension_id for d in answered] == [outcome.result.dimensions[0].dimension_id]


def test_an_archived_client_is_told_to_restore_first(client, sessions, quarter):
    with transaction(sessions) as session:
        session.get(Assessment, quarter["closed"]).organization.archived_at = utc_now()
    assert log_in(client, quarter["consultant"]).status_code == 302
    page = text(client.get(form_url(quarter)))
    assert "This client is archived. Restore it before creating an assessment." in page
    token = csrf_token(page)
    refused = client.post(form_url(quarter), data={"csrf_token": token, "period": "2027-Q1"})
    assert refused.status_code == 400
    assert "This client is archived. Restore it before creating an assessment." in text(refused)
