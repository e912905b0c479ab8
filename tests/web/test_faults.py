"""Faults of the database answer 503 "not saved, try again", never 500 (DESIGN §11).

The faults are real: SQLite's own read-only mode and page limit, PostgreSQL's
read-only transactions and its own disk-full error, and connections killed
from a second connection with pg_terminate_backend at a chosen moment.
"""

from __future__ import annotations

import html

import psycopg
import pytest
import storage_faults
from sqlalchemy import event
from web_helpers import csrf_token, is_checked, start_assessment

from cxmaturity.web.context import services_of

COMMENT = "Wir messen NPS nur einmal im Jahr — zu selten."
NOT_SAVED_EN = "Not saved: the database is not available just now. Please try again in a moment."
NOT_SAVED_DE = "Nicht gespeichert: Die Datenbank ist gerade nicht erreichbar."


def engine_of(app):
    return services_of(app).engine


def make_read_only(app) -> None:
    storage_faults.make_read_only(engine_of(app))


def fill_the_disk(app) -> None:
    storage_faults.fill_the_disk(engine_of(app))


def page_with_answers(client, token, number, questions):
    page = client.get(f"/r/{token}/d/{number}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "action": "next"}
    for question in questions:
        form[f"answer-{question.id}"] = "3"
        # Long enough that storing the page needs new database pages.
        form[f"comment-{question.id}"] = f"{COMMENT} {'x' * 1900}"
    return form


def assert_typed_answers_kept(page, questions):
    for question in questions:
        assert is_checked(page, f"answer-{question.id}-2"), question.id  # level 3
    assert html.escape(COMMENT, quote=False) in page


def assert_nothing_stored(client, token, questions):
    page = client.get(f"/r/{token}/d/1").get_data(as_text=True)
    assert "0 of 42 answered" in page
    assert not any(is_checked(page, f"answer-{q.id}-2") for q in questions)


def test_a_save_on_a_read_only_database_answers_503_and_shows_what_was_typed(
    app, client, questionnaire
):
    token = start_assessment(client)
    questions = questionnaire.dimensions[0].questions
    form = page_with_answers(client, token, 1, questions)
    make_read_only(app)

    response = client.post(f"/r/{token}/d/1", data=form)

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert NOT_SAVED_EN in page
    assert_typed_answers_kept(page, questions)
    assert_nothing_stored(client, token, questions)  # reading still works


def test_a_save_on_a_full_disk_answers_503_and_shows_what_was_typed(app, client, questionnaire):
    token = start_assessment(client)
    questions = questionnaire.dimensions[0].questions
    form = page_with_answers(client, token, 1, questions)
    fill_the_disk(app)

    response = client.post(f"/r/{token}/d/1", data=form)

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert NOT_SAVED_EN in page
    assert_typed_answers_kept(page, questions)


def test_autosave_on_a_read_only_database_answers_503_in_json(app, client, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[2].questions[0]
    page = client.get(f"/r/{token}/d/3").get_data(as_text=True)
    make_read_only(app)

    response = client.post(
        f"/r/{token}/d/3/autosave",
        data={"csrf_token": csrf_token(page), f"answer-{question.id}": "2"},
    )

    assert response.status_code == 503
    assert response.is_json
    assert response.get_json() == {"saved": False, "message": "Not saved. Please try again."}
    assert response.headers["Retry-After"].isdigit()


def test_the_fault_message_is_in_the_respondents_language(app, client, questionnaire):
    token = start_assessment(client, language="de")
    questions = questionnaire.dimensions[0].questions
    form = page_with_answers(client, token, 1, questions)
    make_read_only(app)

    response = client.post(f"/r/{token}/d/1", data=form)

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert '<html lang="de">' in page and NOT_SAVED_DE in page
    assert NOT_SAVED_EN not in page


def test_starting_on_a_read_only_database_answers_503_keeping_what_was_typed(app, client):
    page = client.get("/").get_data(as_text=True)
    make_read_only(app)
    response = client.post(
        "/start",
        data={
            "csrf_token": csrf_token(page),
            "organization": "Müller GmbH",
            "period": "2026-Q4",
            "language": "en",
        },
    )
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert NOT_SAVED_EN in page
    assert 'value="Müller GmbH"' in page


# --- PostgreSQL: connections killed mid-request -------------------------------


class Killer:
    """Terminates the app's connection from a second one, at a chosen moment.

    `at="statement"`: when a statement starting with `statement_start` begins;
    `at="commit"`: when the transaction that ran such a statement commits.
    `seen` counts those statements.
    """

    def __init__(self, app, statement_start: str, times: int, at: str = "statement"):
        self.engine = engine_of(app)
        self.admin_url = self.engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        self.statement_start = statement_start
        self.remaining = times
        self.at = at
        self.seen = 0
        event.listen(self.engine, "before_cursor_execute", self.before_statement)
        event.listen(self.engine, "commit", self.before_commit)

    def kill(self, connection) -> None:
        pid = connection.connection.dbapi_connection.info.backend_pid
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            # Waits (up to 5 s) until the backend has really ended.
            admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))

    def before_statement(self, connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(self.statement_start):
            self.seen += 1
            if self.at == "statement" and self.remaining > 0:
                self.remaining -= 1
                self.kill(connection)

    def before_commit(self, connection):
        if self.at == "commit" and self.seen and self.remaining > 0:
            self.remaining -= 1
            self.kill(connection)


postgres_only = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


@postgres_only
def test_a_connection_killed_once_during_a_save_is_retried_and_the_answers_are_saved(
    app, client, questionnaire
):
    token = start_assessment(client)
    questions = questionnaire.dimensions[0].questions
    form = page_with_answers(client, token, 1, questions)
    killer = Killer(app, "INSERT INTO ANSWERS", times=1)

    response = client.post(f"/r/{token}/d/1", data=form)

    assert response.status_code == 302, response.get_data(as_text=True)
    assert killer.seen == 2  # killed, then the whole save again on a new connection
    page = client.get(f"/r/{token}/d/1").get_data(as_text=True)
    assert f"{len(questions)} of 42 answered" in page


@postgres_only
def test_a_connection_killed_on_every_try_answers_503_keeping_what_was_typed(
    app, client, questionnaire
):
    token = start_assessment(client)
    questions = questionnaire.dimensions[0].questions
    form = page_with_answers(client, token, 1, questions)
    Killer(app, "INSERT INTO ANSWERS", times=2)

    response = client.post(f"/r/{token}/d/1", data=form)

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert NOT_SAVED_EN in page
    assert_typed_answers_kept(page, questions)
    assert_nothing_stored(client, token, questions)


@postgres_only
def test_a_connection_killed_at_the_commit_is_not_retried(app, client, questionnaire):
    token = start_assessment(client)
    questions = questionnaire.dimensions[0].questions
    form = page_with_answers(client, token, 1, questions)
    killer = Killer(app, "INSERT INTO ANSWERS", times=1, at="commit")

    response = client.post(f"/r/{token}/d/1", data=form)

    # The commit may have reached the server: saving again is the user's call.
    assert response.status_code == 503
    assert killer.seen == 1
    assert NOT_SAVED_EN in response.get_data(as_text=True)


@postgres_only
def test_a_page_whose_reads_fail_twice_answers_503_and_once_is_retried(app, client):
    token = start_assessment(client)
    Killer(app, "SELECT RESPONDENTS", times=1)
    assert client.get(f"/r/{token}/d/1").status_code == 200

    Killer(app, "SELECT RESPONDENTS", times=2)
    response = client.get(f"/r/{token}/d/1")
    assert response.status_code == 503
    assert "the database is not available" in response.get_data(as_text=True)


@postgres_only
def test_a_connection_killed_once_while_starting_is_retried_and_the_assessment_starts(app, client):
    killer = Killer(app, "INSERT INTO ORGANIZATIONS", times=1)

    token = start_assessment(client)  # asserts the redirect to the first page

    assert killer.seen == 2
    assert client.get(f"/r/{token}/d/1").status_code == 200


@postgres_only
def test_an_expired_form_on_an_unreachable_database_answers_503_not_500(app, client, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[0].id
    Killer(app, "SELECT RESPONDENTS", times=2)

    response = client.post(
        f"/r/{token}/d/1", data={"csrf_token": "stale", f"answer-{question}": "3"}
    )

    assert response.status_code == 503
    assert "the database is not available" in response.get_data(as_text=True)
