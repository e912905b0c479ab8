"""JSON numbers: two decimals rounded half up (DESIGN §4.8), the same as the display's rounding."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cxmaturity.domain.scoring import round_half_up
from cxmaturity.exports.serializers import json_number


@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=10_000))
def test_a_json_number_is_the_displayed_rounding_as_a_float(value):
    assert json_number(value) == float(round_half_up(value, 2))


def test_ties_go_away_from_zero_and_nothing_is_none():
    assert json_number(Fraction(9, 8)) == 1.13  # 1.125
    assert json_number(Fraction(-9, 8)) == -1.13
    assert json_number(Fraction(7, 4)) == 1.75
    assert json_number(Fraction(-1, 1000)) == 0.0
    assert json_number(None) is None
