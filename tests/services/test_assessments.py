"""Taking an assessment through the services: start, open by link, save, submit."""

import secrets

import pytest
from factories import cx_maturity, make_assessment, make_respondent

from cxmaturity.services import assessments
from cxmaturity.services.answering import AnswerInput, InvalidAnswer
from cxmaturity.services.assessments import AlreadySubmitted, StartDetails, UnknownLink
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import Respondent

QUESTIONNAIRE = cx_maturity()
FIRST, SECOND = (question.id for question in QUESTIONNAIRE.dimensions[0].questions[:2])
NO_NA = next(
    question.id
    for question in QUESTIONNAIRE.questions.values()
    if not question.allow_na and question.id not in (FIRST, SECOND)
)
START = StartDetails(
    organization="Müller & Söhne GmbH",
    period="2026-Q4",
    language="de",
    industry="retail",
    size="50-249",
    respondent_name="Dr. Jürgen Weiß",
)


def levels(state):
    return {question_id: row.level for question_id, row in state.answers.items()}


@pytest.fixture
def token(sessions):
    with transaction(sessions) as session:
        _, token = make_respondent(session)
    return token


def test_starting_an_assessment_gives_a_private_link_that_opens_it(sessions, catalogue):
    token = assessments.start_self_assessment(sessions, QUESTIONNAIRE, START)
    state = assessments.open_respondent(sessions, catalogue, token)
    assert (state.organization, state.period, state.language) == (
        "Müller & Söhne GmbH",
        "2026-Q4",
        "de",
    )
    assert state.questionnaire.id == QUESTIONNAIRE.id and not state.submitted
    assert state.answered_count == 0
    with reading(sessions) as session:
        stored = session.get_one(Respondent, state.respondent_id)
        assert stored.name == "Dr. Jürgen Weiß"
        assert token not in stored.token_hash  # only the token's hash is kept


def test_saved_answers_and_comments_come_back_on_the_next_visit(sessions, catalogue, token):
    assessments.save_answers(
        sessions,
        catalogue,
        token,
        {FIRST: AnswerInput(3, "Budget fehlt"), SECOND: AnswerInput.from_choice("5")},
    )
    state = assessments.open_respondent(sessions, catalogue, token)
    assert levels(state) == {FIRST: 3, SECOND: 5}
    assert state.answers[FIRST].comment == "Budget fehlt"
    assert state.answered_count == 2


def test_saving_again_replaces_the_choice_and_a_comment_alone_keeps_it(sessions, catalogue, token):
    assessments.save_answers(sessions, catalogue, token, {FIRST: AnswerInput(2, "first")})
    assessments.save_answers(sessions, catalogue, token, {FIRST: AnswerInput(4, "second")})
    state = assessments.save_answers(
        sessions, catalogue, token, {FIRST: AnswerInput(None, "third")}
    )
    assert (state.answers[FIRST].level, state.answers[FIRST].comment) == (4, "third")


@pytest.mark.parametrize(
    ("change", "refusal", "problem"),
    [
        (
            {"no-such-question": AnswerInput(3)},
            InvalidAnswer,
            "is not a question of this assessment",
        ),
        ({SECOND: AnswerInput(6)}, InvalidAnswer, "6 is not a level"),
        ({NO_NA: AnswerInput("na")}, InvalidAnswer, "cannot be answered 'not applicable'"),
        (
            {SECOND: AnswerInput(3, "x" * (assessments.COMMENT_MAX_LENGTH + 1))},
            assessments.InvalidInput,
            "comment: is longer than 2000 characters",
        ),
    ],
)
def test_one_invalid_answer_refuses_the_whole_save(
    sessions, catalogue, token, change, refusal, problem
):
    assessments.save_answers(sessions, catalogue, token, {FIRST: AnswerInput(1)})
    with pytest.raises(refusal, match=problem):
        assessments.save_answers(sessions, catalogue, token, {FIRST: AnswerInput(5), **change})
    assert levels(assessments.open_respondent(sessions, catalogue, token)) == {FIRST: 1}


def test_after_submitting_the_answers_are_final(sessions, catalogue, token):
    assessments.save_answers(sessions, catalogue, token, {FIRST: AnswerInput(2)})
    assessments.submit(sessions, token)
    with pytest.raises(AlreadySubmitted):
        assessments.save_answers(sessions, catalogue, token, {FIRST: AnswerInput(5)})
    state = assessments.open_respondent(sessions, catalogue, token)
    assert state.submitted and levels(state) == {FIRST: 2}


def test_submitting_twice_keeps_the_first_submission(sessions, catalogue, token):
    assessments.submit(sessions, token)
    respondent_id = assessments.open_respondent(sessions, catalogue, token).respondent_id
    with reading(sessions) as session:
        first = session.get_one(Respondent, respondent_id).submitted_at
    assessments.submit(sessions, token)
    with reading(sessions) as session:
        again = session.get_one(Respondent, respondent_id).submitted_at
    assert first is not None and again == first


@pytest.mark.parametrize(
    "wrong",
    ["", secrets.token_urlsafe(32), "x" * (assessments.TOKEN_MAX_LENGTH + 1)],
    ids=["empty", "unknown", "too long"],
)
def test_a_wrong_link_opens_nothing_and_saves_nothing(sessions, catalogue, token, wrong):
    with pytest.raises(UnknownLink):
        assessments.open_respondent(sessions, catalogue, wrong)
    with pytest.raises(UnknownLink):
        assessments.save_answers(sessions, catalogue, wrong, {FIRST: AnswerInput(3)})
    with pytest.raises(UnknownLink):
        assessments.submit(sessions, wrong)
    assert levels(assessments.open_respondent(sessions, catalogue, token)) == {}


def test_a_respondent_sees_only_their_own_answers(sessions, catalogue):
    with transaction(sessions) as session:
        assessment = make_assessment(session)
        _, ceo = make_respondent(session, assessment, name="CEO", answers={FIRST: 4})
        _, cmo = make_respondent(session, assessment, name="CMO")
    assessments.save_answers(sessions, catalogue, cmo, {SECOND: AnswerInput(1)})
    assert levels(assessments.open_respondent(sessions, catalogue, ceo)) == {FIRST: 4}
    assert levels(assessments.open_respondent(sessions, catalogue, cmo)) == {SECOND: 1}


def test_an_invited_respondent_joins_the_same_assessment(sessions, catalogue, token):
    first = assessments.open_respondent(sessions, catalogue, token)
    invited = assessments.invite_respondent(sessions, first.assessment_id, "CMO", "en")
    state = assessments.open_respondent(sessions, catalogue, invited)
    assert state.assessment_id == first.assessment_id
    assert state.respondent_id != first.respondent_id and state.answered_count == 0
