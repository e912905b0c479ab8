"""Saving at the same time loses nothing; answers outlive the server process."""

from concurrency import run_together
from web_helpers import answer_page, start_assessment

from cxmaturity import create_app
from cxmaturity.services import assessments
from cxmaturity.web.context import services_of

ROUNDS = 3


def stored_answers(app, token):
    database = services_of(app)
    catalogue = services_of(app).catalogue
    state = assessments.open_respondent(database.sessions, catalogue, token)
    return {question: row.level for question, row in state.answers.items()}


def test_two_respondents_of_one_assessment_saving_at_once_lose_nothing(app, questionnaire):
    first_client, second_client = app.test_client(), app.test_client()
    first = start_assessment(first_client)
    state = assessments.open_respondent(
        services_of(app).sessions,
        services_of(app).catalogue,
        first,
    )
    second = assessments.invite_respondent(
        services_of(app).sessions, state.assessment_id, "CMO", "en"
    )
    expected_first, expected_second = {}, {}

    def fill(client, token, expected, level):
        def job():
            for number, dimension in enumerate(questionnaire.dimensions, start=1):
                answers = {q.id: str(level) for q in dimension.questions}
                assert answer_page(client, token, number, answers).status_code == 302
                expected.update({q.id: level for q in dimension.questions})

        return job

    run_together(
        fill(first_client, first, expected_first, 2),
        fill(second_client, second, expected_second, 4),
    )
    assert stored_answers(app, first) == expected_first
    assert stored_answers(app, second) == expected_second
    assert len(expected_first) == 42


def test_two_tabs_of_one_respondent_saving_different_pages_at_once_lose_nothing(app, questionnaire):
    tab_one = app.test_client()
    token = start_assessment(tab_one)
    tab_two = app.test_client()
    tab_two.set_cookie("session", tab_one.get_cookie("session").value, domain="localhost")
    halves = (questionnaire.dimensions[:4], questionnaire.dimensions[4:])

    def fill(client, dimensions, offset, level):
        def job():
            for _ in range(ROUNDS):
                for number, dimension in enumerate(dimensions, start=1 + offset):
                    answers = {q.id: str(level) for q in dimension.questions}
                    assert answer_page(client, token, number, answers).status_code == 302

        return job

    run_together(fill(tab_one, halves[0], 0, 1), fill(tab_two, halves[1], 4, 5))
    stored = stored_answers(app, token)
    assert len(stored) == 42
    for dimension in halves[0]:
        assert {stored[q.id] for q in dimension.questions} == {1}
    for dimension in halves[1]:
        assert {stored[q.id] for q in dimension.questions} == {5}


def test_an_old_tab_does_not_erase_answers_given_in_another_tab(app, client, questionnaire):
    token = start_assessment(client)
    first, second = questionnaire.dimensions[0].questions[:2]
    answer_page(client, token, 1, {first.id: "4"})
    # The other tab was opened before and only answers the second question.
    answer_page(client, token, 1, {second.id: "2"})
    assert stored_answers(app, token) == {first.id: 4, second.id: 2}


def test_answers_survive_a_server_restart(app, client, database_url, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[3].questions[2]
    answer_page(client, token, 4, {question.id: "5"})
    services_of(app).close()

    restarted = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "another-process",
            "DATABASE_URL": database_url,
            "SERVER_NAME": "localhost",
        }
    )
    page = restarted.test_client().get(f"/r/{token}/d/4").get_data(as_text=True)
    assert "1 of 42 answered" in page
    assert stored_answers(restarted, token) == {question.id: 5}
    services_of(restarted).close()
