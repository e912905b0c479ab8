"""The scoring contract (DESIGN §4), with hand-computed examples."""

from fractions import Fraction

import pytest
from factories import (
    dimension,
    make_questionnaire,
    question,
    questionnaire_data,
    questionnaire_from,
    respondent,
)
from hypothesis import given
from hypothesis import strategies as st

from cxmaturity.domain.scoring import (
    change_since,
    level_for,
    respondent_dimension_score,
    round_half_up,
    score_assessment,
)

QUESTIONNAIRE = make_questionnaire()
ALL_QUESTIONS = ("a1", "a2", "a3", "b1", "b2", "c1", "c2")


def answers_all(level):
    return {question_id: level for question_id in ALL_QUESTIONS}


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (Fraction(1), 1),
        (Fraction(179, 100), 1),
        (Fraction(9, 5), 2),  # exactly 1.8 is level 2
        (Fraction(259, 100), 2),
        (Fraction(13, 5), 3),
        (Fraction(17, 5), 4),
        (Fraction(419, 100), 4),
        (Fraction(21, 5), 5),
        (Fraction(5), 5),
    ],
)
def test_level_is_the_highest_threshold_reached(score, level):
    assert level_for(QUESTIONNAIRE, score) == level


def test_a_mean_of_exactly_1_8_is_level_2_where_floats_would_fail():
    five_questions = [question(f"x{n}") for n in range(5)]
    q = make_questionnaire(dimensions=[dimension("x", five_questions)])
    result = score_assessment(q, [respondent(x0=1, x1=2, x2=2, x3=2, x4=2)])
    assert result.dimensions[0].score == Fraction(9, 5)
    assert result.dimensions[0].level == 2
    assert result.overall_level == 2


def test_dimension_score_is_the_question_weighted_mean():
    dimension = QUESTIONNAIRE.dimension("a")  # a1 weight 1, a2 weight 1, a3 weight 2
    assert respondent_dimension_score(dimension, {"a1": 1, "a2": 2, "a3": 4}) == Fraction(11, 4)


def test_not_applicable_and_unanswered_are_left_out_of_the_mean():
    dimension = QUESTIONNAIRE.dimension("a")
    assert respondent_dimension_score(dimension, {"a1": 2, "a2": None, "a3": 5}) == Fraction(4)


def test_half_of_the_question_weight_is_enough_for_a_score():
    dimension = QUESTIONNAIRE.dimension("a")  # total weight 4
    assert respondent_dimension_score(dimension, {"a3": 3}) == 3  # weight 2 of 4
    assert respondent_dimension_score(dimension, {"a1": 4, "a2": 2}) == 3  # 2 of 4


def test_less_than_half_of_the_question_weight_gives_no_score():
    dimension = QUESTIONNAIRE.dimension("a")
    assert respondent_dimension_score(dimension, {"a1": 4, "a3": None}) is None  # 1 of 4
    assert respondent_dimension_score(dimension, {}) is None


def test_assessment_dimension_score_is_the_plain_mean_of_respondents_with_a_score():
    result = score_assessment(
        QUESTIONNAIRE,
        [
            respondent("CEO", a1=1, a2=1, a3=1, b1=2, b2=2),
            respondent("CMO", a1=4, a2=4, a3=4, b1=5),  # b: 1 of 2 weight, still scored
            respondent("CFO", a1=3),  # a: weight 1 of 4, no score for a
        ],
    )
    a = result.dimension("a")
    assert a.score == Fraction(5, 2)
    assert a.respondents == 2
    assert a.spread == 3
    b = result.dimension("b")
    assert b.score == Fraction(7, 2)
    assert b.spread == 3


def test_spread_of_exactly_two_flags_disagreement():
    two = score_assessment(QUESTIONNAIRE, [respondent(b1=1, b2=2), respondent(b1=3, b2=4)])
    assert two.dimension("b").spread == 2
    assert two.dimension("b").disagreement
    below = score_assessment(QUESTIONNAIRE, [respondent(b1=1, b2=2), respondent(b1=3, b2=3)])
    assert below.dimension("b").spread == Fraction(3, 2)
    assert not below.dimension("b").disagreement


def test_one_respondent_has_spread_zero():
    result = score_assessment(QUESTIONNAIRE, [respondent(b1=1, b2=5)])
    assert result.dimension("b").spread == 0
    assert not result.dimension("b").disagreement


def test_not_scored_dimensions_are_left_out_of_the_overall_mean():
    # a (weight 2) = 2, b (weight 1) = 5, c not scored: overall (4 + 5) / 3 = 3.
    result = score_assessment(QUESTIONNAIRE, [respondent(a1=2, a2=2, a3=2, b1=5, b2=5)])
    c = result.dimension("c")
    assert (c.score, c.level, c.spread, c.respondents) == (None, None, None, 0)
    assert result.overall_score == 3
    assert result.overall_level == 3


def test_overall_score_is_the_dimension_weighted_mean():
    result = score_assessment(QUESTIONNAIRE, [respondent(a1=4, a2=4, a3=4, b1=3, b2=3, c1=2)])
    assert result.overall_score == Fraction(2 * 4 + 3 + 2, 4)


