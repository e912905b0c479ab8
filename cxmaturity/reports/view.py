"""Turns a ReportInput into the texts the report templates show, in one language.

All wording, rounding and choosing happens here, so templates only loop and place.
User text is NFC-normalised here; escaping is the template engine's job.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.questionnaire import Dimension, Questionnaire
from cxmaturity.domain.scoring import (
    DISAGREEMENT_SPREAD,
    DimensionResult,
    RespondentAnswers,
    change_since,
)
from cxmaturity.reports.model import Comment, ReportInput
from cxmaturity.reports.strings import Strings


def clean(text: str) -> str:
    """NFC text without control characters, which a PDF could not show anyway."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


@dataclass(frozen=True)
class LevelView:
    number: int
    name: str
    description: str
    threshold: str


@dataclass(frozen=True)
class QuestionView:
    label: str
    """The question's short label, such as "Budget"."""
    answers: str
    """The answers in short: mean and range of the levels chosen, and how many gave none."""
    mean: Fraction | None
    next_option: str | None


@dataclass(frozen=True)
class DimensionView:
    id: str
    number: int
    anchor: str
    title: str
    weight: str
    scored: bool
    exact_score: Fraction | None
    score: str
    level: LevelView | None
    next_level: LevelView | None
    respondents: int
    spread: str
    disagreement: bool
    change: str
    questions: tuple[QuestionView, ...]
    answers_line: str
    """Every question's answers in short, in one line of plain text (cheap to lay out)."""
    next_practice: str | None
    """What the next level looks like at the question whose answers are lowest, labelled."""
    steps: tuple[str, ...]


@dataclass(frozen=True)
class CommentGroup:
    question: str
    dimension: str
    comments: tuple[tuple[str, str], ...]
    """(respondent, text) pairs."""


@dataclass(frozen=True)
class ReportView:
    t: Strings
    organization: str
    period: str
    date: str
    title: str
    version: str
    respondent_count: int
    levels: tuple[LevelView, ...]
    overall_level: LevelView | None
    overall_score: str
    overall_change: str
    cap_note: str
    dimensions: tuple[DimensionView, ...]
    priorities: tuple[DimensionView, ...]
    later: tuple[DimensionView, ...]
    strongest: DimensionView | None
    weakest: DimensionView | None
    disagreements: int
    previous_period: str
    comments: tuple[CommentGroup, ...]
    disagreement_spread: str
    cap: int | None


def build_view(report: ReportInput, language: str) -> ReportView:
    t = Strings(language)
    questionnaire = report.questionnaire
    result = report.result
    levels = tuple(_level(questionnaire, number, t) for number in (1, 2, 3, 4, 5))
    changes = change_since(result, report.previous) if report.previous else {}
    dimensions = tuple(
        _dimension(number, dimension, result.dimension(dimension.id), report, changes, t)
        for number, dimension in enumerate(questionnaire.dimensions, start=1)
    )
    by_id = {view.id: view for view in dimensions}
    scored = [view for view in dimensions if view.scored]
    ranked = [by_id[dimension_id] for dimension_id in result.ranked_priorities]
    # The scoring's own rule, the one the cap counts from.
    weakest = by_id[result.weakest.dimension_id] if result.weakest else None
    overall = result.overall_level
    return ReportView(
        t=t,
        organization=clean(report.organization),
        period=clean(report.period),
        date=t.date(report.generated_on),
        title=clean(questionnaire.title.get(language)),
        version=questionnaire.version,
        respondent_count=len(report.respondents),
        levels=levels,
        overall_level=levels[overall - 1] if overall else None,
        overall_score=t.score(result.overall_score),
        overall_change=_overall_change(report, t),
        cap_note=_cap_note(report, weakest, t),
        dimensions=dimensions,
        priorities=tuple(ranked[: len(result.priorities)]),
        later=tuple(ranked[len(result.priorities) :]),
        # Ties go to the first dimension in questionnaire order: max keeps the first.
        strongest=max(scored, key=lambda view: view.exact_score, default=None),
        weakest=weakest,
        disagreements=sum(view.disagreement for view in dimensions),
        previous_period=_previous_period(report, t),
        comments=_comments(questionnaire, report.comments, language),
        disagreement_spread=t.decimal(DISAGREEMENT_SPREAD),
        cap=questionnaire.cap_above_weakest,
    )


def _level(questionnaire: Questionnaire, number: int, t: Strings) -> LevelView:
    level = questionnaire.level(number)
    return LevelView(
        number=number,
        name=clean(level.name.get(t.language)),
        description=clean(level.description.get(t.language)),
        threshold=t.decimal(level.threshold),
    )


