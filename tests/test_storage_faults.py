"""The store tells faults of the storage from bugs, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from cxmaturity.services.errors import StorageUnavailable
from cxmaturity.store.database import (
    make_engine,
    run_in_transaction,
    run_reading,
    session_factory,
    upgrade_database,
)
from cxmaturity.store.models import Organization


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def read_only(engine):
    @event.listens_for(engine, "connect")
    def refuse_writes(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()
        cursor.close()


def test_a_write_to_a_read_only_database_raises_storage_unavailable(engine):
    read_only(engine)
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
        run_in_transaction(sessions, lambda session: session.add(Organization(name="A", size="x")))
    with pytest.raises(Exception) as caught:
        run_reading(sessions, lambda session: session.execute(text("SELECT * FROM nowhere")))
    assert not isinstance(caught.value, StorageUnavailable)
