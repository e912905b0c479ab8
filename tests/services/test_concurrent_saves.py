"""Saves that arrive at the same moment lose nothing, and none lands after submission."""

import pytest
from concurrency import run_together
from factories import cx_maturity, make_respondent

from cxmaturity.services import assessments
from cxmaturity.services.answering import AnswerInput
from cxmaturity.services.assessments import AlreadySubmitted
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import Respondent

QUESTIONNAIRE = cx_maturity()
ROUNDS = 5


@pytest.fixture
def token(sessions):
    with transaction(sessions) as session:
        _, token = make_respondent(session)
    return token


def stored_levels(sessions, catalogue, token):
    state = assessments.open_respondent(sessions, catalogue, token)
    return {question_id: row.level for question_id, row in state.answers.items()}


def test_two_tabs_saving_different_pages_at_once_lose_nothing(sessions, catalogue, token):
    first_page, second_page = QUESTIONNAIRE.dimensions[0], QUESTIONNAIRE.dimensions[1]
    expected = {}
    for level in range(1, ROUNDS + 1):

        def save_page(dimension, level=level):
            def save():
                changes = {q.id: AnswerInput(level) for q in dimension.questions}
                assessments.save_answers(sessions, catalogue, token, changes)

            return save

        run_together(save_page(first_page), save_page(second_page))
        expected |= {q.id: level for q in (*first_page.questions, *second_page.questions)}
        assert stored_levels(sessions, catalogue, token) == expected


def test_two_saves_of_one_answer_at_once_keep_one_of_them_whole(sessions, catalogue, token):
    question = QUESTIONNAIRE.dimensions[0].questions[0].id
    for _ in range(ROUNDS):
        run_together(
            lambda: assessments.save_answers(
                sessions, catalogue, token, {question: AnswerInput(2, "two")}
            ),
            lambda: assessments.save_answers(
                sessions, catalogue, token, {question: AnswerInput(4, "four")}
            ),
        )
        row = assessments.open_respondent(sessions, catalogue, token).answers[question]
        assert (row.level, row.comment) in {(2, "two"), (4, "four")}


def test_a_save_racing_the_submission_lands_before_it_or_not_at_all(sessions, catalogue):
    question = QUESTIONNAIRE.dimensions[0].questions[0].id
    for _ in range(ROUNDS):
        with transaction(sessions) as session:
            _, token = make_respondent(session, answers={question: 1})
        saved = []

        def save(token=token, saved=saved):
            try:
                assessments.save_answers(sessions, catalogue, token, {question: AnswerInput(5)})
                saved.append(True)
            except AlreadySubmitted:
                saved.append(False)

        run_together(save, lambda token=token: assessments.submit(sessions, token))
        state = assessments.open_respondent(sessions, catalogue, token)
        assert state.submitted
        assert state.answers[question].level == (5 if saved == [True] else 1)
        with reading(sessions) as session:
            respondent = session.get_one(Respondent, state.respondent_id)
            assert all(
                answer.updated_at <= respondent.submitted_at for answer in respondent.answers
            )
