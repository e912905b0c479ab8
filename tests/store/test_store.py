"""The store on SQLite and PostgreSQL: constraints, queries, concurrent saves, restarts."""

from __future__ import annotations

import datetime
import multiprocessing
import secrets
import threading

import pytest
from concurrency import run_together
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlite_writers import save, save_answers_in_own_process

from cxmaturity.config import default_database_url
from cxmaturity.domain.responses import AnswerRow
from cxmaturity.store.database import (
    make_engine,
    normalize_url,
    reading,
    session_factory,
    transaction,
    upgrade_database,
)
from cxmaturity.store.models import (
    Answer,
    Assessment,
    Organization,
    Respondent,
    User,
    Workspace,
    hash_token,
)
from cxmaturity.store.queries import (
    answers_of,
    assessments_of_organization,
    previous_assessment,
    respondent_by_token_hash,
    submitted_respondents_with_answers,
    upsert_answers,
)
from cxmaturity.store.queries.accounts import user_by_email

ROUNDS = 30


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def new_slug() -> str:
    return f"ws-{secrets.token_hex(4)}"


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def add_assessment(session, period="2026-Q4", organization=None) -> Assessment:
    organization = organization or Organization(
        name="Müller GmbH", size="50-249", workspace=Workspace(slug=new_slug(), name="W")
    )
    assessment = Assessment(
        organization=organization,
        questionnaire_id="cx-maturity",
        questionnaire_version="1.0",
        period=period,
    )
    session.add(assessment)
    session.flush()
    return assessment


def add_respondent(session, token="secret-token", assessment=None) -> Respondent:
    respondent = Respondent(
        assessment=assessment or add_assessment(session), token_hash=hash_token(token)
    )
    session.add(respondent)
    session.flush()
    return respondent


@pytest.fixture
def respondent_id(sessions) -> int:
    with transaction(sessions) as session:
        return add_respondent(session).id


def stored(sessions, respondent_id):
    with sessions() as session:
        return answers_of(session, respondent_id)


def test_saving_an_answer_again_replaces_it(sessions, respondent_id):
    save(sessions, respondent_id, {"q1": AnswerRow(level=2), "q2": AnswerRow(level=4)})
    save(sessions, respondent_id, {"q1": AnswerRow(not_applicable=True, comment="n/a here")})

    assert stored(sessions, respondent_id) == {
        "q1": AnswerRow(level=None, not_applicable=True, comment="n/a here"),
        "q2": AnswerRow(level=4),
    }
    with sessions() as session:
        assert len(session.scalars(select(Answer)).all()) == 2


@pytest.mark.parametrize(
    "bad",
    [AnswerRow(level=0), AnswerRow(level=6), AnswerRow(level=3, not_applicable=True)],
    ids=["level 0", "level 6", "level and not applicable"],
)
def test_the_database_refuses_an_impossible_answer_and_keeps_the_rest_unchanged(
    sessions, respondent_id, bad
):
    save(sessions, respondent_id, {"q1": AnswerRow(level=1)})

    with pytest.raises(IntegrityError):
        save(sessions, respondent_id, {"q1": AnswerRow(level=5), "q2": bad})

    assert stored(sessions, respondent_id) == {"q1": AnswerRow(level=1)}


def test_saving_for_a_respondent_that_does_not_exist_raises_lookup_error(sessions):
    with pytest.raises(LookupError), transaction(sessions) as session:
        upsert_answers(session, 999, {"q1": AnswerRow(level=1)})


def test_a_respondent_is_found_by_token_hash_with_assessment_and_organization(sessions):
    with transaction(sessions) as session:
        add_respondent(session, token="the-token")
        add_respondent(session, token="another-token")

    with sessions() as session:
        found = respondent_by_token_hash(session, hash_token("the-token"))
        assert respondent_by_token_hash(session, hash_token("no-such-token")) is None
    # Loaded eagerly: still readable with the session closed.
    assert found.token_hash == hash_token("the-token")
    assert found.assessment.organization.name == "Müller GmbH"
    assert found.status == "in_progress"
    assert found.language == "en"


def test_two_respondents_cannot_share_a_token(sessions):
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        assessment = add_assessment(session)
        add_respondent(session, token="same", assessment=assessment)
        add_respondent(session, token="same", assessment=assessment)


def test_deleting_a_respondent_deletes_its_answers(sessions, respondent_id):
    save(sessions, respondent_id, {"q1": AnswerRow(level=3), "q2": AnswerRow(level=4)})
    with transaction(sessions) as session:
        # A plain DELETE, not the ORM cascade: the database itself removes the answers.
        session.execute(delete(Respondent).where(Respondent.id == respondent_id))

    with sessions() as session:
        assert session.scalars(select(Answer)).all() == []


