"""The action plan's rules (DESIGN §4.12) against a straightforward reference written here."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cxmaturity.domain.actions import carries_over, is_stalled, judge, moved_without_action
from cxmaturity.domain.statuses import ActionEffect, ActionStatus

statuses = st.sampled_from([status.value for status in ActionStatus])
changes = st.none() | st.fractions(min_value=-4, max_value=4, max_denominator=60)
dimension_ids = st.sampled_from(["strategy", "culture", "data", "service", "touchpoints"])


def reference_effect(status, question_id, carried_unchanged, dimension_change, question_change):
    """§4.12 read literally."""
    if status == "done":
        if question_id is None:
            rose = dimension_change is not None and dimension_change * 2 >= 1
        else:
            rose = question_change is not None and question_change >= 1
        return "effect_seen" if rose else "no_effect_yet"
    if status in ("planned", "in_progress", "blocked") and carried_unchanged >= 2:
        return "stalled"
    return None


@given(statuses)
def test_only_planned_in_progress_and_blocked_actions_carry_over(status):
    assert carries_over(status) == (status in {"planned", "in_progress", "blocked"})


@given(statuses, st.integers(min_value=0, max_value=10))
def test_an_action_is_stalled_after_two_carries_without_a_change_of_status(status, carried):
    expected = status not in {"done", "dropped"} and carried >= 2
    assert is_stalled(status, carried) == expected


@given(
    statuses,
    st.none() | st.just("strategy-budget"),
    st.integers(min_value=0, max_value=6),
    changes,
    changes,
)
def test_judge_agrees_with_the_reference(status, question_id, carried, dimension, question):
    effect = judge(status, question_id, carried, dimension, question)
    assert effect == reference_effect(status, question_id, carried, dimension, question)
    assert effect is None or isinstance(effect, ActionEffect)


def test_the_thresholds_are_inclusive():
    assert judge("done", None, 0, Fraction(1, 2), None) is ActionEffect.EFFECT_SEEN
    assert judge("done", None, 0, Fraction(49, 100), None) is ActionEffect.NO_EFFECT_YET
    assert judge("done", "q", 0, Fraction(5), Fraction(1)) is ActionEffect.EFFECT_SEEN
    # An action on one question is judged by the question, not by its dimension.
    assert judge("done", "q", 0, Fraction(2), Fraction(2, 3)) is ActionEffect.NO_EFFECT_YET
    assert judge("done", None, 0, None, None) is ActionEffect.NO_EFFECT_YET
    assert judge("dropped", None, 5, Fraction(1), None) is None


@given(
    st.dictionaries(dimension_ids, changes),
    st.lists(dimension_ids),
)
def test_moved_without_action_is_every_dimension_up_half_a_level_with_no_done_action(
    dimension_changes, done
):
    expected = [
        dimension_id
        for dimension_id, change in dimension_changes.items()
        if change is not None and change >= Fraction(1, 2) and dimension_id not in done
    ]
    assert list(moved_without_action(dimension_changes, done)) == expected
    assert set(moved_without_action(dimension_changes, done)).isdisjoint(done)
