"""The PDF's "since last period" page for a client assessed on the shipped cx-maturity 1.0 in
2026-Q4 and on 1.1 in 2027-Q1 (issue 13): every dimension bridged, with its like-for-like
change beside the change. Read with pypdf, in English and German.
"""

from __future__ import annotations

import datetime
import re

import pytest
from report_fixtures import pages_text
from shipped_quarters import ORGANIZATION, THEN, documents, shipped_catalogue

from cxmaturity.domain.headless import outcome_of_documents, parse_answers_document
from cxmaturity.reports.pdf import render_report

DAY = datetime.date(2027, 3, 15)
FOOTER = re.compile(rf" {ORGANIZATION} (Since|Seit) {THEN} (Page|Seite) \d+ (of|von) \d+$")
TITLES = (
    ("Strategy & leadership", "Customer understanding", "+1.3", "5"),
    ("Customer understanding", "Touchpoints & channels", "+1.7", "5"),
    ("Touchpoints & channels", "Measurement & KPIs", "+1.3", "6"),
    ("Measurement & KPIs", "Data & technology", "+1.3", "5"),
    ("Data & technology", "Personalization & privacy", "+1.3", "5"),
    ("Personalization & privacy", "Service & voice of the customer", "+1.6", "5"),
    ("Service & voice of the customer", "Culture & organization", "+1.3", "6"),
)


@pytest.fixture(scope="module")
def outcome():
    catalogue = shipped_catalogue()
    then, now = (parse_answers_document(document, catalogue) for document in documents(catalogue))
    return outcome_of_documents(now, then)


def since_page(pdf: bytes, heading: str) -> str:
    found = [page for page in pages_text(pdf)[2:] if page.startswith(f"{heading} ")]
    assert len(found) == 1, f"expected one page headed {heading!r}"
    return FOOTER.sub("", found[0])


def test_every_dimension_is_bridged_with_its_like_for_like_change(outcome):
    page = since_page(render_report(outcome, "en", DAY), "Since 2026-Q4")
    assert "Overall: 2.0 (2) → 3.4 (4) (+1.4 ▲) · bridged: some questions changed" in page
    for title, following, change, questions in TITLES:
        part = " ".join(page.split(title, 1)[1].split(following, 1)[0].split())
        # then → now, the change (a ▲ where a level boundary was crossed), then the mark.
        assert part.startswith("2.0 (2) "), part
        assert f" {change} " in part
        assert f"bridged: 1 of {questions} questions changed; like for like: +1.0" in part, part
    culture = " ".join(page.split("Culture & organization", 1)[1].split())
    assert "+1.7 ▲ bridged: 1 of 5 questions changed; like for like: +1.0" in culture
    assert "2 of 2 respondents took part both times." in page
    assert "new series" not in page


def test_the_german_page_says_überbrückt(outcome):
    page = since_page(render_report(outcome, "de", DAY), "Seit 2026-Q4")
    flat = " ".join(page.split())
    assert flat.count("überbrückt: 1 von 5 Fragen geändert; gleiche Fragen: +1,0") == 6
    assert flat.count("überbrückt: 1 von 6 Fragen geändert; gleiche Fragen: +1,0") == 2
