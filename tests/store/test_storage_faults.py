"""The store tells faults of the storage from bugs, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from storage_faults import make_read_only

from cxmaturity.services.errors import StorageUnavailable
from cxmaturity.store.database import (
    make_engine,
    run_in_transaction,
    run_reading,
    session_factory,
    upgrade_database,
)
from cxmaturity.store.models import Organization, Workspace


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_a_write_to_a_read_only_database_raises_storage_unavailable(engine):
    make_read_only(engine)
    sessions = session_factory(engine)

    with pytest.raises(StorageUnavailable) as caught:
        run_in_transaction(sessions, lambda session: session.add(Organization(name="A")))

    assert "read" in str(caught.value).lower()  # the database's own words, for the log
    # Reading still works, and nothing was half-written.
    count = run_reading(sessions, lambda s: s.scalar(text("SELECT count(*) FROM organizations")))
    assert count == 0


def test_a_broken_rule_stays_an_error_of_the_code_not_a_fault(engine):
    sessions = session_factory(engine)

    with pytest.raises(IntegrityError):
        run_in_transaction(
            sessions,
            lambda session: session.add(
                Organization(name="A", size="x", workspace=Workspace(slug="a", name="A"))
            ),
        )
    with pytest.raises(Exception) as caught:
        run_reading(sessions, lambda session: session.execute(text("SELECT * FROM nowhere")))
    assert not isinstance(caught.value, StorageUnavailable)


def raise_on_server(sqlstate: str):
    """A statement after which PostgreSQL itself reports the error `sqlstate`."""
    return text(
        f"DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '{sqlstate}'; END $$"
    )


postgres_only = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


@postgres_only
@pytest.mark.parametrize(
    ("sqlstate", "fault"),
    [
        ("53100", True),  # disk full
        ("53300", True),  # too many connections
        ("25006", True),  # read-only transaction (a standby after fail-over)
        ("40001", True),  # serialization failure
        ("40P01", True),  # deadlock
        ("57P01", True),  # admin shutdown
        ("23505", False),  # unique violation: a bug
        ("42P01", False),  # undefined table: a bug (or a missing migration)
        ("22001", False),  # value too long: a bug
    ],
)
def test_postgresql_errors_are_faults_only_where_trying_again_can_help(engine, sqlstate, fault):
    sessions = session_factory(engine)
    with pytest.raises(Exception) as caught:
        run_in_transaction(sessions, lambda session: session.execute(raise_on_server(sqlstate)))
    assert isinstance(caught.value, StorageUnavailable) is fault
