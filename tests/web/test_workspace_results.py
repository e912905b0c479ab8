"""The consultant's results page of an assessment, per anonymity mode, and who may see it."""

from __future__ import annotations

import io
from dataclasses import dataclass

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
from pypdf import PdfReader
from web_helpers import csrf_token, log_in

from cxmaturity.store.database import transaction
from cxmaturity.store.models import Assessment

QUESTIONNAIRE = cx_maturity()
FIRST, SECOND = list(QUESTIONNAIRE.questions)[:2]
PEOPLE = (
    ("Dr. Jürgen Weiß", "executive", 4, "Die Ziele stehen, aber niemand misst sie."),
    ("Anna Schäfer", "manager", 2, "Budget fehlt."),
    ("Özlem Yılmaz", "manager", 3, None),
    ("Ben Kraus", "manager", 3, None),
)


@dataclass
class Arranged:
    slug: str
    assessment_id: int
    consultant: str
    viewer: str
    staff: str
    unlisted: str
    stranger: str

    @property
    def base(self) -> str:
        return f"/w/{self.slug}/assessments/{self.assessment_id}"


def arrange(sessions, mode="confidential", submitted=True) -> Arranged:
    with transaction(sessions) as session:
        workspace = make_workspace(session, name="Beratung Nord")
        organization = make_organization(session, name="Müller & Söhne GmbH", workspace=workspace)
        other_client = make_organization(session, name="Andere AG", workspace=workspace)
        assessment = make_assessment(session, organization)
        assessment.anonymity = mode
        for name, group, level, comment in PEOPLE:
            respondent, _ = make_respondent(
                session,
                assessment,
                name=name,
                answers=dict.fromkeys(QUESTIONNAIRE.questions, level),
                comments={FIRST: comment} if comment else None,
                submitted=submitted,
            )
            respondent.respondent_group = group
        consultant = make_member(session, workspace, role="consultant")
        viewer = make_member(session, workspace, role="viewer")
        unlisted = make_member(session, workspace, role="consultant", listed_clients=[other_client])
        staff = make_client_staff(session, organization, "client_viewer")
        stranger = make_member(session, make_workspace(session, name="Andere Beratung"))
        return Arranged(
            workspace.slug,
            assessment.id,
            consultant.email,
            viewer.email,
            staff.email,
            unlisted.email,
            stranger.email,
        )


def page_of(client, arranged, email):
    assert log_in(client, email).status_code == 302
    response = client.get(f"{arranged.base}/results")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_named_results_show_who_answered_what_and_whose_comment(client, sessions):
    arranged = arrange(sessions, "named")
    page = page_of(client, arranged, arranged.consultant)
    assert "Dr. Jürgen Weiß" in page and "Anna Schäfer" in page
    assert "Die Ziele stehen, aber niemand misst sie." in page
    assert "— <bdi>Anna Schäfer</bdi>" in page  # the comment carries its author's name
    assert "Level 3 · " in page or "3 · " in page  # levels are shown


def test_confidential_results_use_aliases_and_comments_without_names(client, sessions):
    arranged = arrange(sessions, "confidential")
    page = page_of(client, arranged, arranged.consultant)
    for name, *_ in PEOPLE:
        assert name not in page
    assert "<bdi>R1</bdi>" in page and "<bdi>R4</bdi>" in page
    assert "Budget fehlt." in page and "— <bdi>" not in page


def test_anonymous_results_show_no_names_and_no_one_by_one_scores(client, sessions):
    arranged = arrange(sessions, "anonymous")
    page = page_of(client, arranged, arranged.consultant)
    for name, *_ in PEOPLE:
        assert name not in page
    assert "<bdi>R1</bdi>" not in page
    assert "answers are not shown per person" in page
    assert "Budget fehlt." in page and "— <bdi>" not in page


def test_only_groups_of_three_or_more_are_broken_down(client, sessions):
    arranged = arrange(sessions, "named")
    page = page_of(client, arranged, arranged.consultant)
    groups = page.split('id="groups-heading"')[1].split("</section>")[0]
    assert "manager (3)" in groups
    assert "executive" not in groups  # one executive: no breakdown of theirs


def test_a_question_range_is_shown_only_with_three_answers(client, sessions):
    arranged = arrange(sessions, "named")
    page = page_of(client, arranged, arranged.consultant)
    assert "2–4" in page  # four answered every question
    with transaction(sessions) as session:
        assessment = session.get(Assessment, arranged.assessment_id)
        for respondent in assessment.respondents[2:]:
            respondent.status, respondent.submitted_at = "in_progress", None
    page = client.get(f"{arranged.base}/results").get_data(as_text=True)
    assert "2–4" not in page and "not shown with fewer than three answers" in page


