"""Claiming a self-assessment: its starter creates an account that owns its team workspace."""

import pytest
from factories import make_assessment, make_member, make_organization, make_respondent
from factories import make_workspace as make_plain_workspace
from sqlalchemy import select
from web_helpers import answer_page, csrf_token, log_in, start_assessment

from cxmaturity.services import assessments
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Organization, Respondent, Workspace, WorkspaceMember, hash_token

PASSWORD = "a long enough password"


def claim(client, token, email="anna@example.com", name="Anna Berger", password=PASSWORD):
    page = client.get(f"/r/{token}/claim")
    assert page.status_code == 200, page.get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "name": name,
        "email": email,
        "password": password,
    }
    return client.post(f"/r/{token}/claim", data=form)


def workspace_of(sessions, token):
    with transaction(sessions) as session:
        respondent = session.scalar(
            select(Respondent).where(Respondent.token_hash == hash_token(token))
        )
        workspace = respondent.assessment.organization.workspace
        members = [(m.user.email, m.role) for m in workspace.members]
        return workspace.slug, workspace.claimable, members


@pytest.fixture
def started(client, sessions, questionnaire):
    """A self-assessment started through the start page, one dimension answered, submitted."""
    token = start_assessment(client)
    first = questionnaire.dimensions[0]
    answers = {question.id: "3" for question in first.questions}
    assert answer_page(client, token, 1, answers).status_code == 302
    assessments.submit(sessions, token)
    return token


def test_the_results_page_offers_to_keep_the_assessment(client, started):
    page = client.get(f"/r/{started}/results").get_data(as_text=True)
    assert "Create an account to keep this assessment" in page
    assert f'href="/r/{started}/claim"' in page


def test_claiming_creates_the_owner_logs_in_and_keeps_every_answer(
    app, client, sessions, started, questionnaire
):
    before = client.get(f"/r/{started}/answers").get_data(as_text=True)
    response = claim(client, started)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    slug, claimable, members = workspace_of(sessions, started)
    assert not claimable
    assert members == [("anna@example.com", "owner")]
    # Logged in, with the claimed workspace as the only one: /home goes straight there.
    assert client.get("/home").headers["Location"] == f"/w/{slug}/"
    # Nothing taken before is lost: the link still opens the same answers and results.
    assert client.get(f"/r/{started}/answers").get_data(as_text=True).replace(
        "Anna Berger", ""
    ).count("Level 3") == before.count("Level 3")
    assert client.get(f"/r/{started}/results").status_code == 200
    state = assessments.open_respondent(sessions, app.extensions["cxmaturity"].catalogue, started)
    first = questionnaire.dimensions[0]
    assert all(state.answers[q.id].level == 3 for q in first.questions)
    # And the account logs in later.
    other = app.test_client()
    assert log_in(other, "anna@example.com", PASSWORD).status_code == 302


def test_once_claimed_the_link_says_so(client, sessions, started):
    claim(client, started)
    page = client.get(f"/r/{started}/claim")
    assert page.status_code == 200
    assert "belongs to an account" in page.get_data(as_text=True)
    assert "belongs to an account" in client.get(f"/r/{started}/results").get_data(True)
    assert "Create an account to keep" not in client.get(f"/r/{started}/results").get_data(True)


def test_a_second_claim_changes_nothing(app, client, sessions, started):
    late = app.test_client()
    page = late.get(f"/r/{started}/claim").get_data(as_text=True)
    assert claim(client, started).status_code == 302
    assert "belongs to an account" in late.get(f"/r/{started}/claim").get_data(as_text=True)
    # A form that was open before the first claim is refused too.
    refused = late.post(
        f"/r/{started}/claim",
        data={
            "csrf_token": csrf_token(page),
            "name": "Mallory",
            "email": "m@example.com",
            "password": PASSWORD,
        },
    )
    assert refused.status_code == 409
    assert workspace_of(sessions, started)[2] == [("anna@example.com", "owner")]


def test_only_the_first_respondent_may_claim(client, sessions, started):
    with transaction(sessions) as session:
        first = session.scalar(
            select(Respondent).where(Respondent.token_hash == hash_token(started))
        )
        _, other = make_respondent(session, first.assessment, name="Colleague")
    assert client.get(f"/r/{other}/claim").status_code == 404
    assert "Create an account to keep" not in client.get(f"/r/{other}/review").get_data(True)


def test_an_invited_respondent_of_a_consultancy_gets_no_offer(client, sessions):
    with transaction(sessions) as session:
        workspace = make_plain_workspace(session)
        make_member(session, workspace, role="owner")
        assessment = make_assessment(session, make_organization(session, workspace=workspace))
        _, token = make_respondent(session, assessment, submitted=True)
    assert client.get(f"/r/{token}/claim").status_code == 404
    assert "Create an account to keep" not in client.get(f"/r/{token}/results").get_data(True)


def test_an_unknown_link_cannot_claim(client):
    assert client.get("/r/" + "x" * 43 + "/claim").status_code == 404


def test_a_taken_address_or_a_short_password_is_refused_and_nothing_changes(
    client, sessions, started
):
    from auth_helpers import user

    taken = user(sessions, email="bernd@example.com")
    response = claim(client, started, email=taken.email.upper())
    assert response.status_code == 400
    assert "exists already" in response.get_data(as_text=True)
    short = claim(client, started, password="short")
    assert short.status_code == 400
    assert 'aria-describedby="password-hint password-error"' in short.get_data(as_text=True)
    bad_address = claim(client, started, email="not an address")
    assert bad_address.status_code == 400
    _, claimable, members = workspace_of(sessions, started)
    assert claimable and members == []


def test_the_claim_page_in_german(client, started):
    client.set_cookie("cxm_lang", "de", domain="localhost")
    page = client.get(f"/r/{started}/claim").get_data(as_text=True)
    assert "Konto" in page


def test_the_workspace_keeps_its_one_client(sessions, client, started):
    claim(client, started)
    with transaction(sessions) as session:
        slug = workspace_of(sessions, started)[0]
        workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
        names = session.scalars(
            select(Organization.name).where(Organization.workspace_id == workspace.id)
        ).all()
        assert names == ["Müller & Söhne GmbH"]
        assert session.scalar(select(WorkspaceMember.role)) == "owner"
