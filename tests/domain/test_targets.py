"""Targets (DESIGN §4.11), checked against a straightforward reference written here."""

from fractions import Fraction

from factories import cx_maturity, questionnaire_data, questionnaire_from
from hypothesis import given
from hypothesis import strategies as st

from cxmaturity.domain.targets import (
    default_target_level,
    gap,
    progress,
    reached,
    target_progress,
)

QUESTIONNAIRE = cx_maturity()
THRESHOLDS = {
    1: Fraction(1),
    2: Fraction(9, 5),
    3: Fraction(13, 5),
    4: Fraction(17, 5),
    5: Fraction(21, 5),
}

# Scores as the scoring makes them: exact fractions from 1 to 5.
scores = st.fractions(min_value=1, max_value=5, max_denominator=60)
levels = st.integers(min_value=1, max_value=5)


def reference_level(score: Fraction) -> int:
    return max(level for level, threshold in THRESHOLDS.items() if threshold <= score)


def reference_gap(target_level: int, score: Fraction) -> Fraction:
    threshold = THRESHOLDS[target_level]
    return threshold - score if score < threshold else Fraction(0)


def reference_progress(target_level: int, score: Fraction, baseline: Fraction) -> Fraction:
    threshold = THRESHOLDS[target_level]
    if baseline >= threshold:
        return Fraction(1)
    share = (score - baseline) / (threshold - baseline)
    if share < 0:
        return Fraction(0)
    if share > 1:
        return Fraction(1)
    return share


def test_the_questionnaire_has_the_thresholds_the_reference_uses():
    assert {level.level: level.threshold for level in QUESTIONNAIRE.levels} == THRESHOLDS


@given(st.one_of(st.none(), levels))
def test_the_default_target_is_one_level_up_at_most_5(level):
    expected = 2 if level is None else min(5, level + 1)
    assert default_target_level(level) == expected


@given(levels, scores)
def test_the_gap_is_the_distance_below_the_threshold_never_negative(target_level, score):
    found = gap(QUESTIONNAIRE, target_level, score)
    assert isinstance(found, Fraction)
    assert found == reference_gap(target_level, score)
    assert found >= 0
    assert (found == 0) == (score >= THRESHOLDS[target_level])


@given(levels, scores, scores)
def test_progress_is_the_share_of_the_way_from_baseline_to_threshold(target_level, score, baseline):
    found = progress(QUESTIONNAIRE, target_level, score, baseline)
    assert isinstance(found, Fraction)
    assert found == reference_progress(target_level, score, baseline)
    assert 0 <= found <= 1


@given(levels, scores, scores)
def test_progress_is_complete_once_the_threshold_is_reached(target_level, score, baseline):
    if score >= THRESHOLDS[target_level] or baseline >= THRESHOLDS[target_level]:
        assert progress(QUESTIONNAIRE, target_level, score, baseline) == 1


@given(levels, scores)
def test_no_progress_is_made_while_the_score_stays_at_the_baseline(target_level, score):
    expected = 1 if score >= THRESHOLDS[target_level] else 0
    assert progress(QUESTIONNAIRE, target_level, score, score) == expected


@given(levels, scores)
def test_a_target_is_reached_exactly_when_the_level_is_at_least_the_target(target_level, score):
    level = reference_level(score)
    assert reached(level, target_level) == (level >= target_level)
    # Levels and thresholds agree: reached exactly where the gap is gone.
    assert reached(level, target_level) == (gap(QUESTIONNAIRE, target_level, score) == 0)
    assert not reached(None, target_level)


@given(levels, st.one_of(st.none(), scores), st.one_of(st.none(), scores))
def test_target_progress_leaves_out_what_it_cannot_know(target_level, score, baseline):
    level = None if score is None else reference_level(score)
    found = target_progress(
        QUESTIONNAIRE, "strategy", target_level, "2027-Q2", baseline, score, level
    )
    assert (found.dimension_id, found.target_level, found.due_period) == (
        "strategy",
        target_level,
        "2027-Q2",
    )
    assert found.gap == (None if score is None else reference_gap(target_level, score))
    expected = (
        None
        if score is None or baseline is None
        else reference_progress(target_level, score, baseline)
    )
    assert found.progress == expected
    assert found.reached == (level is not None and level >= target_level)


def test_the_thresholds_are_read_from_the_questionnaire():
    data = questionnaire_data()
    for level, threshold in zip(data["levels"], ("1.0", "2.0", "3.0", "4.0", "4.5"), strict=True):
        level["threshold"] = threshold
    questionnaire = questionnaire_from(data)
    assert gap(questionnaire, 5, Fraction(4)) == Fraction(1, 2)
    assert progress(questionnaire, 3, Fraction(5, 2), Fraction(2)) == Fraction(1, 2)