def _dimension(
    number: int,
    dimension: Dimension,
    result: DimensionResult,
    report: ReportInput,
    changes: dict[str, Fraction],
    t: Strings,
) -> DimensionView:
    language = t.language
    level = _level(report.questionnaire, result.level, t) if result.level else None
    next_number = result.level + 1 if result.level and result.level < 5 else None
    next_level = _level(report.questionnaire, next_number, t) if next_number else None
    steps = dimension.recommendations[result.level] if result.level else ()
    questions = tuple(
        _question(question, report.respondents, next_number, t) for question in dimension.questions
    )
    # Only questions answered below the next level have a gap to it; min keeps the first
    # of equal means, so ties go to questionnaire order.
    below = [q for q in questions if q.mean is not None and next_number and q.mean < next_number]
    widest_gap = min(below, key=lambda question: question.mean, default=None)
    return DimensionView(
        id=dimension.id,
        number=number,
        anchor=f"dimension-{dimension.id}",
        title=clean(dimension.title.get(language)),
        weight=t.decimal(dimension.weight),
        scored=result.scored,
        exact_score=result.score,
        score=t.score(result.score),
        level=level,
        next_level=next_level,
        respondents=result.respondents,
        spread=t.decimal(result.spread) if result.spread is not None else "",
        disagreement=result.disagreement,
        change=t.change(changes.get(dimension.id)),
        questions=questions,
        answers_line=", ".join(f"{question.label} {question.answers}" for question in questions),
        next_practice=f"{widest_gap.label}: {widest_gap.next_option}" if widest_gap else None,
        steps=tuple(clean(step.get(language)) for step in steps),
    )


def _question(
    question, respondents: tuple[RespondentAnswers, ...], next_number, t: Strings
) -> QuestionView:
    next_option = question.option(next_number).text.get(t.language) if next_number else None
    chosen = [r.answers.get(question.id) for r in respondents]
    answered = [level for level in chosen if level]
    mean = Fraction(sum(answered), len(answered)) if answered else None
    if question.short:
        label = question.short.get(t.language)
    else:  # the question's own words, cut short: "Question 3" would tell a reader nothing
        label = textwrap.shorten(question.text.get(t.language), width=40, placeholder=" …")
    return QuestionView(
        label=clean(label),
        answers=_answers_in_short(answered, len(chosen) - len(answered), mean, t),
        mean=mean,
        next_option=clean(next_option) if next_option else None,
    )


def _answers_in_short(
    answered: list[int], unanswered: int, mean: Fraction | None, t: Strings
) -> str:
    """Such as "Ø 2,3 (1–4)", "Ø 3,0 (3; 1 k. A.)" or "– (3 k. A.)" where nobody chose."""
    no_answer = f"{unanswered} {t('dimension.na')}"
    if mean is None:
        return f"– ({no_answer})"
    low, high = min(answered), max(answered)
    # A word joiner after the dash: a range is never split across two lines.
    details = [str(low) if low == high else f"{low}–\N{WORD JOINER}{high}"]
    if unanswered:
        details.append(no_answer)
    return f"Ø {t.decimal(mean)} ({'; '.join(details)})"


def _previous_period(report: ReportInput, t: Strings) -> str:
    """How the previous period is named; empty when there is none to compare with."""
    if report.previous is None:
        return ""
    return clean(report.previous_period or "") or t("chart.previous")


def _overall_change(report: ReportInput, t: Strings) -> str:
    before = report.previous.overall_score if report.previous else None
    now = report.result.overall_score
    return t.change(now - before) if before is not None and now is not None else ""


def _cap_note(report: ReportInput, weakest: DimensionView | None, t: Strings) -> str:
    result = report.result
    if not result.capped or weakest is None:
        return ""
    cap = report.questionnaire.cap_above_weakest
    return t(
        "summary.cap",
        level=result.overall_level,
        cap=cap,
        levels=t.levels_word(cap),
        dimension=weakest.title,
        weakest=weakest.level.number,
        uncapped=result.uncapped_level,
    )


def _comments(
    questionnaire: Questionnaire, comments: tuple[Comment, ...], language: str
) -> tuple[CommentGroup, ...]:
    order = {question_id: index for index, question_id in enumerate(questionnaire.questions)}
    groups: dict[str, list[tuple[str, str]]] = {}
    for comment in comments:
        if clean(comment.text).strip():
            groups.setdefault(comment.question_id, []).append(
                (clean(comment.respondent), clean(comment.text).strip())
            )
    return tuple(
        _comment_group(questionnaire, question_id, entries, language)
        for question_id, entries in sorted(
            groups.items(), key=lambda item: order.get(item[0], len(order))
        )
    )


def _comment_group(questionnaire, question_id: str, entries, language: str) -> CommentGroup:
    if question_id not in questionnaire.questions:
        return CommentGroup(clean(question_id), "", tuple(entries))
    question = questionnaire.questions[question_id]
    dimension = next(
        d for d in questionnaire.dimensions if any(q.id == question_id for q in d.questions)
    )
    return CommentGroup(
        question=clean(question.text.get(language)),
        dimension=clean(dimension.title.get(language)),
        comments=tuple(entries),
    )
