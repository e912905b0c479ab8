"""What each anonymity mode lets the results show (DESIGN §8)."""

import dataclasses
from fractions import Fraction

import pytest
from factories import make_questionnaire

from cxmaturity.domain.actions import PlannedAction
from cxmaturity.domain.anonymity import (
    as_consultant_sees,
    as_respondent_sees,
    comment_author,
    group_rows,
    individuals_shown,
    is_locked,
    question_summary,
    respondent_rows,
    shown_groups,
)
from cxmaturity.domain.outcome import Comment, Participant, outcome_of

QUESTIONNAIRE = make_questionnaire()


def person(name, group=None, level=3):
    answers = dict.fromkeys(QUESTIONNAIRE.questions, level)
    return Participant(name=name, answers=answers, group=group)


def outcome(*people, comments=(), anonymity="named"):
    return outcome_of(
        QUESTIONNAIRE, "Müller GmbH", "2026-Q4", people, comments, anonymity=anonymity
    )


PEOPLE = (
    person("Anna", "manager", 2),
    person("Ben", "manager", 3),
    person("Cem", "manager", 4),
    person("Dora", "executive", 5),
)
COMMENTS = (Comment("Anna", "a1", "Zu wenig Budget."), Comment("Dora", "b1", "Gut."))


def test_named_keeps_every_name_and_comment_author():
    shown = as_consultant_sees(outcome(*PEOPLE, comments=COMMENTS), "named")
    assert [row.label for row in respondent_rows(shown)] == ["Anna", "Ben", "Cem", "Dora"]
    assert [comment_author(shown, c, None) for c in shown.comments] == ["Anna", "Dora"]


def test_confidential_shows_individual_scores_only_under_aliases_in_order():
    shown = as_consultant_sees(outcome(*PEOPLE, comments=COMMENTS), "confidential")
    rows = respondent_rows(shown)
    assert [row.label for row in rows] == ["R1", "R2", "R3", "R4"]
    assert rows[0].scores[0] == 2 and rows[3].scores[0] == 5
    assert all(row.group is None for row in rows)  # a group could point at the only executive
    assert all(person.name == "" for person in shown.respondents)
    assert [comment_author(shown, c, 1) for c in shown.comments] == ["", ""]
    assert [c.text for c in shown.comments] == ["Zu wenig Budget.", "Gut."]


def test_anonymous_shows_no_names_and_no_individual_scores():
    shown = as_consultant_sees(outcome(*PEOPLE, comments=COMMENTS), "anonymous")
    assert respondent_rows(shown) == () and not individuals_shown(shown)
    assert all(person.name == "" for person in shown.respondents)
    assert all(c.respondent == "" for c in shown.comments)
    assert shown.anonymity == "anonymous"
    # The aggregate stays exactly as it was.
    assert shown.result == outcome(*PEOPLE).result


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        as_consultant_sees(outcome(*PEOPLE), "public")


def test_a_respondent_sees_nobody_elses_name_or_comment():
    full = outcome(*PEOPLE, comments=COMMENTS, anonymity="named")
    seen = as_respondent_sees(full, 1, COMMENTS[:1])
    assert seen.anonymity == "anonymous"
    assert all(person.name == "" for person in seen.respondents)
    assert [(c.respondent, c.text) for c in seen.comments] == [("", "Zu wenig Budget.")]
    assert seen.result == full.result


def test_a_lone_respondent_sees_their_own_results_as_they_are():
    full = outcome(PEOPLE[0], comments=COMMENTS[:1], anonymity="confidential")
    seen = as_respondent_sees(full, 1, COMMENTS[:1])
    assert seen.respondents[0].name == "Anna" and seen.comments == COMMENTS[:1]


def test_groups_are_shown_only_from_three_members():
    assert shown_groups(PEOPLE) == (("manager", 3),)
    (managers,) = group_rows(outcome(*PEOPLE))
    assert (managers.group, managers.count, managers.scores[0]) == ("manager", 3, Fraction(3))


def test_a_question_range_needs_three_answers():
    three = question_summary(outcome(*PEOPLE[:3]), "a1")
    assert (three.answered, three.mean, three.low, three.high) == (3, 3, 2, 4)
    two = question_summary(outcome(*PEOPLE[:2]), "a1")
    assert (two.answered, two.mean, two.low, two.high) == (2, Fraction(5, 2), None, None)


def test_not_applicable_answers_do_not_count_towards_a_range():
    people = (*PEOPLE[:2], Participant("Cem", {"a1": None}))
    summary = question_summary(outcome(*people), "a1")
    assert (summary.answered, summary.low) == (2, None)


def test_the_mode_locks_at_the_first_submission():
    assert not is_locked(0) and is_locked(1)


def test_a_respondent_among_others_does_not_see_the_action_plan_and_its_owners():
    plan = (PlannedAction("a", None, "Budget planen", "Dr. Weiß", None, "planned", 0, None),)
    shared = dataclasses.replace(outcome(person("Anna"), person("Ben")), actions=plan)
    alone = dataclasses.replace(outcome(person("Anna")), actions=plan)
    assert as_respondent_sees(shared, 1, ()).actions == ()
    assert as_respondent_sees(alone, 1, ()).actions == plan
