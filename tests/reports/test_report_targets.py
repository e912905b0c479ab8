"""The report's targets page and the radar's target polygon (DESIGN §4.11, issue 10 item 4)."""

from fractions import Fraction

import pytest
from report_fixtures import (
    DAY,
    ORGANIZATION,
    comments,
    pages_text,
    participants,
    questionnaire,
)

from cxmaturity.domain.outcome import PreviousPeriod, outcome_of
from cxmaturity.domain.targets import TargetSetting
from cxmaturity.reports.charts import PRINT, radar_svg
from cxmaturity.reports.pdf import render_report

# strategy scores 10/3 (3,3; level 3) now: target 4 (threshold 3,4) from a baseline of 2,6.
TARGETS = (
    TargetSetting("strategy", 4, "2027-Q2", Fraction(13, 5)),
    TargetSetting("measurement", 2, None, Fraction(1)),
    TargetSetting("customer-understanding", 4, "2027-Q1", Fraction(3)),
)


def outcome(targets=TARGETS):
    chosen = questionnaire()
    people = participants(chosen)
    return outcome_of(
        chosen,
        ORGANIZATION,
        "2026-Q4",
        people,
        comments(chosen),
        previous=PreviousPeriod(chosen, "2026-Q3", tuple(people[:2])),
        targets=targets,
    )


@pytest.fixture(scope="module")
def german():
    return pages_text(render_report(outcome(), "de", DAY))


@pytest.fixture(scope="module")
def english():
    return pages_text(render_report(outcome(), "en", DAY))


def page_with(pages: list[str], heading: str) -> str:
    return next(page for page in pages if page.startswith(heading))


def test_the_targets_page_lists_target_level_gap_and_progress(english):
    page = page_with(english, "Targets")
    # Column heads are set in capitals.
    assert "TARGET LEVEL" in page and "GAP" in page and "PROGRESS" in page
    # Strategy: 3.3 now (rounded down), target 4 · Managed due 2027-Q2, gap 3.4 − 3.3 = 0.1
    # (rounded up from 1/15), progress (10/3 − 13/5) ÷ (17/5 − 13/5) = 91.6… % → 91%.
    assert "Strategy" in page and "4 · Managed" in page and "2027-Q2" in page
    assert "3.3 4 · Managed 2027-Q2 0.1 91%" in page
    # Measurement: 1.3 is level 1, target 2 (1.8) from 1.0: gap 0.5, progress 41 %.
    assert "0.5 41%" in page
    # Customer understanding at 4.3 is above its target level 4: no gap, reached.
    assert "0.0 100% reached" in page
    assert "1 of 3 targets reached." in page


def test_the_german_targets_page_uses_the_product_words(german):
    page = page_with(german, "Ziele")
    assert "ZIELSTUFE" in page and "ABSTAND" in page and "FORTSCHRITT" in page
    assert "Stufe jetzt: 3 · Definition 3,3 4 · Managed 2027-Q2 0,1 91 % noch nicht" in page
    assert "erreicht" in page and "1 von 3 Zielen erreicht." in page


def test_the_contents_list_the_targets_page(english):
    assert "Targets" in english[1]


def test_without_targets_there_is_no_targets_page():
    pages = pages_text(render_report(outcome(()), "en", DAY))
    assert not any(page.startswith("Targets") for page in pages)
    assert "Targets" not in pages[1]


def test_the_radar_draws_the_target_polygon_and_names_it_in_its_legend():
    svg = radar_svg(questionnaire(), outcome().result, "en", None, PRINT, targets=outcome().targets)
    assert 'id="radar-target"' in svg and ">Target<" in svg
    plain = radar_svg(questionnaire(), outcome().result, "en", None, PRINT)
    assert "radar-target" not in plain and ">Target<" not in plain


def test_the_report_radar_legend_names_the_target(english):
    profile = page_with(english, "Maturity profile")
    assert "Target" in profile and "Previous period" in profile and "This period" in profile
