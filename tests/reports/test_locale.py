"""Numbers and dates as a reader sees them: our rounding first (DESIGN §4.8), then Babel."""

import datetime
from fractions import Fraction

import pytest

from cxmaturity import locale


@pytest.mark.parametrize(
    ("value", "german", "english"),
    [
        (Fraction(7, 4), "1,7", "1.7"),  # 1.75: level 1, so never "1,8"
        (Fraction(259, 100), "2,5", "2.5"),
        (Fraction(9, 5), "1,8", "1.8"),  # exactly the threshold: shown as it is
        (Fraction(5), "5,0", "5.0"),
        (None, "–", "–"),
    ],
)
def test_scores_are_rounded_down_to_one_decimal(value, german, english):
    assert locale.format_score(value, "de") == german
    assert locale.format_score(value, "en") == english


def test_spreads_and_changes_are_rounded_half_up_not_half_even():
    # Babel alone would round 0.25 and 2.25 to even: 0.2 and 2.2.
    assert locale.format_spread(Fraction(9, 4), "de") == "2,3"
    assert locale.format_change(Fraction(1, 4), "de") == "+0,3"
    assert locale.format_change(Fraction(-1, 4), "en") == "\N{MINUS SIGN}0.3"
    assert locale.format_change(Fraction(-1, 40), "de") == "±0,0"
    assert locale.format_change(None, "de") == ""


def test_weights_are_shown_exactly():
    assert locale.format_weight(Fraction(5, 4), "de") == "1,25"
    assert locale.format_weight(Fraction(2), "en") == "2"
    assert locale.format_weight(Fraction(3, 2), "de") == "1,5"


def test_dates_and_counts_are_written_in_the_language():
    day = datetime.date(2026, 11, 12)
    assert locale.format_date(day, "de") == "12. November 2026"
    assert locale.format_date(day, "en") == "November 12, 2026"
    assert locale.format_count(24000, "de") == "24.000"
    assert locale.format_count(24000, "en") == "24,000"
