"""Results of an assessment: scores over its submitted respondents, and the page model."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.questionnaire import Dimension, Level, LocalizedText, Questionnaire
from cxmaturity.domain.scoring import (
    AssessmentResult,
    DimensionResult,
    RespondentAnswers,
    round_half_up,
    score_assessment,
)
from cxmaturity.reports.model import Comment, ReportInput
from cxmaturity.reports.pdf import ReportCache
from cxmaturity.reports.pdf import ReportRenderError as ReportRenderError  # for the web layer
from cxmaturity.store import queries
from cxmaturity.store.database import reading
from cxmaturity.store.models import Assessment

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


@dataclass(frozen=True)
class AssessmentOutcome:
    """Everything the results page and the report show for one assessment."""

    questionnaire: Questionnaire
    organization: str
    period: str
    respondents: tuple[RespondentAnswers, ...]
    comments: tuple[Comment, ...]
    result: AssessmentResult
    previous: AssessmentResult | None
    previous_period: str | None


def assessment_outcome(
    sessions: sessionmaker[Session], catalogue: Catalogue, assessment_id: int
) -> AssessmentOutcome:
    with reading(sessions) as session:
        assessment = session.get_one(Assessment, assessment_id)
        questionnaire = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
        respondents, comments = _submitted(session, assessment.id)
        previous = queries.previous_assessment(
            session, assessment.organization_id, assessment.questionnaire_id, assessment.period
        )
        previous_result = None
        if previous is not None:
            previous_questionnaire = catalogue.get(
                previous.questionnaire_id, previous.questionnaire_version
            )
            previous_respondents, _ = _submitted(session, previous.id)
            previous_result = score_assessment(previous_questionnaire, previous_respondents)
        return AssessmentOutcome(
            questionnaire=questionnaire,
            organization=assessment.organization.name,
            period=assessment.period,
            respondents=respondents,
            comments=comments,
            result=score_assessment(questionnaire, respondents),
            previous=previous_result,
            previous_period=previous.period if previous is not None else None,
        )


def _submitted(
    session: Session, assessment_id: int
) -> tuple[tuple[RespondentAnswers, ...], tuple[Comment, ...]]:
    respondents = []
    comments: list[Comment] = []
    for position, respondent in enumerate(
        queries.submitted_respondents_with_answers(session, assessment_id)
    ):
        name = respondent.name or f"#{position + 1}"
        answers = {answer.question_id: answer.level for answer in respondent.answers}
        respondents.append(RespondentAnswers(name=name, answers=answers))
        comments.extend(
            Comment(respondent=name, question_id=answer.question_id, text=answer.comment)
            for answer in respondent.answers
            if answer.comment
        )
    return tuple(respondents), tuple(comments)


def radar_chart(outcome: AssessmentOutcome, language: str) -> str:
    """The radar chart (SVG) of the results page, with last period's polygon where known."""
    from cxmaturity.reports.charts import radar_svg  # matplotlib loads only when drawing

    return radar_svg(outcome.questionnaire, outcome.result, language, outcome.previous)


def report_pdf(
    outcome: AssessmentOutcome, language: str, cache: ReportCache, today: datetime.date
) -> bytes:
    """The PDF report, from the cache when the same report was made before.

    Raises ReportRenderError when rendering fails or overruns its time limit.
    """
    return cache.get_or_render(report_input(outcome, today), language)


def report_file_name(organization: str, period: str, language: str) -> str:
    """A file name that survives every operating system: letters, digits and dashes."""
    german = organization.translate(GERMAN_TRANSLITERATION)
    ascii_name = unicodedata.normalize("NFKD", german).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")[:60] or "report"
    word = "CX-Reifegrad" if language == "de" else "CX-maturity"
    return f"{word}-{slug}-{period}.pdf"


def report_input(outcome: AssessmentOutcome, generated_on: datetime.date) -> ReportInput:
    """The PDF report's input for an assessment's outcome."""
    return ReportInput(
        questionnaire=outcome.questionnaire,
        organization=outcome.organization,
        period=outcome.period,
        result=outcome.result,
        respondents=outcome.respondents,
        generated_on=generated_on,
        comments=outcome.comments,
        previous=outcome.previous,
        previous_period=outcome.previous_period,
    )


@dataclass(frozen=True)
class DimensionRow:
    dimension: Dimension
    result: DimensionResult
    level_name: str
    next_steps: Sequence[LocalizedText]


@dataclass(frozen=True)
class ResultsView:
    """The results page in one language; no computing is left to the template."""

    outcome: AssessmentOutcome
    language: str

    @property
    def result(self) -> AssessmentResult:
        return self.outcome.result

    @property
    def organization(self) -> str:
        return self.outcome.organization

    @property
    def period(self) -> str:
        return self.outcome.period

    @property
    def respondent_count(self) -> int:
        return len(self.outcome.respondents)

    @property
    def overall_level(self) -> Level | None:
        level = self.result.overall_level
        return self.outcome.questionnaire.level(level) if level else None

    @property
    def rows(self) -> list[DimensionRow]:
        questionnaire = self.outcome.questionnaire
        rows = []
        for dimension, result in zip(questionnaire.dimensions, self.result.dimensions, strict=True):
            level = questionnaire.level(result.level) if result.level else None
            rows.append(
                DimensionRow(
                    dimension=dimension,
                    result=result,
                    level_name=level.name.get(self.language) if level else "",
                    next_steps=dimension.recommendations[result.level] if result.level else (),
                )
            )
        return rows

    @property
    def priority_rows(self) -> list[DimensionRow]:
        by_id = {row.dimension.id: row for row in self.rows}
        return [by_id[dimension_id] for dimension_id in self.result.priorities]

    @property
    def other_rows(self) -> list[DimensionRow]:
        priorities = set(self.result.priorities)
        return [row for row in self.rows if row.dimension.id not in priorities]

    @property
    def weakest_title(self) -> str:
        weakest = self.result.weakest
        if weakest is None:
            return ""
        return self.outcome.questionnaire.dimension(weakest.dimension_id).title.get(self.language)

    @property
    def cap(self) -> int | None:
        return self.outcome.questionnaire.cap_above_weakest

    def display(self, value: Fraction | None) -> str:
        """A score with one decimal, rounded half up, with a decimal comma in German."""
        if value is None:
            return "–"
        shown = str(round_half_up(value, 1))
        return shown.replace(".", ",") if self.language == "de" else shown
