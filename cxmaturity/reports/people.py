"""The report's scores per respondent and per respondent group, as its anonymity mode allows.

Named: one row per respondent with their name; confidential: under aliases R1…Rn;
anonymous (and any respondent's own report with others in it): no rows at all. Groups
only where three or more respondents share one (domain/anonymity.py decides both).
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity.domain.anonymity import group_rows, respondent_rows
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.statuses import Anonymity
from cxmaturity.reports.summary import group_name
from cxmaturity.reports.text_tools import clean
from cxmaturity.reports.texts import ReportText

LISTED_RESPONDENTS = 40
"""Rows printed at most: a board report is no spreadsheet (the exports hold them all)."""


@dataclass(frozen=True)
class ScoreRow:
    label: str
    scores: tuple[str, ...]
    """One per dimension in questionnaire order, worded: "2,5" or "–"."""


@dataclass(frozen=True)
class PeopleView:
    respondents: tuple[ScoreRow, ...]
    left_out: str
    """Empty, or how many respondents were not listed for lack of room."""
    groups: tuple[ScoreRow, ...]
    aliases: bool
    """Whether the respondents appear under aliases (confidential) rather than names."""

    def __bool__(self) -> bool:
        return bool(self.respondents or self.groups)


def people_view(outcome: Outcome, t: ReportText) -> PeopleView:
    rows = respondent_rows(outcome)
    listed = tuple(
        ScoreRow(clean(row.label), tuple(t.score(score) for score in row.scores))
        for row in rows[:LISTED_RESPONDENTS]
    )
    left_out = ""
    if len(rows) > LISTED_RESPONDENTS:
        left_out = t.ngettext(
            "%(num)s more respondent is not listed.",
            "%(num)s more respondents are not listed.",
            len(rows) - LISTED_RESPONDENTS,
        )
    groups = tuple(
        ScoreRow(
            f"{group_name(row.group, t)} ({row.count})",
            tuple(t.score(score) for score in row.scores),
        )
        for row in group_rows(outcome)
    )
    return PeopleView(listed, left_out, groups, outcome.anonymity == Anonymity.CONFIDENTIAL)
