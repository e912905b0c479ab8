"""Assessments per client and period: created as drafts, opened, closed with their snapshot."""

import datetime
from fractions import Fraction

import pytest
from factories import (
    cx_maturity,
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import func, select

from cxmaturity.domain.responses import AnswerInput
from cxmaturity.domain.scoring import RespondentAnswers, score_assessment
from cxmaturity.services import assessments, workspace_assessments
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Assessment, DimensionSnapshot, Organization, ResultSnapshot

TODAY = datetime.date(2026, 11, 2)
QUESTIONNAIRE = "cx-maturity"


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        owner = make_member(session, nord, role="owner")
        viewer = make_member(session, nord, role="viewer")
        other = make_member(session, make_workspace(session, slug="sued"), role="owner")
        ids = (owner.id, viewer.id, other.id, alpha.id)
    owner, viewer, other = (load_actor(sessions, user_id) for user_id in ids[:3])
    return {"owner": owner, "viewer": viewer, "other": other, "alpha": ids[3]}


def create(sessions, catalogue, actor, client_id, period="2026-Q4", due=None):
    new = workspace_assessments.NewAssessment(client_id, period, due)
    return workspace_assessments.create_assessment(
        sessions, catalogue, actor, "nord", QUESTIONNAIRE, new, TODAY
    )


def answers(level: int) -> dict[str, int]:
    return {question_id: level for question_id in cx_maturity().questions}


def test_an_assessment_is_created_as_a_draft_of_the_newest_questionnaire_version(
    sessions, catalogue, world
):
    assessment_id = create(sessions, catalogue, world["owner"], world["alpha"], " 2026-q4 ")
    with transaction(sessions) as session:
        assessment = session.get(Assessment, assessment_id)
        assert (assessment.status, assessment.period) == ("draft", "2026-Q4")
        assert assessment.questionnaire_version == catalogue.get(QUESTIONNAIRE).version


def test_the_same_period_twice_a_bad_period_or_a_past_due_date_are_refused_clearly(
    sessions, catalogue, world
):
    create(sessions, catalogue, world["owner"], world["alpha"])
    for period, due, field in [
        ("2026-Q4", None, "period"),
        ("2026-Q5", None, "period"),
        ("2027-Q1", TODAY - datetime.timedelta(days=1), "due_date"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            create(sessions, catalogue, world["owner"], world["alpha"], period, due)
        assert refused.value.field == field
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Assessment)) == 1


def test_a_viewer_may_not_create_and_another_workspace_does_not_see_the_client(
    sessions, catalogue, world
):
    with pytest.raises(Forbidden):
        create(sessions, catalogue, world["viewer"], world["alpha"])
    with pytest.raises(NotVisible):
        create(sessions, catalogue, world["other"], world["alpha"])


def test_a_draft_link_cannot_be_used_until_the_assessment_is_opened(sessions, catalogue, world):
    assessment_id = create(sessions, catalogue, world["owner"], world["alpha"])
    with transaction(sessions) as session:
        _, token = make_respondent(session, session.get(Assessment, assessment_id))
    with pytest.raises(assessments.AssessmentNotOpen):
        assessments.open_respondent(sessions, catalogue, token)
    workspace_assessments.open_assessment(sessions, world["owner"], "nord", assessment_id)
    assert not assessments.open_respondent(sessions, catalogue, token).submitted
    with pytest.raises(workspace_assessments.WrongStatus):
        workspace_assessments.open_assessment(sessions, world["owner"], "nord", assessment_id)


def test_closing_writes_the_snapshot_of_the_submitted_respondents_and_links_become_read_only(
    sessions, catalogue, world
):
    with transaction(sessions) as session:
        assessment = make_assessment(session, session.get(Organization, world["alpha"]))
        make_respondent(session, assessment, name="A", answers=answers(2), submitted=True)
        make_respondent(session, assessment, name="B", answers=answers(4), submitted=True)
        _, pending = make_respondent(session, assessment, name="C", answers={})
        assessment_id = assessment.id
    workspace_assessments.close_assessment(
        sessions, catalogue, world["owner"], "nord", assessment_id
    )
    expected = score_assessment(
        cx_maturity(),
        [RespondentAnswers("A", answers(2)), RespondentAnswers("B", answers(4))],
    )
    with transaction(sessions) as session:
        snapshot = session.get(ResultSnapshot, assessment_id)
        assert Fraction(snapshot.overall_score) == expected.overall_score == 3
        assert snapshot.overall_level == expected.overall_level
        assert snapshot.submitted_respondents == 2
        rows = session.scalars(select(DimensionSnapshot)).all()
        assert len(rows) == len(cx_maturity().dimensions)
        assert all(Fraction(row.spread) == 2 and row.disagreement for row in rows)
        assert session.get(Assessment, assessment_id).status == "closed"
    question_id = next(iter(cx_maturity().questions))
    with pytest.raises(assessments.AssessmentClosed):
        assessments.save_answers(sessions, catalogue, pending, {question_id: AnswerInput(3)})
    with pytest.raises(assessments.AssessmentClosed):
        assessments.submit(sessions, pending, catalogue)
    with pytest.raises(workspace_assessments.WrongStatus):
        workspace_assessments.close_assessment(
            sessions, catalogue, world["owner"], "nord", assessment_id
        )


def test_each_submit_brings_the_snapshot_of_an_open_assessment_up_to_date(
    sessions, catalogue, world
):
    with transaction(sessions) as session:
        assessment = make_assessment(session, session.get(Organization, world["alpha"]))
        _, token = make_respondent(session, assessment, answers=answers(3))
        assessment_id = assessment.id
    assessments.submit(sessions, token, catalogue)
    page = workspace_assessments.overview(sessions, world["owner"], "nord", assessment_id)
    assert page.overall_score == 3
    assert (page.row.submitted, page.row.invited, page.row.overall_level) == (1, 1, 3)


def test_the_overview_is_not_visible_to_another_workspace(sessions, catalogue, world):
    assessment_id = create(sessions, catalogue, world["owner"], world["alpha"])
    with pytest.raises(NotVisible):
        workspace_assessments.overview(sessions, world["other"], "nord", assessment_id)
    with pytest.raises(NotVisible):
        workspace_assessments.overview(sessions, world["other"], "sued", assessment_id)
    with pytest.raises(Forbidden):
        workspace_assessments.open_assessment(sessions, world["viewer"], "nord", assessment_id)
