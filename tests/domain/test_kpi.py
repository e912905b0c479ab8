"""KPI calculators (DESIGN §5), checked against hand-computed figures."""

from fractions import Fraction

import pytest

from cxmaturity.domain.kpi import (
    KpiInputError,
    average_response_time,
    customer_effort_score,
    customer_lifetime_value,
    customer_satisfaction_score,
    net_promoter_score,
    net_promoter_score_from_ratings,
)


def test_nps_is_percent_promoters_minus_percent_detractors():
    # 50 promoters, 30 passives, 20 detractors of 100: 50 % - 20 % = 30.
    assert net_promoter_score(50, 30, 20) == 30
    assert net_promoter_score(1, 1, 1) == 0
    assert net_promoter_score(0, 0, 3) == -100
    assert net_promoter_score(2, 1, 0) == Fraction(200, 3)


def test_nps_from_ratings_counts_9_and_10_as_promoters_and_0_to_6_as_detractors():
    ratings = [10, 9, 8, 7, 6, 0]  # 2 promoters, 2 passives, 2 detractors
    assert net_promoter_score_from_ratings(ratings) == 0
    assert net_promoter_score_from_ratings([9, 9, 9, 6]) == 50


def test_ces_and_csat_are_shares_of_4_and_5_answers():
    assert customer_effort_score(agreeing=30, responses=40) == 75
    assert customer_satisfaction_score(satisfied=1, responses=3) == Fraction(100, 3)


def test_average_response_time_divides_total_time_by_inquiries():
    assert average_response_time(total_time=300, inquiries=4) == 75
    assert average_response_time(total_time=Fraction(5, 2), inquiries=2) == Fraction(5, 4)


def test_clv_is_revenue_times_years_minus_acquisition_cost():
    assert customer_lifetime_value(1200, 5, 800) == 5200
    assert customer_lifetime_value(Fraction(999, 2), Fraction(3, 2), 100) == Fraction(2597, 4)


@pytest.mark.parametrize(
    "compute",
    [
        lambda: net_promoter_score(0, 0, 0),
        lambda: net_promoter_score_from_ratings([]),
        lambda: customer_effort_score(0, 0),
        lambda: customer_satisfaction_score(0, 0),
        lambda: average_response_time(0, 0),
    ],
)
def test_zero_responses_give_no_value_not_an_error(compute):
    assert compute() is None


@pytest.mark.parametrize(
    ("compute", "reason"),
    [
        (lambda: net_promoter_score(-1, 0, 5), "promoters must be a whole number of at least 0"),
        (lambda: net_promoter_score(True, 0, 0), "promoters must be a whole number"),
        (lambda: net_promoter_score(3, 0, 2.5), "detractors must be a whole number"),
        (lambda: net_promoter_score_from_ratings([11]), "rating must be 0 to 10, not 11"),
        (lambda: net_promoter_score_from_ratings([9.5]), "rating must be 0 to 10, not 9.5"),
        (
            lambda: customer_satisfaction_score(11, 10),
            r"satisfied responses \(11\) cannot exceed responses \(10\)",
        ),
        (lambda: customer_effort_score(1.5, 10), "answers of 4–5 must be a whole number"),
        (lambda: customer_effort_score(3, -1), "responses must be a whole number of at least 0"),
        (lambda: average_response_time(-5, 2), "total response time cannot be negative"),
        (lambda: average_response_time(10.0, 2), "total response time must be an exact number"),
        (lambda: average_response_time(10, -2), "inquiries must be a whole number"),
        (
            lambda: customer_lifetime_value(100, -1, 0),
            "relationship length and acquisition cost cannot",
        ),
        (
            lambda: customer_lifetime_value(100, 1, -5),
            "relationship length and acquisition cost cannot",
        ),
        (
            lambda: customer_lifetime_value(0.5, 1, 0),
            "annual revenue per customer must be an exact number",
        ),
    ],
)
def test_impossible_raw_figures_are_refused_naming_the_figure_and_the_problem(compute, reason):
    with pytest.raises(KpiInputError, match=reason):
        compute()
