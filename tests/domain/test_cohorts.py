"""Cohort statistics under the min-n rule, leave-one-out (DESIGN §4.13)."""

from __future__ import annotations

import statistics
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxmaturity.domain.cohorts import (
    Band,
    CohortClient,
    CohortFilter,
    aliases,
    band_of,
    checked_min_n,
    cohort_statistics,
    peers_of,
    position_of,
)

scores = st.fractions(min_value=1, max_value=5, max_denominator=40)


def client(client_id: int, overall: Fraction | None, **details) -> CohortClient:
    defaults = {
        "questionnaire_id": "cx-maturity",
        "questionnaire_version": "1.0",
        "period": "2026-Q4",
        "dimensions": {"strategy": overall},
    }
    return CohortClient(client_id=client_id, overall=overall, **{**defaults, **details})


def test_five_scores_give_median_and_quartiles_to_one_decimal():
    band = band_of([Fraction(2), Fraction(5, 2), Fraction(3), Fraction(7, 2), Fraction(4)], 5)
    assert (band.lower_quartile, band.median, band.upper_quartile) == (
        Fraction(5, 2),
        Fraction(3),
        Fraction(7, 2),
    )
    assert not band.suppressed


def test_four_scores_publish_no_number_under_the_default_rule():
    band = band_of([Fraction(2), Fraction(3), Fraction(4), Fraction(5)], 5)
    assert band == Band(4, 5)
    assert band.suppressed
    assert band.median is None and band.lower_quartile is None


def test_a_workspace_may_publish_from_three_but_never_fewer():
    assert not band_of([Fraction(2), Fraction(3), Fraction(4)], checked_min_n(3)).suppressed
    with pytest.raises(ValueError):
        checked_min_n(2)


def test_unscored_clients_do_not_count_towards_n():
    band = band_of([Fraction(2), None, Fraction(3), Fraction(4), None, Fraction(5)], 5)
    assert band.n == 4 and band.suppressed


def test_halves_round_up_at_the_second_decimal():
    values = [Fraction(x, 100) for x in (225, 225, 225, 225, 225)]
    assert band_of(values, 5).median == Fraction(23, 10)


def test_a_client_is_never_its_own_peer():
    everyone = [client(n, Fraction(n)) for n in range(1, 6)]
    peers = peers_of(everyone[0], everyone)
    assert [peer.client_id for peer in peers] == [2, 3, 4, 5]
    # Four peers: below the default min-n, although the workspace has five clients.
    assert position_of(everyone[0], everyone, ["strategy"], 5).peers.suppressed


def test_peers_share_period_questionnaire_and_major_version():
    me = client(1, Fraction(3))
    others = [
        client(2, Fraction(3), period="2026-Q3"),
        client(3, Fraction(3), questionnaire_id="other"),
        client(4, Fraction(3), questionnaire_version="2.0"),
        client(5, Fraction(3), questionnaire_version="1.1"),
    ]
    assert [peer.client_id for peer in peers_of(me, [me, *others])] == [5]


def test_the_filter_narrows_by_industry_size_and_every_tag():
    me = client(1, Fraction(3))
    others = [
        client(2, Fraction(3), industry="retail", size="large", tags=("dach", "pilot")),
        client(3, Fraction(3), industry="retail", size="small", tags=("dach",)),
        client(4, Fraction(3), industry="banking", size="large", tags=("dach", "pilot")),
    ]
    cohort = CohortFilter(industry="retail", tags=("dach", "pilot"))
    assert [peer.client_id for peer in peers_of(me, others, cohort)] == [2]


def test_dimension_bands_count_only_clients_scored_there():
    members = [
        client(n, Fraction(3), dimensions={"strategy": Fraction(n), "culture": None})
        for n in range(1, 6)
    ]
    stats = cohort_statistics(members, ["strategy", "culture"], 5)
    assert stats.dimension("strategy").median == Fraction(3)
    assert stats.dimension("culture") == Band(0, 5)
    assert stats.dimension("unknown").suppressed


def test_aliases_run_from_a_to_z_then_aa():
    named = aliases(list(range(100, 128)))
    assert named[100] == "A" and named[125] == "Z" and named[126] == "AA" and named[127] == "AB"


@given(st.lists(scores, min_size=0, max_size=30), st.integers(min_value=3, max_value=8))
def test_band_matches_statistics_quantiles_rounded_half_up(values, min_n):
    band = band_of(values, min_n)
    assert band.n == len(values)
    if len(values) < min_n:
        assert band.suppressed and band.median is None
        return
    expected = statistics.quantiles(sorted(values), n=4, method="inclusive")
    for shown, exact in zip(
        (band.lower_quartile, band.median, band.upper_quartile), expected, strict=True
    ):
        assert shown is not None
        assert shown.denominator in (1, 2, 5, 10)  # one decimal
        assert abs(shown - exact) <= Fraction(1, 20)
        assert shown - exact != -Fraction(1, 20)  # exactly halfway rounds up, never down
    assert band.lower_quartile <= band.median <= band.upper_quartile
    assert band.median == (round_half_up(statistics.median(values)))


@given(st.lists(scores, min_size=1, max_size=15))
def test_leave_one_out_never_uses_the_clients_own_score(values):
    everyone = [client(n, value) for n, value in enumerate(values)]
    me = everyone[0]
    position = position_of(me, everyone, ["strategy"], 3)
    others = values[1:]
    assert position.peers.n == len(others)
    assert position.peers.overall == band_of(others, 3)


def round_half_up(value: Fraction) -> Fraction:
    scaled = value * 10
    whole = scaled.numerator // scaled.denominator
    return Fraction(whole + (1 if scaled - whole >= Fraction(1, 2) else 0), 10)
