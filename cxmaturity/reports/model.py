"""What a report is made of: plain, immutable inputs, free of Flask and the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cxmaturity.domain.answers import AnswersDocument
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.scoring import AssessmentResult, RespondentAnswers, score_assessment


@dataclass(frozen=True)
class Comment:
    """A respondent's comment on one question."""

    respondent: str
    question_id: str
    text: str


@dataclass(frozen=True)
class ReportInput:
    """Everything a report shows; equal inputs give an identical PDF."""

    questionnaire: Questionnaire
    organization: str
    period: str
    result: AssessmentResult
    respondents: tuple[RespondentAnswers, ...]
    generated_on: datetime.date
    comments: tuple[Comment, ...] = ()
    previous: AssessmentResult | None = None
    previous_period: str | None = None


def report_input_from_answers(
    document: AnswersDocument, generated_on: datetime.date | None = None
) -> ReportInput:
    """The report of an answers file (DESIGN §6): every respondent in it counts as submitted."""
    return ReportInput(
        questionnaire=document.questionnaire,
        organization=document.organization,
        period=document.period,
        result=score_assessment(document.questionnaire, document.respondents),
        respondents=document.respondents,
        generated_on=generated_on or datetime.date.today(),
    )
