"""The workspace pages of clients and assessments, as a consultant, a viewer, client staff and a
stranger use them: `/w/<slug>/`, `/w/<slug>/clients/…`, `/w/<slug>/assessments/<id>`."""

import datetime

import pytest
from factories import (
    cx_maturity,
    make_assessment,
    make_client_staff,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import func, select
from web_helpers import csrf_token, log_in

from cxmaturity.store.database import transaction
from cxmaturity.store.models import Answer, Assessment, Organization, ResultSnapshot


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        beta = make_organization(session, name="Beta GmbH", workspace=nord)
        emails = {
            "owner": make_member(session, nord, role="owner").email,
            "viewer": make_member(session, nord, role="viewer").email,
            "limited": make_member(session, nord, role="consultant", listed_clients=[alpha]).email,
            "staff": make_client_staff(session, beta, "client_viewer").email,
            "other": make_member(session, make_workspace(session, slug="sued")).email,
        }
        return {"emails": emails, "alpha": alpha.id, "beta": beta.id}


def as_user(client, world, who):
    assert log_in(client, world["emails"][who]).status_code == 302


def post_form(client, page_url, action_url, **fields):
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(action_url, data={"csrf_token": token, **fields})


def test_a_consultant_creates_a_client_and_finds_it_on_the_list(client, world):
    as_user(client, world, "owner")
    response = post_form(
        client,
        "/w/nord/clients/new",
        "/w/nord/clients/new",
        name="Gamma KG",
        industry="retail",
        size="50-249",
        tags="Pilot, Nord",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gamma KG" in page and "Retail and e-commerce" in page and "pilot" in page
    listing = client.get("/w/nord/clients/").get_data(as_text=True)
    assert "Gamma KG" in listing and "Alpha AG" in listing


def test_a_missing_name_and_eleven_tags_are_shown_beside_their_fields(client, world, sessions):
    as_user(client, world, "owner")
    tags = ", ".join(f"t{n}" for n in range(11))
    response = post_form(client, "/w/nord/clients/new", "/w/nord/clients/new", name=" ", tags=tags)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please enter the client" in page
    assert "at most 10 tags" in page
    assert 'aria-describedby="tags-hint tags-error"' in page
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 2


def test_a_duplicate_name_is_refused_with_a_message_not_a_500(client, world):
    as_user(client, world, "owner")
    response = post_form(client, "/w/nord/clients/new", "/w/nord/clients/new", name="alpha ag")
    assert response.status_code == 400
    assert "Another client of this workspace has this name." in response.get_data(as_text=True)


def test_editing_and_archiving_a_client(client, world):
    as_user(client, world, "owner")
    url = f"/w/nord/clients/{world['alpha']}"
    response = post_form(client, url + "/edit", url + "/edit", name="Alpha Holding", tags="key")
    assert response.status_code == 302
    response = post_form(client, url, url + "/archive")
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Alpha Holding" in page and "archived" in page
    assert "Alpha Holding" not in client.get("/w/nord/clients/").get_data(as_text=True)
    assert "Alpha Holding" in client.get("/w/nord/clients/?archived=1").get_data(as_text=True)
    post_form(client, url, url + "/restore")
    assert "Alpha Holding" in client.get("/w/nord/clients/").get_data(as_text=True)


def test_archiving_with_an_open_assessment_says_it_stays_open(client, world, sessions):
    with transaction(sessions) as session:
        make_assessment(session, session.get(Organization, world["alpha"]))
    as_user(client, world, "owner")
    url = f"/w/nord/clients/{world['alpha']}"
    post_form(client, url, url + "/archive")
    page = client.get(url).get_data(as_text=True)
    assert "stays open: the respondents&#39; links keep working" in page


def test_the_client_page_lists_assessments_newest_first_with_participation_and_level(
    client, world, sessions
):
    answers = dict.fromkeys(cx_maturity().questions, 4)
    with transaction(sessions) as session:
        alpha = session.get(Organization, world["alpha"])
        make_assessment(session, alpha, period="2026-Q2", status="closed")
        newest = make_assessment(session, alpha, period="2026-Q4")
        make_respondent(session, newest, answers=answers, submitted=True)
        make_respondent(session, newest)
        session.add(ResultSnapshot(assessment_id=newest.id, overall_level=4))
    as_user(client, world, "owner")
    page = client.get(f"/w/nord/clients/{world['alpha']}").get_data(as_text=True)
    assert page.index("2026-Q4") < page.index("2026-Q2")
    assert "1 of 2 submitted" in page and "Level 4" in page


def test_creating_an_assessment_opening_and_closing_it(client, world, sessions):
    as_user(client, world, "owner")
    url = f"/w/nord/clients/{world['alpha']}"
    response = post_form(client, url, url + "/assessments", period="2026-Q4", due_date="")
    assert response.status_code == 302
    overview = response.headers["Location"]
    page = client.get(overview).get_data(as_text=True)
    assert "Draft" in page and "cannot be used until it is opened" in page
    assert "/participation" in page and "/results" in page and "/report.pdf" in page
    post_form(client, overview, overview + "/open")
    assert "Close the assessment" in client.get(overview).get_data(as_text=True)
    post_form(client, overview, overview + "/close")
    page = client.get(overview).get_data(as_text=True)
    assert "links are read-only" in page
    with transaction(sessions) as session:
        assessment = session.scalars(select(Assessment)).one()
        assert assessment.status == "closed"
        assert session.get(ResultSnapshot, assessment.id) is not None


def test_the_same_period_twice_or_a_past_due_date_are_shown_on_the_client_page(client, world):
    as_user(client, world, "owner")
    url = f"/w/nord/clients/{world['alpha']}"
    post_form(client, url, url + "/assessments", period="2026-Q4")
    again = post_form(client, url, url + "/assessments", period="2026-q4")
    assert again.status_code == 400
    assert "already has an assessment of 2026-q4" in again.get_data(as_text=True)
    past = post_form(client, url, url + "/assessments", period="2027-Q1", due_date="2020-01-01")
    assert past.status_code == 400
    assert "must not be in the past" in past.get_data(as_text=True)


def test_a_closed_assessments_link_shows_the_closed_page_and_refuses_answers(
    client, world, sessions
):
    with transaction(sessions) as session:
        assessment = make_assessment(session, session.get(Organization, world["alpha"]))
        _, token = make_respondent(session, assessment, answers={"x": 1})
        draft = make_assessment(session, session.get(Organization, world["beta"]), status="draft")
        _, draft_token = make_respondent(session, draft)
        assessment.status = "closed"
    page = client.get(f"/r/{token}/d/1")
    assert page.status_code == 409
    assert "this assessment is closed; your answers are kept" in page.get_data(as_text=True).lower()
    csrf = csrf_token(client.get("/").get_data(as_text=True))
    posted = client.post(f"/r/{token}/submit", data={"csrf_token": csrf})
    assert posted.status_code == 409
    autosave = client.post(f"/r/{token}/d/1/autosave", data={"csrf_token": csrf})
    assert autosave.status_code == 409
    assert autosave.get_json()["saved"] is False
    assert "closed; your answers are kept" in autosave.get_json()["message"]
    with transaction(sessions) as session:
        assert session.scalars(select(Answer.question_id)).all() == ["x"]
    draft_page = client.get(f"/r/{draft_token}/d/1")
    assert draft_page.status_code == 409
    assert "has not been opened yet" in draft_page.get_data(as_text=True)


@pytest.mark.parametrize("who", ["viewer", "other", "limited"])
def test_who_may_not_change_a_client_gets_403_or_404_and_nothing_changes(
    client, world, sessions, who
):
    client_id = world["beta"]
    with transaction(sessions) as session:
        draft = make_assessment(session, session.get(Organization, client_id), status="draft")
    as_user(client, world, who)
    # A CSRF token from a page every logged-in user can open.
    token = csrf_token(client.get("/").get_data(as_text=True))
    expected = 403 if who == "viewer" else 404
    urls = [f"/w/nord/clients/{client_id}/{action}" for action in ("archive", "edit")]
    urls += [f"/w/nord/clients/{client_id}/assessments", "/w/nord/clients/new"]
    urls += [f"/w/nord/assessments/{draft.id}/{action}" for action in ("open", "close")]
    for url in urls:
        response = client.post(url, data={"csrf_token": token, "name": "X", "period": "2027-Q1"})
        if url.endswith("/new") and who == "limited":
            continue  # a consultant limited to some clients may still add one
        assert response.status_code == expected, url
    with transaction(sessions) as session:
        beta = session.get(Organization, client_id)
        assert beta.archived_at is None and beta.name == "Beta GmbH"
        assert session.scalars(select(Assessment.status)).all() == ["draft"]


def test_other_workspaces_and_unlisted_clients_answer_404_like_unknown_ids(client, world):
    as_user(client, world, "other")
    for url in ("/w/nord/", "/w/nord/clients/", f"/w/nord/clients/{world['alpha']}"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/w/sued/clients/{world['alpha']}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").data.decode())})
    as_user(client, world, "limited")
    assert client.get(f"/w/nord/clients/{world['beta']}").status_code == 404
    assert client.get("/w/nord/clients/999999").status_code == 404
    assert client.get(f"/w/nord/clients/{world['alpha']}").status_code == 200


def test_logged_out_visitors_get_404(client, world):
    for url in ("/w/nord/", "/w/nord/clients/", f"/w/nord/clients/{world['alpha']}"):
        assert client.get(url).status_code == 404


def test_client_staff_read_their_own_client_page_only(client, world, sessions):
    with transaction(sessions) as session:
        theirs = make_assessment(session, session.get(Organization, world["beta"]))
        others = make_assessment(session, session.get(Organization, world["alpha"]))
    as_user(client, world, "staff")
    overview = client.get(f"/w/nord/assessments/{theirs.id}").get_data(as_text=True)
    assert "/results" in overview and "Close the assessment" not in overview
    assert "/participation" not in overview
    assert client.get(f"/w/nord/assessments/{others.id}").status_code == 404
    start = client.get("/w/nord/")
    assert start.status_code == 302 and start.headers["Location"].endswith(
        f"/w/nord/clients/{world['beta']}"
    )
    page = client.get(f"/w/nord/clients/{world['beta']}").get_data(as_text=True)
    assert "Beta GmbH" in page and "Archive client" not in page and "Edit details" not in page
    assert client.get(f"/w/nord/clients/{world['alpha']}").status_code == 404
    assert client.get("/w/nord/clients/").status_code == 404


def test_the_start_page_shows_latest_assessments_and_what_needs_attention(client, world, sessions):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    with transaction(sessions) as session:
        alpha = session.get(Organization, world["alpha"])
        beta = session.get(Organization, world["beta"])
        make_assessment(session, alpha, period="2026-Q3", status="closed")
        late = make_assessment(session, alpha, period="2026-Q4")
        late.due_date = yesterday
        make_respondent(session, late, submitted=True)
        make_respondent(session, late)
        bounced = make_assessment(session, beta, period="2026-Q4")
        respondent, _ = make_respondent(session, bounced)
        respondent.delivery = "bounced"
    as_user(client, world, "owner")
    page = client.get("/w/nord/").get_data(as_text=True)
    assert "Alpha AG" in page and "Beta GmbH" in page
    assert "1 of 2 submitted" in page and "0 of 1 submitted" in page
    attention = page[page.index("Needs attention") : page.index("clients-heading")]
    assert "overdue since" in attention and "1 invitation bounced" in attention
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").data.decode())})
    as_user(client, world, "limited")
    limited = client.get("/w/nord/").get_data(as_text=True)
    assert "Alpha AG" in limited and "Beta GmbH" not in limited


def test_the_pages_are_in_german(client, world):
    as_user(client, world, "owner")
    client.set_cookie("cxm_lang", "de", domain="localhost")
    page = client.get(f"/w/nord/clients/{world['alpha']}").get_data(as_text=True)
    assert "Neues Assessment" in page or "Neue Befragung" in page
    assert "Kunden" in client.get("/w/nord/").get_data(as_text=True)
