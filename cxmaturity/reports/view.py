"""Turns an Outcome into the texts the report templates show, in one language.

All wording, rounding and choosing happens here (and in summary.py and comments.py),
so templates only loop and place. User text is NFC-normalised here; escaping is the
template engine's job.
"""

from __future__ import annotations

import datetime
import textwrap
from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.anonymity import range_shown
from cxmaturity.domain.outcome import Outcome, Participant
from cxmaturity.domain.questionnaire import Dimension, Question, Questionnaire
from cxmaturity.domain.scoring import DISAGREEMENT_SPREAD, DimensionResult, change_since
from cxmaturity.reports.comments import CommentsView, comment_groups
from cxmaturity.reports.people import PeopleView, people_view
from cxmaturity.reports.summary import ParticipantsView, participants, summary_sentences
from cxmaturity.reports.text_tools import clean, keep_together
from cxmaturity.reports.texts import ReportText


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
    """The next steps; for a disputed dimension the first is to agree on where it stands."""


@dataclass(frozen=True)
class ReportView:
    t: ReportText
    organization: str
    period: str
    date: str
    title: str
    version: str
    participants: ParticipantsView
    levels: tuple[LevelView, ...]
    overall_level: LevelView | None
    overall_score: str
    overall_change: str
    summary: str
    dimensions: tuple[DimensionView, ...]
    priorities: tuple[DimensionView, ...]
    later: tuple[DimensionView, ...]
    previous_period: str
    comments: CommentsView
    people: PeopleView
    """Scores per respondent and per group, as the anonymity mode allows."""
    disagreement_spread: str
    not_applicable: str
    """"n/a" or "k. A.", never broken across lines."""
    cap: int | None


def build_view(outcome: Outcome, language: str, day: datetime.date) -> ReportView:
    """The report of `outcome` in `language`, dated `day`."""
    t = ReportText(language)
    questionnaire = outcome.questionnaire
    result = outcome.result
    levels = tuple(_level(questionnaire, number, t) for number in (1, 2, 3, 4, 5))
    changes = change_since(result, outcome.previous) if outcome.previous else {}
    dimensions = tuple(
        _dimension(number, dimension, result.dimension(dimension.id), outcome, changes, t)
        for number, dimension in enumerate(questionnaire.dimensions, start=1)
    )
    by_id = {view.id: view for view in dimensions}
    ranked = [by_id[dimension_id] for dimension_id in result.ranked_priorities]
    overall = result.overall_level
    return ReportView(
        t=t,
        organization=clean(outcome.organization),
        period=clean(outcome.period),
        date=t.date(day),
        title=clean(questionnaire.title.get(language)),
        version=questionnaire.version,
        participants=participants(outcome, t),
        levels=levels,
        overall_level=levels[overall - 1] if overall else None,
        overall_score=t.score(result.overall_score),
        overall_change=_overall_change(outcome, t),
        summary=summary_sentences(outcome, t),
        dimensions=dimensions,
        priorities=tuple(ranked[: len(result.priorities)]),
        later=tuple(ranked[len(result.priorities) :]),
        previous_period=_previous_period(outcome, t),
        comments=comment_groups(outcome, t),
        people=people_view(outcome, t),
        disagreement_spread=t.spread(DISAGREEMENT_SPREAD),
        not_applicable=keep_together(t.gettext("n/a")),
        cap=questionnaire.cap_above_weakest,
    )


def _level(questionnaire: Questionnaire, number: int, t: ReportText) -> LevelView:
    level = questionnaire.level(number)
    return LevelView(
        number=number,
        name=clean(level.name.get(t.language)),
        description=clean(level.description.get(t.language)),
        threshold=t.score(level.threshold),
    )


def _dimension(
    number: int,
    dimension: Dimension,
    result: DimensionResult,
    outcome: Outcome,
    changes: dict[str, Fraction],
    t: ReportText,
) -> DimensionView:
    language = t.language
    level = _level(outcome.questionnaire, result.level, t) if result.level else None
    next_number = result.level + 1 if result.level and result.level < 5 else None
    next_level = _level(outcome.questionnaire, next_number, t) if next_number else None
    steps = [clean(step.get(language)) for step in dimension.recommendations.get(result.level, ())]
    if result.disagreement:
        steps.insert(0, agree_step(result, t))
    questions = tuple(
        _question(question, outcome.respondents, next_number, t) for question in dimension.questions
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
        weight=t.weight(dimension.weight),
        scored=result.scored,
        exact_score=result.score,
        score=t.score(result.score),
        level=level,
        next_level=next_level,
        respondents=result.respondents,
        spread=t.spread(result.spread) if result.respondents > 1 else "",
        disagreement=result.disagreement,
        change=t.change(changes.get(dimension.id)),
        questions=questions,
        answers_line=", ".join(f"{question.label} {question.answers}" for question in questions),
        next_practice=f"{widest_gap.label}: {widest_gap.next_option}" if widest_gap else None,
        steps=tuple(steps),
    )


def agree_step(result: DimensionResult, t: ReportText) -> str:
    """The first step of a disputed dimension: agree on where it stands."""
    return t.gettext(
        "Agree on where we stand: the respondents' scores lie %(spread)s points apart. "
        "Go through the answers together and settle on one view before choosing measures.",
        spread=t.spread(result.spread),
    )


def _question(
    question: Question,
    respondents: tuple[Participant, ...],
    next_number: int | None,
    t: ReportText,
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
    answered: list[int], unanswered: int, mean: Fraction | None, t: ReportText
) -> str:
    """Such as "Ø 2,3 (1–4)", "Ø 3,0 (3; 1 k. A.)" or "– (3 k. A.)" where nobody chose.

    The range (lowest–highest level) only where at least three answered (DESIGN §8):
    with one or two, it would tell each one's answer; then "Ø 2,5" or "Ø 4,0 (1 k. A.)".
    Each piece is kept on one line: "Ø 2,0" or "n/a" split over two lines reads wrong.
    """
    not_answered = t.gettext("n/a")
    no_answer = keep_together(f"{unanswered} {not_answered}")
    if mean is None:
        return f"– ({no_answer})"
    details = []
    if range_shown(len(answered)):
        low, high = min(answered), max(answered)
        details.append(str(low) if low == high else keep_together(f"{low}–{high}"))
    if unanswered:
        details.append(no_answer)
    # Rounded down like a score, so a mean never looks like a level it has not reached.
    shown_mean = keep_together("Ø " + t.score(mean))
    return f"{shown_mean} ({'; '.join(details)})" if details else shown_mean


def _previous_period(outcome: Outcome, t: ReportText) -> str:
    """How the previous period is named; empty when there is none to compare with."""
    if outcome.previous is None:
        return ""
    return clean(outcome.previous_period or "") or t.gettext("Previous period")


def _overall_change(outcome: Outcome, t: ReportText) -> str:
    before = outcome.previous.overall_score if outcome.previous else None
    now = outcome.result.overall_score
    return t.change(now - before) if before is not None and now is not None else ""
