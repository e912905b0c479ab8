"""The workspace's results of an assessment, the anonymity mode and its lock, on both databases."""

import pytest
from factories import (
    cx_maturity,
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)

from cxmaturity.services import assessments
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.services.results import respondent_outcome
from cxmaturity.services.workspace_results import (
    AnonymityLocked,
    assessment_results,
    set_anonymity,
)
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Assessment, Respondent

QUESTIONNAIRE = cx_maturity()
FIRST = next(iter(QUESTIONNAIRE.questions))


def everything(level):
    return dict.fromkeys(QUESTIONNAIRE.questions, level)


@pytest.fixture
def arranged(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session)
        organization = make_organization(session, workspace=workspace)
        assessment = make_assessment(session, organization)
        respondent, token = make_respondent(
            session, assessment, name="Anna Schäfer", answers=everything(3)
        )
        respondent.email = "anna@example.com"
        respondent.role = "Leiterin Vertrieb"
        consultant = make_member(session, workspace, role="consultant")
        viewer = make_member(session, workspace, role="viewer")
        stranger = make_member(session, make_workspace(session))
    return {
        "slug": workspace.slug,
        "assessment": assessment.id,
        "respondent": respondent.id,
        "token": token,
        "consultant": load_actor(sessions, consultant.id),
        "viewer": load_actor(sessions, viewer.id),
        "stranger": load_actor(sessions, stranger.id),
    }


def stored(sessions, model, row_id):
    with transaction(sessions) as session:
        return session.get(model, row_id)


def test_an_anonymous_submit_detaches_the_answers_from_the_person(sessions, catalogue, arranged):
    consultant, slug, assessment = arranged["consultant"], arranged["slug"], arranged["assessment"]
    set_anonymity(sessions, consultant, slug, assessment, "anonymous")
    assessments.submit(sessions, arranged["token"])
    row = stored(sessions, Respondent, arranged["respondent"])
    assert row.status == "submitted"
    assert (row.name, row.email, row.role) == (None, None, None)
    # The answers stay, and count.
    page = assessment_results(sessions, catalogue, consultant, slug, assessment, "en")
    assert page.view.respondent_count == 1 and page.view.result.overall_score == 3
    assert page.respondents == ()


def test_a_confidential_submit_keeps_the_name_for_the_participation_list(sessions, arranged):
    assessments.submit(sessions, arranged["token"])
    row = stored(sessions, Respondent, arranged["respondent"])
    assert (row.name, row.email) == ("Anna Schäfer", "anna@example.com")


def test_the_mode_is_locked_once_a_respondent_has_submitted(sessions, arranged):
    consultant, slug, assessment = arranged["consultant"], arranged["slug"], arranged["assessment"]
    assert set_anonymity(sessions, consultant, slug, assessment, "named") == "named"
    assessments.submit(sessions, arranged["token"])
    with pytest.raises(AnonymityLocked):
        set_anonymity(sessions, consultant, slug, assessment, "anonymous")
    assert stored(sessions, Assessment, assessment).anonymity == "named"


def test_only_consultants_and_owners_set_the_mode(sessions, arranged):
    slug, assessment = arranged["slug"], arranged["assessment"]
    with pytest.raises(Forbidden):
        set_anonymity(sessions, arranged["viewer"], slug, assessment, "named")
    with pytest.raises(NotVisible):
        set_anonymity(sessions, arranged["stranger"], slug, assessment, "named")
    with pytest.raises(NotVisible):
        set_anonymity(sessions, None, slug, assessment, "named")
    with pytest.raises(InvalidInput):
        set_anonymity(sessions, arranged["consultant"], slug, assessment, "public")
    assert stored(sessions, Assessment, assessment).anonymity == "confidential"


def test_the_results_read_the_mode_and_the_lock(sessions, catalogue, arranged):
    consultant, slug, assessment = arranged["consultant"], arranged["slug"], arranged["assessment"]
    page = assessment_results(sessions, catalogue, consultant, slug, assessment, "de")
    assert (page.anonymity, page.locked, page.may_manage) == ("confidential", False, True)
    assessments.submit(sessions, arranged["token"])
    page = assessment_results(sessions, catalogue, consultant, slug, assessment, "de")
    assert page.locked and [row.label for row in page.respondents] == ["R1"]
    viewer = assessment_results(sessions, catalogue, arranged["viewer"], slug, assessment, "de")
    assert not viewer.may_manage
    with pytest.raises(NotVisible):
        assessment_results(sessions, catalogue, arranged["stranger"], slug, assessment, "de")


def test_a_respondent_reads_the_aggregate_and_only_their_own_comments(sessions, catalogue):
    with transaction(sessions) as session:
        assessment = make_assessment(session)
        assessment.anonymity = "named"
        mine, _ = make_respondent(
            session,
            assessment,
            name="Anna",
            answers=everything(2),
            comments={FIRST: "Meins."},
            submitted=True,
        )
        make_respondent(
            session,
            assessment,
            name="Ben",
            answers=everything(4),
            comments={FIRST: "Nicht deins."},
            submitted=True,
        )
    seen = respondent_outcome(sessions, catalogue, assessment.id, mine.id)
    assert [person.name for person in seen.respondents] == ["", ""]
    assert [comment.text for comment in seen.comments] == ["Meins."]
    assert seen.result.overall_score == 3  # the aggregate of both