def test_the_mode_is_set_before_the_first_submission_and_locked_after(client, sessions):
    arranged = arrange(sessions, "confidential", submitted=False)
    page = page_of(client, arranged, arranged.consultant)
    response = client.post(
        f"{arranged.base}/anonymity",
        data={"csrf_token": csrf_token(page), "anonymity": "anonymous"},
        follow_redirects=True,
    )
    assert response.status_code == 200 and "Anonymity set to" in response.get_data(as_text=True)
    with transaction(sessions) as session:
        assessment = session.get(Assessment, arranged.assessment_id)
        assert assessment.anonymity == "anonymous"
        first = assessment.respondents[0]
        first.status, first.submitted_at = "submitted", first.created_at

    response = client.post(
        f"{arranged.base}/anonymity",
        data={"csrf_token": csrf_token(page), "anonymity": "named"},
        follow_redirects=True,
    )
    shown = response.get_data(as_text=True)
    assert "can no longer be changed: a respondent has already submitted" in shown
    assert 'name="anonymity"' not in shown  # the choice is gone; the lock is explained
    with transaction(sessions) as session:
        assert session.get(Assessment, arranged.assessment_id).anonymity == "anonymous"


def test_an_unknown_mode_changes_nothing(client, sessions):
    arranged = arrange(sessions, "confidential", submitted=False)
    page = page_of(client, arranged, arranged.consultant)
    response = client.post(
        f"{arranged.base}/anonymity",
        data={"csrf_token": csrf_token(page), "anonymity": "public"},
        follow_redirects=True,
    )
    assert "Choose one of the three anonymity modes" in response.get_data(as_text=True)
    with transaction(sessions) as session:
        assert session.get(Assessment, arranged.assessment_id).anonymity == "confidential"


@pytest.mark.parametrize("who", ["viewer", "staff"])
def test_readers_see_the_results_but_may_not_set_the_mode(app, client, sessions, who):
    arranged = arrange(sessions, "confidential", submitted=False)
    page = page_of(client, arranged, getattr(arranged, who))
    assert 'name="anonymity"' not in page  # no choice offered to them
    app.config["WTF_CSRF_ENABLED"] = False  # the page has no form to take a token from
    response = client.post(f"{arranged.base}/anonymity", data={"anonymity": "named"})
    assert response.status_code == 403
    with transaction(sessions) as session:
        assert session.get(Assessment, arranged.assessment_id).anonymity == "confidential"


@pytest.mark.parametrize("who", ["stranger", "unlisted", None])
@pytest.mark.parametrize("path", ["/results", "/radar.svg", "/report.pdf?lang=en"])
def test_everyone_else_gets_404(client, sessions, who, path):
    arranged = arrange(sessions, "named")
    if who:
        assert log_in(client, getattr(arranged, who)).status_code == 302
    assert client.get(arranged.base + path).status_code == 404


@pytest.mark.parametrize("who", ["stranger", "unlisted", None])
def test_everyone_else_gets_404_when_setting_the_mode(app, client, sessions, who):
    arranged = arrange(sessions, "confidential", submitted=False)
    if who:
        assert log_in(client, getattr(arranged, who)).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = False  # nobody of theirs has a page with a token
    response = client.post(f"{arranged.base}/anonymity", data={"anonymity": "named"})
    assert response.status_code == 404
    with transaction(sessions) as session:
        assert session.get(Assessment, arranged.assessment_id).anonymity == "confidential"


def test_an_unknown_assessment_is_404_like_another_workspaces(client, sessions):
    arranged = arrange(sessions, "named")
    assert log_in(client, arranged.consultant).status_code == 302
    assert client.get(f"/w/{arranged.slug}/assessments/999999/results").status_code == 404


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_pdf_follows_the_mode_and_the_language(client, sessions):
    arranged = arrange(sessions, "named")
    assert log_in(client, arranged.consultant).status_code == 302
    named = pdf_text(client.get(f"{arranged.base}/report.pdf?lang=de"))
    assert "Anna Schäfer" in named and "Reifegrad" in named
    with transaction(sessions) as session:
        session.get(Assessment, arranged.assessment_id).anonymity = "anonymous"
    anonymous = pdf_text(client.get(f"{arranged.base}/report.pdf?lang=en"))
    for name, *_ in PEOPLE:
        assert name not in anonymous
    assert "4 respondents: manager (3)" in anonymous and "executive" not in anonymous
    assert "Budget fehlt." in anonymous


def test_an_unknown_report_language_is_a_clear_400(client, sessions):
    arranged = arrange(sessions, "named")
    assert log_in(client, arranged.consultant).status_code == 302
    assert client.get(f"{arranged.base}/report.pdf?lang=fr").status_code == 400


def test_the_page_speaks_german(client, sessions):
    arranged = arrange(sessions, "confidential", submitted=False)
    assert log_in(client, arranged.consultant).status_code == 302
    page = client.get(f"{arranged.base}/results", headers={"Accept-Language": "de"}).get_data(
        as_text=True
    )
    assert "Anonymität: vertraulich" in page and "Anonymität speichern" in page
    assert "Noch hat niemand abgegeben" in page and "PDF auf Englisch" in page
