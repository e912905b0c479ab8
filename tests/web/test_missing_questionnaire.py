"""An assessment whose questionnaire version was removed gets a clear page, never a 500."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from factories import CX_MATURITY_FILE
from web_helpers import answer_page, csrf_token, start_assessment

from cxmaturity import create_app
from cxmaturity.web.context import services_of

MESSAGE_EN = (
    "This assessment was answered with the questionnaire “cx-maturity”, version 1.0, "
    "which this server no longer has."
)
RESTORE_EN = "put the file of “cx-maturity” version 1.0 back into the questionnaires folder"


@pytest.fixture
def app_config(tmp_path):
    """The app before: only cx-maturity 1.0, so that the assessment started is of 1.0."""
    folder = tmp_path / "only-1.0"
    folder.mkdir()
    shutil.copy(CX_MATURITY_FILE, folder / "cx-maturity.yaml")
    return {"QUESTIONNAIRES_DIR": str(folder)}


@pytest.fixture
def app_without_version_1(app, database_url, tmp_path):
    """The same database, served from a folder where only version 2.0 is left."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    text = (Path(app.config["QUESTIONNAIRES_DIR"]) / "cx-maturity.yaml").read_text(encoding="utf-8")
    assert 'version: "1.0"' in text
    (folder / "cx-maturity.yaml").write_text(text.replace('version: "1.0"', 'version: "2.0"', 1))
    later = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "SERVER_NAME": "localhost",
            "QUESTIONNAIRES_DIR": str(folder),
        }
    )
    yield later
    services_of(later).close()
    shutil.rmtree(folder)


def test_every_page_of_the_assessment_names_the_missing_questionnaire_version(
    app, app_without_version_1, caplog
):
    before = app.test_client()
    token = start_assessment(before)
    assert answer_page(before, token, 1, {"strategy-goals": "3"}).status_code == 302

    after = app_without_version_1.test_client()
    # The start page still works: new assessments use the version that is there.
    start_page = after.get("/")
    assert start_page.status_code == 200
    with caplog.at_level(logging.ERROR):
        for path in ("/", "d/1", "d/2", "review", "results"):
            url = f"/r/{token}/" if path == "/" else f"/r/{token}/{path}"
            response = after.get(url)
            assert response.status_code == 503, url
            text = response.get_data(as_text=True)
            assert MESSAGE_EN in text and RESTORE_EN in text, url
        saved = after.post(
            f"/r/{token}/d/2/autosave",
            data={"csrf_token": csrf_token(start_page.get_data(as_text=True))},
        )
    assert saved.status_code == 503 and saved.get_json()["saved"] is False
    assert "cx-maturity" in saved.get_json()["message"]
    assert "questionnaire 'cx-maturity' version '1.0' is not known" in caplog.text
    assert token not in caplog.text


def test_the_missing_questionnaire_page_is_in_the_visitors_language(app, app_without_version_1):
    token = start_assessment(app.test_client(), language="de")
    # Without its questionnaire the assessment's own language is not read: the browser's counts.
    response = app_without_version_1.test_client().get(
        f"/r/{token}/d/1", headers={"Accept-Language": "de"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert '<html lang="de">' in text and "Version 1.0" in text
    assert MESSAGE_EN not in text
