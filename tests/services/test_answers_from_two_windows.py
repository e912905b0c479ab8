"""Two windows on one private link: a save changes only what its page changed (three-way merge)."""

import pytest
from factories import cx_maturity, make_respondent

from cxmaturity.services import assessments
from cxmaturity.services.answering import CLEAR, AnswerInput, AnswerRow
from cxmaturity.store.database import transaction

QUESTIONNAIRE = cx_maturity()
FIRST, SECOND = (question.id for question in QUESTIONNAIRE.dimensions[1].questions[:2])
EMPTY = AnswerRow()


@pytest.fixture
def token(sessions):
    with transaction(sessions) as session:
        _, token = make_respondent(session)
    return token


def stored(sessions, catalogue, token, question_id=FIRST):
    return assessments.open_respondent(sessions, catalogue, token).answers.get(question_id)


def page_post(sessions, catalogue, token, page: dict):
    """Save a page as a browser sends it: every question, with what the page showed."""
    changes = {
        question_id: AnswerInput(choice, comment, shown)
        for question_id, (choice, comment, shown) in page.items()
    }
    return assessments.save_answers(sessions, catalogue, token, changes)


def test_a_stale_window_does_not_undo_the_comment_saved_in_another(sessions, catalogue, token):
    # Tabs A and B both opened the page while nothing was answered.
    page_post(sessions, catalogue, token, {FIRST: (1, "from tab A", EMPTY)})  # tab A
    tab_b = page_post(sessions, catalogue, token, {FIRST: (5, "", EMPTY)})  # tab B chose 5

    assert stored(sessions, catalogue, token) == AnswerRow(5, False, "from tab A")
    # B changed the choice that A had changed too: B's later choice won, and it is told.
    assert tab_b.conflicts == {FIRST} and tab_b.changed_elsewhere == {FIRST}


def test_a_window_that_changed_nothing_keeps_what_another_stored_and_says_so(
    sessions, catalogue, token
):
    shown_in_a = AnswerRow(1, False, "from tab A")
    page_post(sessions, catalogue, token, {FIRST: (1, "from tab A", EMPTY)})
    page_post(sessions, catalogue, token, {FIRST: (5, "", EMPTY)})  # tab B

    # Tab A presses "Save" without touching the question, then B answers question 2.
    tab_a = page_post(sessions, catalogue, token, {FIRST: (1, "from tab A", shown_in_a)})
    assert tab_a.changed_elsewhere == {FIRST} and tab_a.conflicts == frozenset()
    shown_in_b = AnswerRow(5, False, "from tab A")
    page_post(
        sessions,
        catalogue,
        token,
        {FIRST: (5, "from tab A", shown_in_b), SECOND: (2, "", EMPTY)},
    )
    assert stored(sessions, catalogue, token) == AnswerRow(5, False, "from tab A")
    assert stored(sessions, catalogue, token, SECOND).level == 2


def test_an_unchanged_page_reports_nothing_and_writes_nothing(sessions, catalogue, token):
    page_post(sessions, catalogue, token, {FIRST: (3, "Budget", EMPTY)})
    same = AnswerRow(3, False, "Budget")
    state = page_post(
        sessions, catalogue, token, {FIRST: (3, "Budget", same), SECOND: (None, "", EMPTY)}
    )
    assert state.changed_elsewhere == frozenset() and state.conflicts == frozenset()
    assert stored(sessions, catalogue, token, SECOND) is None  # no empty row for an open question


def test_line_breaks_sent_as_cr_lf_are_the_comment_the_page_showed(sessions, catalogue, token):
    page_post(sessions, catalogue, token, {FIRST: (2, "line one\nline two", EMPTY)})
    page_post(sessions, catalogue, token, {FIRST: (4, "", EMPTY)})  # another window
    shown = AnswerRow(2, False, "line one\nline two")
    state = page_post(sessions, catalogue, token, {FIRST: (2, "line one\r\nline two", shown)})
    assert stored(sessions, catalogue, token).level == 4
    assert state.conflicts == frozenset()


def test_clearing_takes_back_the_answer_but_a_repeated_clear_keeps_a_later_choice(
    sessions, catalogue, token
):
    page_post(sessions, catalogue, token, {FIRST: (3, "", EMPTY)})
    page_post(sessions, catalogue, token, {FIRST: (CLEAR, "", AnswerRow(3))})
    assert not stored(sessions, catalogue, token).answered
    page_post(sessions, catalogue, token, {FIRST: (4, "", EMPTY)})  # another window answers
    # The clearing window saves again (its clear marker is still on the page).
    state = page_post(sessions, catalogue, token, {FIRST: (CLEAR, "", EMPTY)})
    assert stored(sessions, catalogue, token).level == 4
    assert state.changed_elsewhere == {FIRST}


def test_a_change_without_what_the_page_showed_is_applied_as_given(sessions, catalogue, token):
    """The API and imports have no page: their input is the answer."""
    page_post(sessions, catalogue, token, {FIRST: (1, "from tab A", EMPTY)})
    state = assessments.save_answers(sessions, catalogue, token, {FIRST: AnswerInput(5, "")})
    assert stored(sessions, catalogue, token) == AnswerRow(5, False, "")
    assert state.changed_elsewhere == frozenset()
