"""The PDF report in each anonymity mode, read from its view (DESIGN §8)."""

import datetime

import pytest
from factories import make_questionnaire

from cxmaturity.domain.anonymity import as_consultant_sees, as_respondent_sees
from cxmaturity.domain.outcome import Comment, Participant, outcome_of
from cxmaturity.reports import cache as report_cache
from cxmaturity.reports.view import build_view

DAY = datetime.date(2026, 11, 23)
QUESTIONNAIRE = make_questionnaire()
PEOPLE = (
    Participant("Anna Schäfer", dict.fromkeys(QUESTIONNAIRE.questions, 2), "manager"),
    Participant("Ben Kraus", dict.fromkeys(QUESTIONNAIRE.questions, 3), "manager"),
    Participant("Cem Aydın", dict.fromkeys(QUESTIONNAIRE.questions, 4), "manager"),
    Participant("Dora Lenz", dict.fromkeys(QUESTIONNAIRE.questions, 4), "executive"),
)
COMMENTS = (Comment("Anna Schäfer", "a1", "Zu wenig Budget."),)


def full_outcome(people=PEOPLE):
    return outcome_of(QUESTIONNAIRE, "Müller GmbH", "2026-Q4", people, COMMENTS)


def view_in(mode, language="en"):
    return build_view(as_consultant_sees(full_outcome(), mode), language, DAY)


def everything_printed(view) -> str:
    comments = [(c.author, c.text) for g in view.comments.groups for c in g.comments]
    return repr((view.participants, comments, [d.answers_line for d in view.dimensions]))


def test_named_lists_the_participants_and_names_the_comments_author():
    view = view_in("named")
    assert view.participants.listed[0].startswith("Anna Schäfer · manager")
    assert view.comments.groups[0].comments[0].author == "Anna Schäfer"


@pytest.mark.parametrize("mode", ["confidential", "anonymous"])
def test_without_names_the_report_counts_and_quotes_nobody_by_name(mode):
    view = view_in(mode)
    printed = everything_printed(view)
    for person in PEOPLE:
        assert person.name not in printed
    assert view.participants.listed == ()
    assert view.comments.groups[0].comments[0].author == ""  # not even an alias
    assert view.comments.groups[0].comments[0].text == "Zu wenig Budget."


@pytest.mark.parametrize("mode", ["confidential", "anonymous"])
def test_groups_are_counted_only_where_three_or_more_share_one(mode):
    view = view_in(mode, language="de")
    assert view.participants.counted == "4 Teilnehmende: Führungskraft (3)"


def test_per_question_ranges_need_three_answers():
    assert "(2–4)" in view_in("anonymous").dimensions[0].answers_line.replace("\u2060", "")
    two = build_view(full_outcome(PEOPLE[:2]), "en", DAY)
    assert "–" not in two.dimensions[0].answers_line.replace("Ø", "")


def test_a_respondents_own_report_names_nobody_else():
    seen = as_respondent_sees(full_outcome(), 2, ())
    printed = everything_printed(build_view(seen, "en", DAY))
    for person in PEOPLE:
        assert person.name not in printed
    assert "Zu wenig Budget." not in printed  # somebody else's comment


def test_the_cache_key_differs_per_mode():
    keys = {
        report_cache.cache_key(as_consultant_sees(full_outcome(), mode), "de", DAY)
        for mode in ("named", "confidential", "anonymous")
    }
    assert len(keys) == 3


def test_scores_per_respondent_follow_the_mode():
    named, confidential, anonymous = (view_in(m) for m in ("named", "confidential", "anonymous"))
    assert [row.label for row in named.people.respondents][:2] == ["Anna Schäfer", "Ben Kraus"]
    assert named.people.respondents[0].scores[0] == "2.0"
    assert [row.label for row in confidential.people.respondents] == ["R1", "R2", "R3", "R4"]
    assert confidential.people.aliases and not named.people.aliases
    assert anonymous.people.respondents == ()
    for view in (named, confidential, anonymous):  # one executive: no row for that group
        assert [row.label for row in view.people.groups] == ["manager (3)"]


def test_a_respondents_own_report_has_no_scores_per_respondent():
    seen = build_view(as_respondent_sees(full_outcome(), 1, ()), "en", DAY)
    assert seen.people.respondents == ()
