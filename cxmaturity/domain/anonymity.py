"""What each anonymity mode lets results show (DESIGN §8): names, aliases, ranges, groups.

Pure: the services read an assessment's answers into an Outcome with every name, and
pass it through `as_consultant_sees` or `as_respondent_sees` before anything shows it;
pages and the PDF then show exactly what the returned outcome holds.

- named: who answered what; comments with the respondent's name.
- confidential: individual answers only under aliases R1…Rn; comments without names.
- anonymous: no names and no individual answers; comments without names.

Comments never carry an alias in confidential or anonymous mode either: a comment's words
may give away its author, and an alias would then give away all their answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from cxmaturity.domain.outcome import Comment, Outcome, Participant
from cxmaturity.domain.scoring import respondent_dimension_score
from cxmaturity.domain.statuses import Anonymity

MIN_ANSWERS_FOR_RANGE = 3
"""A question's range (lowest–highest level) is shown only where this many answered it."""
MIN_GROUP_SIZE = 3
"""A respondent group is shown (counted or broken down) only where it has this many."""


def alias(number: int) -> str:
    """The alias of the `number`-th respondent (1-based, in the outcome's order): "R1"."""
    return f"R{number}"


def is_locked(submitted_respondents: int) -> bool:
    """The mode can no longer change once anybody has submitted."""
    return submitted_respondents > 0


def as_consultant_sees(outcome: Outcome, mode: Anonymity | str) -> Outcome:
    """The outcome as the workspace (consultant, viewer, client staff) may see it in `mode`.

    Named: unchanged. Confidential and anonymous: no name on any respondent or comment.
    The outcome records the mode, so the PDF's cache key differs per mode.
    """
    mode = Anonymity(mode)
    if mode is Anonymity.NAMED:
        return replace(outcome, anonymity=mode.value)
    return replace(
        outcome,
        anonymity=mode.value,
        respondents=tuple(replace(person, name="", email=None) for person in outcome.respondents),
        comments=tuple(replace(comment, respondent="") for comment in outcome.comments),
    )


def as_respondent_sees(
    outcome: Outcome, own_number: int | None, own_comments: Sequence[Comment]
) -> Outcome:
    """The outcome as one respondent may see it: the aggregate and their own comments.

    `own_number` is the respondent's 1-based place in `outcome.respondents` (None before
    submission). Nobody else's name or comment is kept; where the respondent is the only
    one, the results are all their own and stay as they are (named). The client's action
    plan is left out: it names who owns each action, which is the workspace's to show.
    """
    people = outcome.respondents
    if own_number == 1 and len(people) == 1:
        return replace(outcome, anonymity=Anonymity.NAMED.value, comments=tuple(own_comments))
    return replace(
        outcome,
        anonymity=Anonymity.ANONYMOUS.value,
        respondents=tuple(replace(person, name="", email=None) for person in people),
        comments=tuple(replace(comment, respondent="") for comment in own_comments),
        actions=(),
    )


def names_shown(outcome: Outcome) -> bool:
    return outcome.anonymity == Anonymity.NAMED


def individuals_shown(outcome: Outcome) -> bool:
    """Whether answers per respondent may be shown (by name, or under aliases)."""
    return outcome.anonymity in (Anonymity.NAMED, Anonymity.CONFIDENTIAL)


def comment_author(outcome: Outcome, comment: Comment, number: int | None) -> str:
    """The author printed under a comment: a name in named mode only, else nothing.

    In named mode a respondent without a name is quoted under their alias (`number`).
    """
    if not names_shown(outcome):
        return ""
    name = comment.respondent.strip()
    return name or (alias(number) if number else "")


def range_shown(answered: int) -> bool:
    return answered >= MIN_ANSWERS_FOR_RANGE


def shown_groups(respondents: Sequence[Participant]) -> tuple[tuple[str, int], ...]:
    """(group, count) of the groups with at least MIN_GROUP_SIZE respondents, by size."""
    counts: dict[str, int] = {}
    for person in respondents:
        if person.group:
            counts[person.group] = counts.get(person.group, 0) + 1
    return tuple(
        sorted(
            ((group, n) for group, n in counts.items() if n >= MIN_GROUP_SIZE),
            key=lambda item: -item[1],
        )
    )


@dataclass(frozen=True)
class RespondentRow:
    """One respondent's dimension scores, under their name or alias."""

    label: str
    group: str | None
    scores: tuple[Fraction | None, ...]
    """In questionnaire order of the dimensions; None where not scored."""


def respondent_rows(outcome: Outcome) -> tuple[RespondentRow, ...]:
    """Who scored what per dimension: named rows, alias rows, or none (anonymous)."""
    if not individuals_shown(outcome):
        return ()
    named = names_shown(outcome)
    rows = []
    for number, person in enumerate(outcome.respondents, start=1):
        label = person.name.strip() if named and person.name.strip() else alias(number)
        rows.append(
            RespondentRow(
                label=label,
                # A group beside an alias could name the only executive: named mode only.
                group=person.group if named else None,
                scores=tuple(
                    respondent_dimension_score(dimension, person.answers)
                    for dimension in outcome.questionnaire.dimensions
                ),
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class GroupRow:
    """The mean dimension scores of one respondent group (only groups of MIN_GROUP_SIZE+)."""

    group: str
    count: int
    scores: tuple[Fraction | None, ...]


def group_rows(outcome: Outcome) -> tuple[GroupRow, ...]:
    rows = []
    for group, count in shown_groups(outcome.respondents):
        members = [person for person in outcome.respondents if person.group == group]
        scores = []
        for dimension in outcome.questionnaire.dimensions:
            found = [
                score
                for person in members
                if (score := respondent_dimension_score(dimension, person.answers)) is not None
            ]
            scores.append(Fraction(sum(found), len(found)) if found else None)
        rows.append(GroupRow(group, count, tuple(scores)))
    return tuple(rows)


@dataclass(frozen=True)
class QuestionSummary:
    """A question's answers in short: how many chose a level, their mean, and the range."""

    question_id: str
    answered: int
    mean: Fraction | None
    low: int | None
    """Lowest and highest level chosen; None unless range_shown(answered)."""
    high: int | None


def question_summary(outcome: Outcome, question_id: str) -> QuestionSummary:
    chosen = [level for person in outcome.respondents if (level := person.answers.get(question_id))]
    mean = Fraction(sum(chosen), len(chosen)) if chosen else None
    if not range_shown(len(chosen)):
        return QuestionSummary(question_id, len(chosen), mean, None, None)
    return QuestionSummary(question_id, len(chosen), mean, min(chosen), max(chosen))