def test_no_dimension_scored_gives_no_overall_score():
    result = score_assessment(QUESTIONNAIRE, [respondent(a1=None)])
    assert result.overall_score is None
    assert result.overall_level is None
    assert not result.capped
    assert result.priorities == ()
    assert score_assessment(QUESTIONNAIRE, []).overall_score is None


def test_weakest_link_caps_the_overall_level():
    # a = 5, b = 5, c = 1: overall (10 + 5 + 1) / 4 = 4.0 -> level 4, capped at 1 + 1 = 2.
    result = score_assessment(QUESTIONNAIRE, [respondent(a1=5, a2=5, a3=5, b1=5, b2=5, c1=1)])
    assert result.overall_score == 4
    assert result.uncapped_level == 4
    assert result.overall_level == 2
    assert result.capped


def test_cap_does_not_apply_when_the_weakest_dimension_is_close():
    result = score_assessment(QUESTIONNAIRE, [respondent(a1=4, a2=4, a3=4, b1=3, b2=3, c1=3)])
    # a = 4, b = 3, c = 3: overall 3.5 is level 4; the weakest (3) allows up to 4.
    assert result.overall_level == level_for(QUESTIONNAIRE, result.overall_score) == 4
    assert not result.capped


def test_no_cap_where_the_questionnaire_sets_none():
    data = questionnaire_data()
    del data["cap_above_weakest"]
    q = questionnaire_from(data)
    result = score_assessment(q, [respondent(a1=5, a2=5, a3=5, b1=5, b2=5, c1=1)])
    assert result.overall_level == 4
    assert not result.capped


def test_priorities_order_by_level_then_weight_then_score_then_order():
    data = questionnaire_data()
    data["dimensions"].append(dimension("d", [question("d1")]))
    q = questionnaire_from(data)
    # a (w2) = 2.0 level 2; b (w1) = 2.5 level 2; c (w1) = 2.0 level 2; d (w1) = 1.0 level 1
    result = score_assessment(q, [respondent(a1=2, a2=2, a3=2, b1=2, b2=3, c1=2, c2=2, d1=1)])
    assert result.ranked_priorities == ("d", "a", "c", "b")
    assert result.priorities == ("d", "a", "c")


def test_ties_in_every_key_keep_questionnaire_order_and_level_5_is_no_priority():
    result = score_assessment(QUESTIONNAIRE, [respondent(a1=5, a2=5, a3=5, b1=3, b2=3, c1=3)])
    assert result.ranked_priorities == ("b", "c")


def test_change_since_last_period_covers_dimensions_scored_in_both():
    previous = score_assessment(QUESTIONNAIRE, [respondent(a1=2, a2=2, a3=2, b1=4, b2=4)])
    current = score_assessment(QUESTIONNAIRE, [respondent(a1=3, a2=3, a3=4, b1=3, b2=4, c1=5)])
    assert change_since(current, previous) == {"a": Fraction(3, 2), "b": Fraction(-1, 2)}


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Fraction(9, 4), 1, "2.3"),
        (Fraction(9, 4), 2, "2.25"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(5, 3), 2, "1.67"),
        (Fraction(-1, 20), 1, "-0.1"),
        (Fraction(1, 20), 1, "0.1"),
        (Fraction(3), 1, "3.0"),
    ],
)
def test_displayed_scores_round_half_up(value, places, shown):
    assert str(round_half_up(value, places)) == shown


# --- properties -------------------------------------------------------------

level_or_none = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
answer_sets = st.fixed_dictionaries({q: level_or_none for q in ALL_QUESTIONS})


@given(
    answers=answer_sets,
    question=st.sampled_from(ALL_QUESTIONS),
    level=st.integers(min_value=1, max_value=4),
)
def test_raising_one_answer_never_lowers_its_dimension_score(answers, question, level):
    # The raised question is answered below 5 in every example, so each one is a real check.
    answers = answers | {question: level}
    raised = answers | {question: level + 1}
    dimension_id = question[0]
    before = score_assessment(QUESTIONNAIRE, [respondent(**answers)]).dimension(dimension_id)
    after = score_assessment(QUESTIONNAIRE, [respondent(**raised)]).dimension(dimension_id)
    if before.score is None:
        assert after.score is None  # raising a level does not change which are answered
    else:
        assert after.score >= before.score


@given(respondents=st.lists(answer_sets, min_size=1, max_size=4), data=st.data())
def test_permuting_respondents_changes_nothing(respondents, data):
    people = [respondent(f"R{n}", **answers) for n, answers in enumerate(respondents)]
    shuffled = data.draw(st.permutations(people))
    original = score_assessment(QUESTIONNAIRE, people)
    permuted = score_assessment(QUESTIONNAIRE, shuffled)
    assert original.overall_score == permuted.overall_score
    assert original.priorities == permuted.priorities
    for left, right in zip(original.dimensions, permuted.dimensions, strict=True):
        assert (left.score, left.level, left.spread) == (right.score, right.level, right.spread)


@given(level=st.integers(min_value=1, max_value=5), people=st.integers(min_value=1, max_value=3))
def test_all_answers_k_give_level_k_everywhere(level, people):
    result = score_assessment(
        QUESTIONNAIRE, [respondent(f"R{n}", **answers_all(level)) for n in range(people)]
    )
    assert result.overall_level == level
    assert {d.level for d in result.dimensions} == {level}
    assert not result.capped