def test_timestamps_come_back_as_utc_datetimes(sessions, respondent_id):
    submitted = datetime.datetime(
        2026, 11, 2, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    with transaction(sessions) as session:
        respondent = session.get(Respondent, respondent_id)
        respondent.status, respondent.submitted_at = "submitted", submitted

    with sessions() as session:
        respondent = session.get(Respondent, respondent_id)
    assert respondent.submitted_at == submitted
    assert respondent.submitted_at.utcoffset() == datetime.timedelta(0)
    assert respondent.created_at.tzinfo is not None


def test_submitted_respondents_come_with_their_answers(sessions):
    with transaction(sessions) as session:
        assessment = add_assessment(session)
        done = add_respondent(session, token="done", assessment=assessment)
        add_respondent(session, token="busy", assessment=assessment)
        done.status, done.submitted_at = "submitted", datetime.datetime.now(datetime.UTC)
        assessment_id, done_id = assessment.id, done.id
    save(sessions, done_id, {"q1": AnswerRow(level=2)})

    with sessions() as session:
        found = submitted_respondents_with_answers(session, assessment_id)
    assert [respondent.id for respondent in found] == [done_id]
    assert [answer.level for answer in found[0].answers] == [2]


def test_assessments_of_an_organization_in_period_order_and_the_previous_closed_one(sessions):
    with transaction(sessions) as session:
        organization = Organization(name="Acme", workspace=Workspace(slug=new_slug(), name="W"))
        for period in ("2026-Q3", "2025-Q4", "2026-Q1", "2026-Q2"):
            add_assessment(session, period, organization).status = "closed"
        other = Assessment(
            organization=organization,
            questionnaire_id="other",
            questionnaire_version="1.0",
            period="2026-Q2",
            status="closed",
        )
        session.add(other)
        session.flush()
        # Still open: "since last period" compares with the latest closed one (DESIGN §4.9).
        assessments_of_organization(session, organization.id)[2].status = "open"
        add_assessment(session, "2026-Q1").status = "closed"  # another organization
        organization_id = organization.id

    with sessions() as session:
        periods = [a.period for a in assessments_of_organization(session, organization_id)]
        before = previous_assessment(session, organization_id, "cx-maturity", "2026-Q3")
        first = previous_assessment(session, organization_id, "cx-maturity", "2025-Q4")
    assert periods == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q2", "2026-Q3"]
    assert (before.period, before.questionnaire_id) == ("2026-Q1", "cx-maturity")
    assert first is None


def test_email_addresses_are_unique_whatever_their_letter_case(sessions):
    def user(email):
        return User(email=email, password_hash="x", display_name="Anna")

    with transaction(sessions) as session:
        session.add(user("Anna@Example.com"))
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.add(user("anna@example.COM"))

    with sessions() as session:
        assert user_by_email(session, " ANNA@example.com").email == "Anna@Example.com"


def test_two_saves_of_different_answers_at_once_lose_nothing(sessions, respondent_id):
    for round_number in range(ROUNDS):
        run_together(
            lambda n=round_number: save(sessions, respondent_id, {f"a{n}": AnswerRow(level=1)}),
            lambda n=round_number: save(sessions, respondent_id, {f"b{n}": AnswerRow(level=2)}),
        )

    answers = stored(sessions, respondent_id)
    assert len(answers) == 2 * ROUNDS
    assert all(answers[f"b{n}"] == AnswerRow(level=2) for n in range(ROUNDS))


def test_two_saves_of_the_same_answer_at_once_keep_one_of_them(sessions, respondent_id):
    for round_number in range(ROUNDS):
        question = f"q{round_number}"
        run_together(
            lambda q=question: save(sessions, respondent_id, {q: AnswerRow(level=1)}),
            lambda q=question: save(sessions, respondent_id, {q: AnswerRow(level=5)}),
        )

    answers = stored(sessions, respondent_id)
    assert sorted(answers) == sorted(f"q{n}" for n in range(ROUNDS))
    assert {answer.level for answer in answers.values()} <= {1, 5}


def test_two_processes_writing_one_sqlite_file_lose_nothing(tmp_path):
    url = default_database_url(tmp_path)
    upgrade_database(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        respondent_id = add_respondent(session).id

    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [
        context.Process(
            target=save_answers_in_own_process, args=(url, respondent_id, p, start, ROUNDS)
        )
        for p in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert [worker.exitcode for worker in workers] == [0, 0]
    assert len(stored(sessions, respondent_id)) == 2 * ROUNDS
    engine.dispose()


def test_answers_survive_a_new_engine_on_the_same_database(database_url):
    upgrade_database(database_url)
    first = make_engine(database_url)
    with transaction(session_factory(first)) as session:
        respondent_id = add_respondent(session).id
        upsert_answers(session, respondent_id, {"q1": AnswerRow(level=4, comment="Notiz")})
    first.dispose()

    restarted = make_engine(database_url)
    try:
        assert stored(session_factory(restarted), respondent_id) == {
            "q1": AnswerRow(level=4, comment="Notiz")
        }
    finally:
        restarted.dispose()


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    engine = make_engine(default_database_url(tmp_path))
    with engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() >= 10_000
        assert pragma("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.parametrize(
    "url", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"]
)
def test_postgresql_urls_are_pointed_at_psycopg_3(url):
    assert normalize_url(url).drivername == "postgresql+psycopg"


def test_a_reader_does_not_wait_for_an_open_write_transaction(sessions, respondent_id):
    with transaction(sessions) as writer:
        writer.execute(update(Respondent).values(name="changed, not yet committed"))
        seen = []

        def read():
            with reading(sessions) as reader:
                seen.append(reader.scalars(select(Respondent.name)).one())

        thread = threading.Thread(target=read)
        thread.start()
        thread.join(timeout=5)
        # Answered at once, with the committed state, while the write is still open.
        assert seen == [None]
