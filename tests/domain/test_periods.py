"""Quarters as periods: the one a new assessment is suggested for."""

from __future__ import annotations

import datetime

from cxmaturity.domain.periods import first_free_period


def test_a_new_assessment_is_suggested_for_the_first_quarter_not_yet_taken():
    day = datetime.date(2026, 11, 15)
    assert first_free_period(day, []) == "2026-Q4"
    assert first_free_period(day, ["2026-Q4", "2026-Q3"]) == "2027-Q1"
    assert first_free_period(day, ["2026-Q4", "2027-Q1"]) == "2027-Q2"
