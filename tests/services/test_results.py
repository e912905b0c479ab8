"""An assessment's results, read from the database: only submitted answers count."""

from factories import cx_maturity, make_assessment, make_organization, make_respondent

from cxmaturity.services.results import assessment_outcome
from cxmaturity.store.database import transaction

QUESTIONNAIRE = cx_maturity()


def everything(level):
    return {question_id: level for question_id in QUESTIONNAIRE.questions}


def test_only_submitted_respondents_are_scored(sessions, catalogue):
    with transaction(sessions) as session:
        assessment = make_assessment(session)
        make_respondent(session, assessment, name="CEO", answers=everything(4), submitted=True)
        make_respondent(session, assessment, name="CMO", answers=everything(1))
    outcome = assessment_outcome(sessions, catalogue, assessment.id)
    assert [person.name for person in outcome.respondents] == ["CEO"]
    assert (outcome.result.overall_score, outcome.result.overall_level) == (4, 4)


def test_an_assessment_without_submissions_has_no_score_yet(sessions, catalogue):
    with transaction(sessions) as session:
        assessment = make_assessment(session)
        make_respondent(session, assessment, answers=everything(3))
    outcome = assessment_outcome(sessions, catalogue, assessment.id)
    assert outcome.respondents == ()
    assert outcome.result.overall_score is None and outcome.result.overall_level is None


def test_the_organizations_previous_period_comes_with_the_results(sessions, catalogue):
    with transaction(sessions) as session:
        organization = make_organization(session)
        before = make_assessment(session, organization, period="2026-Q2", status="closed")
        make_respondent(session, before, answers=everything(2), submitted=True)
        now = make_assessment(session, organization, period="2026-Q4")
        make_respondent(session, now, answers=everything(3), submitted=True)
        other = make_assessment(
            session, make_organization(session, name="Andere AG"), period="2026-Q3"
        )
        make_respondent(session, other, answers=everything(5), submitted=True)
    outcome = assessment_outcome(sessions, catalogue, now.id)
    assert outcome.previous_period == "2026-Q2"  # not the other organization's 2026-Q3
    assert (outcome.previous.overall_score, outcome.result.overall_score) == (2, 3)
