"""Fixtures for the web tests; `app` and `client` come from tests/conftest.py."""

import sys
from pathlib import Path

import pytest

from cxmaturity.web.context import services_of

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def questionnaire(app):
    """The questionnaire the app's start page offers."""
    return services_of(app).catalogue.get(app.config["QUESTIONNAIRE_ID"])
