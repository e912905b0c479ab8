"""A client assessed on the shipped cx-maturity 1.0 in 2026-Q4 and on 1.1 in 2027-Q1 (issue
13): the client page's history and the results page's "since last quarter" mark each
dimension bridged, with its like-for-like change beside the change. The app loads the
shipped questionnaires/ folder, as in production.
"""

from __future__ import annotations

import html
import re

import pytest
from factories import make_member, make_organization, make_workspace
from shipped_quarters import CHANGED_IN_1_1, documents
from web_helpers import log_in

from cxmaturity.services.assessment_import import import_answers
from cxmaturity.store.database import transaction
from cxmaturity.web.context import services_of

TITLES = {
    "strategy": "Strategy & leadership",
    "customer-understanding": "Customer understanding",
    "touchpoints": "Touchpoints & channels",
    "measurement": "Measurement & KPIs",
    "data-technology": "Data & technology",
    "personalization": "Personalization & privacy",
    "service-voc": "Service & voice of the customer",
    "culture": "Culture & organization",
}
# Shown changes (half up, one decimal) of tests/shipped_quarters.py.
SHOWN_CHANGE = {
    "strategy": "+1.3",
    "customer-understanding": "+1.7",
    "touchpoints": "+1.3",
    "measurement": "+1.3",
    "data-technology": "+1.3",
    "personalization": "+1.6",
    "service-voc": "+1.3",
    "culture": "+1.7",
}


@pytest.fixture
def quarters(app, sessions):
    """(client id, 2027-Q1's assessment id, a consultant's email) with both quarters closed."""
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord", name="Beratung Nord")
        client_id = make_organization(session, name="Alpha AG", workspace=workspace).id
        consultant = make_member(session, workspace, role="consultant").email
    catalogue = services_of(app).catalogue
    assert catalogue.get("cx-maturity").version == "1.1"  # the newest shipped version
    ids = [
        import_answers(sessions, catalogue, "nord", client_id, document, close=True).id
        for document in documents(catalogue)
    ]
    return client_id, ids[1], consultant


def text_of(page: str) -> str:
    """Visible text, one space between words (visually hidden text and tags left out)."""
    page = re.sub(r'<span class="visually-hidden">.*?</span>', " ", page)
    page = re.sub(r"</?(bdi|span|strong)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def row(section: str, title: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\">(<bdi>)?{re.escape(html.escape(title))}"
                      r"(</bdi>)?</th>.*?</tr>", section, re.S)  # fmt: skip
    assert match, f"no row for {title}"
    return text_of(match.group(0))


def test_results_since_last_quarter_marks_every_dimension_bridged(client, quarters):
    _client_id, now_id, consultant = quarters
    log_in(client, consultant)
    response = client.get(
        f"/w/nord/assessments/{now_id}/results", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    since = re.search(r'<section class="since".*?</section>', page, re.S)
    assert since, "the results page has a since-last-quarter section"
    shown = text_of(since.group(0))
    assert "Since 2026-Q4" in shown
    assert "2 of 2 respondents took part both times" in shown
    for dimension_id, title in TITLES.items():
        line = row(since.group(0), title)
        questions = 6 if dimension_id in ("touchpoints", "service-voc") else 5
        assert f"bridged 1 of {questions} questions changed" in line, line
        assert SHOWN_CHANGE[dimension_id] in line
        assert "like for like: +1.0" in line, line


def test_the_client_history_marks_the_1_1_quarter_bridged(client, quarters):
    client_id, _now_id, consultant = quarters
    log_in(client, consultant)
    response = client.get(f"/w/nord/clients/{client_id}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    history = response.get_data(as_text=True).split('id="history-heading"', 1)[1]
    newest = history.split("<summary>2027-Q1", 1)[1].split("<summary>2026-Q4", 1)[0]
    assert newest.count("1 of 5 questions changed") == len(CHANGED_IN_1_1) - 2
    assert newest.count("1 of 6 questions changed") == 2  # touchpoints, service: one added
    assert newest.count("like for like +1.0") == len(CHANGED_IN_1_1)
    assert "new series" not in newest


def test_the_history_in_german(client, quarters):
    client_id, _now_id, consultant = quarters
    log_in(client, consultant)
    response = client.get(f"/w/nord/clients/{client_id}", headers={"Accept-Language": "de"})
    newest = response.get_data(as_text=True).split("<summary>2027-Q1", 1)[1]
    newest = newest.split("<summary>2026-Q4", 1)[0]
    assert newest.count("1 von 5 Fragen geändert") == 6
    assert newest.count("1 von 6 Fragen geändert") == 2
