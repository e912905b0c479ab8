"""Fixtures for service tests: a migrated database (SQLite and PostgreSQL) and the catalogue."""

import pytest
from factories import PROJECT_ROOT

from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory


@pytest.fixture
def sessions(migrated_database_url):
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def catalogue():
    return catalogue_for(PROJECT_ROOT / "questionnaires")
