import sys
from pathlib import Path

# The tests import their shared builders as `factories`.
sys.path.insert(0, str(Path(__file__).resolve().parent))


# --- database_url: an empty database per test, on SQLite and on PostgreSQL -------------
# PostgreSQL tests need a server on 127.0.0.1:5432 (CXM_TEST_POSTGRESQL_URL to use
# another). Without one they are skipped, except with CI=true, where they fail:
# CI must never pass by silently leaving PostgreSQL out.
import functools
import os
import secrets

import psycopg
import pytest
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

POSTGRESQL_ADMIN_URL = os.environ.get(
    "CXM_TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
POSTGRESQL_ADMIN_SHOWN = make_url(POSTGRESQL_ADMIN_URL).render_as_string(hide_password=True)
IN_CI = os.environ.get("CI", "").lower() == "true"


@functools.cache
def postgresql_unavailable_reason() -> str | None:
    try:
        with psycopg.connect(POSTGRESQL_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"no PostgreSQL server answers at {POSTGRESQL_ADMIN_SHOWN}: {first_line}"
    return None


def pytest_report_header(config):
    reason = postgresql_unavailable_reason()
    if reason is None:
        return f"postgresql: tests run against {POSTGRESQL_ADMIN_SHOWN}"
    consequence = "FAIL (CI=true)" if IN_CI else "are skipped"
    return f"postgresql: tests {consequence}; {reason}"


@pytest.fixture(scope="session")
def postgresql_database():
    """The name of a database of this test session's own (one per xdist worker).

    Dropped at the end of the session.
    """
    reason = postgresql_unavailable_reason()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    name = f"cxm_test_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_postgresql_database(name: str) -> str:
    with psycopg.connect(make_conninfo(POSTGRESQL_ADMIN_URL, dbname=name), autocommit=True) as db:
        # A test that leaked an open transaction fails the next one instead of hanging it.
        db.execute("SET lock_timeout = '5s'")
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")
    url = make_url(POSTGRESQL_ADMIN_URL).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """The URL of an empty database (no tables): a temporary SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cxmaturity.sqlite3'}"
    return _empty_postgresql_database(request.getfixturevalue("postgresql_database"))
