"""Fixtures for every test: databases on SQLite and PostgreSQL, the app, its client and runner.

Tests that need a system tool (pdftoppm, Chromium, PostgreSQL, Redis) are skipped with an
install hint where it is missing, and fail under CI=true: see tests/system_tools.py.
"""

import secrets

import psycopg
import pytest
import system_tools  # tests/ is on the path (pyproject: pythonpath), like `factories`
from psycopg.conninfo import make_conninfo
from smtp_server import LocalSmtpServer
from sqlalchemy.engine import make_url

from cxmaturity import create_app
from cxmaturity.store.database import upgrade_database
from cxmaturity.web.context import services_of

POSTGRESQL_ADMIN_URL = system_tools.POSTGRESQL_ADMIN_URL

# One rule for every missing tool: the `requires` marker (and `browser`, `postgres`).
pytest_collection_modifyitems = system_tools.pytest_collection_modifyitems
pytest_runtest_setup = system_tools.pytest_runtest_setup
pytest_report_header = system_tools.pytest_report_header


# --- database_url: an empty database per test, on SQLite and on PostgreSQL -------------


@pytest.fixture(scope="session")
def postgresql_database():
    """The name of a database of this test session's own (one per xdist worker).

    Dropped at the end of the session.
    """
    system_tools.require("postgresql")
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


@pytest.fixture
def migrated_database_url(database_url):
    """The URL of a database with every migration applied, and nothing in it."""
    upgrade_database(database_url)
    return database_url


# --- the app, flaskr style --------------------------------------------------------------


@pytest.fixture
def app_config():
    """More configuration for the `app` fixture; a test module overrides this fixture
    to give its app e.g. an SMTP server (`{"SMTP_URL": smtp_server.url}`)."""
    return {}


@pytest.fixture
def app(migrated_database_url, tmp_path, monkeypatch, app_config):
    """The app on a fresh, migrated database, with its own instance folder."""
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": migrated_database_url,
            "SERVER_NAME": "localhost",
            "BASE_URL": "https://cx.example.org",
            **app_config,
        }
    )
    yield app
    services_of(app).close()


@pytest.fixture
def sessions(app):
    """The app's own sessionmaker, for arranging rows with the factories."""
    return services_of(app).sessions


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port, started for the test; see tests/smtp_server.py."""
    server = LocalSmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the app's `flask cx …` commands in-process."""
    return app.test_cli_runner()
