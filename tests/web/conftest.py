"""Fixtures for the web tests: an app on a fresh, migrated database per test."""

import sys
from pathlib import Path

import pytest

from cxmaturity import create_app
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import upgrade_database
from cxmaturity.web.context import services_of

sys.path.insert(0, str(Path(__file__).resolve().parent))

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(database_url, tmp_path):
    upgrade_database(database_url)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "SERVER_NAME": "localhost",
        }
    )
    yield app
    services_of(app).engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def questionnaire(app):
    return catalogue_for(PROJECT_ROOT / "questionnaires").get("cx-maturity")
