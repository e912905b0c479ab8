"""The PDF's CX key figures page: NPS, CSAT and the others beside the maturity, with their change,
in German and English; left out where no key figures were entered. Also their number formats."""

from fractions import Fraction

import pytest
from report_fixtures import DAY, outcome_with_disagreement, pages_text

from cxmaturity import locale
from cxmaturity.domain.kpi import KpiReading
from cxmaturity.reports.kpis import kpi_rows
from cxmaturity.reports.pdf import render_report

READINGS = (
    KpiReading("response_time", "2026-Q4", Fraction(25, 8), 4, previous_value=Fraction(4)),
    KpiReading("nps", "2026-Q4", Fraction(200, 3), 3, previous_value=Fraction(60), note="Umfrage"),
    KpiReading("csat", "2026-Q4", Fraction(75), 60),
    KpiReading("ces", "2026-Q4", None, 0, previous_value=Fraction(80)),
    KpiReading("clv", "2026-Q4", Fraction(540025, 200), None, previous_value=Fraction(2500)),
)


@pytest.fixture(scope="module")
def german_pages():
    return pages_text(render_report(outcome_with_disagreement(kpis=READINGS), "de", DAY))


@pytest.fixture(scope="module")
def english_pages():
    return pages_text(render_report(outcome_with_disagreement(kpis=READINGS), "en", DAY))


def kpi_page(pages: list[str], heading: str) -> str:
    # The page of that title (its running header ends it: "… CX key figures Page 7 of 11");
    # a question's short label elsewhere may read the same.
    found = [
        page
        for page in pages[2:]
        if page.startswith(heading) or f" {heading} Page " in page or f" {heading} Seite " in page
    ]
    assert found, heading
    return found[0]


def test_the_english_kpi_page_shows_each_value_with_its_change(english_pages):
    page = kpi_page(english_pages, "CX key figures")
    assert "Net Promoter Score (NPS) 66.7 +6.7 3 Umfrage" in page
    assert "Customer satisfaction (CSAT) 75.0% – 60" in page
    assert "Customer Effort Score (CES) no value – 0" in page
    assert "Average response time 3.1 h −0.9 h 4" in page
    assert "Customer lifetime value (CLV) €2,700 +€200 –" in page
    assert "CX maturity" in page
    assert page.index("Net Promoter Score") < page.index("Customer Effort Score")
    contents = english_pages[1]
    assert "CX key figures" in contents


def test_the_german_kpi_page_speaks_german(german_pages):
    page = kpi_page(german_pages, "CX-Kennzahlen")
    assert "Net Promoter Score (NPS) 66,7 +6,7 3" in page
    assert "Kundenzufriedenheit (CSAT) 75,0 % – 60" in page
    assert "Kundenwert (CLV) 2.700 € +200 €" in page
    assert "Durchschnittliche Antwortzeit 3,1 h −0,9 h 4" in page
    assert "kein Wert" in page
    assert "CX-Reifegrad" in page


def test_a_report_without_key_figures_has_no_kpi_page():
    pages = pages_text(render_report(outcome_with_disagreement(), "en", DAY))
    assert not any("CX key figures" in page for page in pages)


def test_rows_follow_the_order_of_the_key_figures_and_round_half_up():
    rows = kpi_rows(READINGS, "en")
    assert [row.kpi for row in rows] == ["nps", "ces", "csat", "response_time", "clv"]
    assert [row.value for row in rows] == ["66.7", "", "75.0%", "3.1\xa0h", "€2,700"]
    assert [row.change for row in rows] == ["+6.7", "", "", "−0.9\xa0h", "+€200"]


@pytest.mark.parametrize(
    ("kpi", "value", "language", "shown"),
    [
        ("nps", Fraction(-1, 20), "de", "−0,1"),  # −0.05 rounds away from zero
        ("nps", Fraction(1, 20), "en", "0.1"),
        ("csat", Fraction(2, 3) * 100, "de", "66,7\xa0%"),
        ("clv", Fraction(5, 2), "de", "3\xa0€"),
        ("clv", Fraction(-5, 2), "en", "−€3"),
        ("response_time", Fraction(125, 100), "en", "1.3\xa0h"),
    ],
)
def test_kpi_values_are_rounded_half_up(kpi, value, language, shown):
    assert locale.format_kpi(kpi, value, language) == shown


def test_a_change_of_zero_shows_plus_minus():
    assert locale.format_kpi_change("nps", Fraction(1, 100), "de") == "±0,0"
    assert locale.format_kpi_change("clv", None, "de") == ""
