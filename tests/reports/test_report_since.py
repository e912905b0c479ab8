"""The PDF's “since last period” page (DESIGN §4.9–4.10), from the web and from the CLI.

The two quarters of tests/since_fixtures.py: 2026-Q3 on 1.0, 2026-Q4 on 1.1 (strategy
bridged) or 1.2 (data & technology broken). Figures are checked in the page's text.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from report_fixtures import pages_text
from since_fixtures import catalogue, documents, since_page

from cxmaturity.domain.headless import outcome_of_documents, parse_answers_document
from cxmaturity.domain.outcome import Outcome
from cxmaturity.reports.pdf import render_report

DAY = datetime.date(2026, 12, 1)


def outcome(folder, version_now="1.1", previous=True):
    found = catalogue(folder)
    then, now = (parse_answers_document(d, found) for d in documents(found, version_now))
    return outcome_of_documents(now, then if previous else None)


def words(text: str) -> list[str]:
    return text.split()


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return render_report(outcome(tmp_path_factory.mktemp("q")), "en", DAY)


def test_the_since_page_gives_then_now_change_and_the_bridged_mark(english):
    page = since_page(english)
    assert "Overall: 2.0 (2) → 2.2 (2) (+0.2) · bridged: some questions changed" in page
    assert "3 of 4 respondents took part both times." in page
    strategy = page.split("Strategy & leadership", 1)[1].split("Customer understanding", 1)[0]
    assert words(strategy) == words(
        "2.0 (2) 2.5 (2) +0.5 bridged: 1 of 5 questions changed; like for like: ±0.0 "
        "0.0 → 0.0 4 → 4 +0.5"
    )
    understanding = page.split("Customer understanding", 1)[1].split("Touchpoints", 1)[0]
    assert words(understanding) == words("2.0 (2) 3.0 (3) +1.0 ▲ 0.0 → 0.0 4 → 4 +1.0")
    assert "Questions that moved by a level or more" in page
    assert page.count("(Customer understanding): 2.0 → 3.0 (+1.0)") == 5
    assert "Questions low in both periods" in page and "and 24 more questions" in page
    assert "Different respondents" not in page


def test_the_contents_lead_to_the_since_page(english):
    assert "Since 2026-Q3" in pages_text(english)[1]


def test_a_broken_dimension_starts_a_new_series_in_german(tmp_path):
    pdf = render_report(outcome(tmp_path, version_now="1.2"), "de", DAY)
    page = since_page(pdf, "Seit 2026-Q3")
    assert "Gesamt: 2,0 (2) → 2,2 (2) · neue Reihe ab 1.2: keine Veränderung ausgewiesen" in page
    data_technology = page.split("Daten & Technologie", 1)[1].split("Personalisierung", 1)[0]
    assert words(data_technology) == words("2,0 (2) 2,0 (2) neue Reihe ab 1.2 0,0 → 0,0 4 → 4 –")
    assert "überbrückt: 1 von 6 Fragen geändert" in page  # measurement: a question added
    assert "Beide Male teilgenommen: 3 von 4 Befragten." in page


def test_without_a_previous_period_there_is_no_since_page(tmp_path):
    pdf = render_report(outcome(tmp_path, previous=False), "en", DAY)
    text = " ".join(pages_text(pdf))
    assert "Since 2026-Q3" not in text and "took part both times" not in text


def test_different_respondents_and_re_confirmed_answers_are_said(tmp_path):
    found = catalogue(tmp_path)
    then, now = documents(found)
    for person in now["respondents"][1:]:  # only Anna answers both times
        person["email"] = "new-" + person["email"]
    then, now = (parse_answers_document(document, found) for document in (then, now))
    outcome = outcome_of_documents(now, then)
    outcome = Outcome(**{**outcome.__dict__, "reconfirmed": (38, 40)})
    page = since_page(render_report(outcome, "en", DAY))
    assert "1 of 4 respondents took part both times. 38 of 40 pre-filled answers re-confirmed." in (
        page
    )
    assert "Different respondents: fewer than half took part both times" in page
    assert "Stable panel" not in page


def test_after_an_anonymous_period_the_page_says_the_panel_is_not_known(tmp_path):
    anonymous = dataclasses.replace(outcome(tmp_path), anonymity="anonymous")
    known = anonymous.comparison
    assert known is not None
    # As outcome_of makes it for an anonymous period: nobody can be recognised.
    unknown = dataclasses.replace(
        anonymous, comparison=dataclasses.replace(known, panel_known=False)
    )
    page = since_page(render_report(unknown, "en", DAY))
    assert "who took part both times is not known" in page
    assert "respondents took part both times." not in page
    assert "Different respondents" not in page
