"""The one outcome record of an assessment: what its results page, PDF, exports and API show.

Pages and reports read it; nothing in it depends on the day it is shown, so the render
date is always an argument of whoever draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.scoring import AssessmentResult, RespondentAnswers, score_assessment
from cxmaturity.domain.statuses import Anonymity

RESPONDENT_GROUPS = ("executive", "manager", "frontline", "other")


@dataclass(frozen=True)
class Participant(RespondentAnswers):
    """A submitted respondent as the outcome shows them: name, group and answers."""

    group: str | None = None

    @property
    def answered(self) -> int:
        """How many questions this respondent answered with a level."""
        return sum(1 for level in self.answers.values() if level)


@dataclass(frozen=True)
class Comment:
    """A respondent's comment on one question."""

    respondent: str
    question_id: str
    text: str


@dataclass(frozen=True)
class Outcome:
    """Everything shown about one assessment; equal outcomes give an identical report."""

    questionnaire: Questionnaire
    organization: str
    period: str
    respondents: tuple[Participant, ...]
    comments: tuple[Comment, ...]
    result: AssessmentResult
    previous: AssessmentResult | None = None
    previous_period: str | None = None
    anonymity: str = Anonymity.NAMED.value
    """The anonymity mode this record was prepared for (domain/anonymity.py): what its
    names and comments may show. Part of the report cache's key like every field."""

    @property
    def questions_answered(self) -> int:
        """How many of the questionnaire's questions at least one respondent answered."""
        return sum(
            1
            for question_id in self.questionnaire.questions
            if any(person.answers.get(question_id) for person in self.respondents)
        )


def outcome_of(
    questionnaire: Questionnaire,
    organization: str,
    period: str,
    respondents: Sequence[Participant],
    comments: Sequence[Comment] = (),
    previous: AssessmentResult | None = None,
    previous_period: str | None = None,
    anonymity: str = Anonymity.NAMED.value,
) -> Outcome:
    """The outcome of submitted respondents, scored by DESIGN §4."""
    return Outcome(
        questionnaire=questionnaire,
        organization=organization,
        period=period,
        respondents=tuple(respondents),
        comments=tuple(comments),
        result=score_assessment(questionnaire, respondents),
        previous=previous,
        previous_period=previous_period if previous is not None else None,
        anonymity=Anonymity(anonymity).value,
    )
