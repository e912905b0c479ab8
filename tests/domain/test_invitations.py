"""The invitation rules of DESIGN §8: expiry, reminders, pasted lists."""

from __future__ import annotations

import datetime

import pytest

from cxmaturity.domain import invitations as rules
from cxmaturity.domain.invitations import Problem, Skip

UTC = datetime.UTC
INVITED = datetime.datetime(2026, 10, 1, 9, 30, tzinfo=UTC)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def test_without_a_due_date_a_link_ends_30_days_after_the_invitation():
    assert rules.expiry(INVITED, None) == INVITED + days(30)


def test_with_a_due_date_a_link_ends_with_the_seventh_day_after_it():
    ends = rules.expiry(INVITED, datetime.date(2026, 10, 31))
    assert ends == datetime.datetime(2026, 11, 8, tzinfo=UTC)  # the end of 7 November


def test_a_link_never_lives_more_than_120_days():
    assert rules.expiry(INVITED, datetime.date(2027, 12, 31)) == INVITED + days(120)


def test_a_link_made_after_the_due_date_still_lives_a_week():
    assert rules.expiry(INVITED, datetime.date(2026, 9, 1)) == INVITED + days(7)


def test_an_extension_goes_to_the_end_of_the_chosen_day():
    now = INVITED + days(20)
    ends = rules.extended_expiry(INVITED, datetime.date(2026, 12, 24), now)
    assert ends == datetime.datetime(2026, 12, 25, tzinfo=UTC)


def test_an_extension_beyond_120_days_or_into_the_past_is_refused():
    now = INVITED + days(20)
    with pytest.raises(rules.ExtensionRefused):
        rules.extended_expiry(INVITED, (INVITED + days(122)).date(), now)
    with pytest.raises(rules.ExtensionRefused):
        rules.extended_expiry(INVITED, (INVITED + days(10)).date(), now)
    # The 120th day itself is allowed, cut to the limit.
    assert rules.extended_expiry(INVITED, (INVITED + days(120)).date(), now) == INVITED + days(120)


def facts(**changes) -> rules.ReminderFacts:
    values = {
        "submitted": False,
        "email": "eva@example.com",
        "delivery": "sent",
        "invited_at": INVITED,
        "expires_at": INVITED + days(30),
        "revoked_at": None,
        "opted_out_at": None,
        "reminder_count": 0,
        "last_reminded_at": None,
    }
    return rules.ReminderFacts(**(values | changes))


def test_the_first_reminder_comes_three_days_after_the_invitation():
    assert rules.reminder_skip(facts(), INVITED + days(2.9)) is Skip.TOO_EARLY
    assert rules.reminder_skip(facts(), INVITED + days(3)) is None


def test_reminders_are_two_days_apart_and_at_most_three():
    later = facts(reminder_count=1, last_reminded_at=INVITED + days(3))
    assert rules.reminder_skip(later, INVITED + days(4.9)) is Skip.TOO_EARLY
    assert rules.reminder_skip(later, INVITED + days(5)) is None
    assert rules.reminder_skip(facts(reminder_count=3), INVITED + days(20)) is Skip.LIMIT_REACHED


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"submitted": True}, Skip.SUBMITTED),
        ({"revoked_at": INVITED}, Skip.REVOKED),
        ({"expires_at": INVITED + days(4)}, Skip.EXPIRED),
        ({"opted_out_at": INVITED}, Skip.OPTED_OUT),
        ({"email": None}, Skip.NO_ADDRESS),
        ({"delivery": "bounced"}, Skip.NOT_DELIVERED),
    ],
)
def test_nobody_is_reminded_who_submitted_left_or_cannot_be_reached(changes, reason):
    assert rules.reminder_skip(facts(**changes), INVITED + days(5)) is reason


def test_a_pasted_list_gives_respondents_with_defaults():
    text = "Eva Roth, eva@example.com, manager, de\n\nJan Berg;;frontline\nOla\tola@example.org"
    entries, problems = rules.parse_list(text, set(), "en")
    assert problems == []
    assert entries == [
        rules.NewRespondent("Eva Roth", "eva@example.com", "manager", "de"),
        rules.NewRespondent("Jan Berg", None, "frontline", "en"),
        rules.NewRespondent("Ola", "ola@example.org", "other", "en"),
    ]


def test_each_bad_line_of_a_list_is_named_with_its_number():
    text = "\n".join(
        [
            "Eva, eva@example.com",
            "Eva again, EVA@example.com",
            "Kim, kim@",
            ", nobody@example.com",
            "Old, old@example.com",
            "Lea, lea@example.com, boss",
            "Max, max@example.com, other, fr",
            "A, a@example.com, other, de, extra",
        ]
    )
    _entries, problems = rules.parse_list(text, {"old@example.com"}, "de")
    assert [(p.line, p.problem, p.other_line) for p in problems] == [
        (2, Problem.DUPLICATE_IN_LIST, 1),
        (3, Problem.EMAIL_INVALID, None),
        (4, Problem.NAME_MISSING, None),
        (5, Problem.ALREADY_INVITED, None),
        (6, Problem.GROUP_INVALID, None),
        (7, Problem.LANGUAGE_INVALID, None),
        (8, Problem.TOO_MANY_FIELDS, None),
    ]


def test_a_list_of_5000_lines_is_read_and_one_more_refused():
    lines = [f"Person {n}, p{n}@example.com" for n in range(5000)]
    entries, problems = rules.parse_list("\n".join(lines), set(), "de")
    assert len(entries) == 5000 and not problems
    with pytest.raises(rules.ListTooLong) as refused:
        rules.parse_list("\n".join([*lines, "One more, more@example.com"]), set(), "de")
    assert refused.value.lines == 5001
