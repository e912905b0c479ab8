"""The respondent's answers in short, per dimension: for the review page and the read-only view."""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity.services.assessments import RespondentState
from cxmaturity.web.dimension_page import short_label


@dataclass(frozen=True)
class AnswerLine:
    question_id: str
    number: int  # the question's number on its page
    label: str  # the short label
    text: str  # the whole question
    level: int | None
    not_applicable: bool
    option_text: str | None  # the chosen option's description
    comment: str
    # Last quarter's answer, not yet confirmed or changed: it counts as unanswered (DESIGN §8).
    prefilled: bool = False

    @property
    def answered(self) -> bool:
        return (self.level is not None or self.not_applicable) and not self.prefilled


@dataclass(frozen=True)
class DimensionAnswers:
    number: int  # the dimension's page
    title: str
    lines: tuple[AnswerLine, ...]

    @property
    def to_confirm(self) -> tuple[AnswerLine, ...]:
        return tuple(line for line in self.lines if line.prefilled)


def answers_by_dimension(state: RespondentState, language: str) -> list[DimensionAnswers]:
    pages = []
    for page, dimension in enumerate(state.questionnaire.dimensions, start=1):
        lines = []
        for number, question in enumerate(dimension.questions, start=1):
            answer = state.answers.get(question.id)
            level = answer.level if answer else None
            lines.append(
                AnswerLine(
                    question_id=question.id,
                    number=number,
                    label=short_label(question, language),
                    text=question.text.get(language),
                    level=level,
                    not_applicable=bool(answer and answer.not_applicable),
                    option_text=question.option(level).text.get(language) if level else None,
                    comment=answer.comment if answer else "",
                    prefilled=state.to_confirm(question.id),
                )
            )
        pages.append(DimensionAnswers(page, dimension.title.get(language), tuple(lines)))
    return pages
