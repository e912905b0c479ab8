"""After a submit the report is rendered in the background, so the download is a cache hit."""

import io
import secrets
import time

import pytest
from pypdf import PdfReader

from cxmaturity.web.context import services_of

WAIT_SECONDS = 90


@pytest.fixture
def app(app):
    """The app of tests/conftest.py, its forms posted without CSRF tokens."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def answer_everything(client, token, questionnaire, level):
    for number, dimension in enumerate(questionnaire.dimensions, start=1):
        form = {f"answer-{question.id}": str(level) for question in dimension.questions}
        response = client.post(f"/r/{token}/d/{number}", data={**form, "action": "next"})
        assert response.status_code == 302


def test_the_report_is_in_the_cache_soon_after_the_submit(app):
    client = app.test_client()
    organization = f"Müller GmbH {secrets.token_hex(4)}"
    response = client.post(
        "/start",
        data={
            "organization": organization,
            "period": "2026-Q4",
            "language": "de",
            "respondent": "Anna",
            "industry": "retail",
            "size": "50-249",
        },
    )
    token = response.headers["Location"].split("/r/")[1].split("/")[0]
    questionnaire = services_of(app).catalogue.get("cx-maturity")
    answer_everything(client, token, questionnaire, 3)
    cache = services_of(app).report_cache
    assert client.post(f"/r/{token}/submit").status_code == 302

    deadline = time.monotonic() + WAIT_SECONDS
    while cache.renders == 0 and time.monotonic() < deadline:
        time.sleep(0.1)  # the respondent reads the results page meanwhile
    assert cache.renders == 1, "the submit rendered no report in the background"

    download = client.get(f"/r/{token}/report.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert cache.renders == 1  # served from the cache: nothing rendered again
    first_page = PdfReader(io.BytesIO(download.data)).pages[0].extract_text()
    assert organization in first_page and "Anna" in first_page
