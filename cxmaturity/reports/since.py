"""“Since last period” (DESIGN §4.9–4.10) as figures to show, in one language.

`since_view` turns the outcome's `Comparison` into rounded, formatted figures: scores
rounded down, changes and spreads half up (§4.8). It computes nothing new: every
number comes from `domain.comparison`. The PDF's since page and the results pages
(through `services.results.ResultsView.since`) show the same view, so both say the same.
Sentences are left to the templates (gettext there); this module only formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.comparison import DimensionChange, QuestionMovement, level_crossed
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import Comparability
from cxmaturity.reports.text_tools import clean
from cxmaturity.reports.texts import ReportText

NO_FIGURE = "–"
QUESTIONS_LISTED = 10
"""At most this many questions per list (moved, low in both): the rest are counted."""


@dataclass(frozen=True)
class SinceDimension:
    id: str
    title: str
    comparability: str
    """"same", "bridged" or "broken" (Comparability)."""
    score_then: str
    score_now: str
    level_then: int | None
    level_now: int | None
    change: str
    """Signed and rounded half up ("+0.4"); empty where broken or not scored."""
    crossed: int
    """+1 where the level rose, −1 where it fell, 0 otherwise."""
    like_for_like_change: str
    """Bridged only: the change on the unchanged questions; empty otherwise."""
    stable_panel_change: str
    """The mean change of the respondents who took part both times; empty without."""
    spread_then: str
    spread_now: str
    respondents_then: int
    respondents_now: int
    changed_questions: int
    question_ids: int

    @property
    def bridged(self) -> bool:
        return self.comparability == Comparability.BRIDGED

    @property
    def broken(self) -> bool:
        return self.comparability == Comparability.BROKEN


@dataclass(frozen=True)
class SinceQuestion:
    label: str
    """The question's short label, else its text."""
    dimension: str
    mean_then: str
    mean_now: str
    change: str


@dataclass(frozen=True)
class SinceView:
    previous_period: str
    previous_version: str
    version: str
    """The current questionnaire version: a broken series starts anew from it."""
    comparability: str
    score_then: str
    score_now: str
    level_then: int | None
    level_now: int | None
    change: str
    crossed: int
    dimensions: tuple[SinceDimension, ...]
    respondents_then: int
    respondents_now: int
    matched_respondents: int
    panel_known: bool
    """False after an anonymous period: nobody can be recognised (DESIGN §8)."""
    panel_size: int
    """The larger number of respondents of the two periods: the overlap's denominator."""
    different_respondents: bool
    moved_questions: tuple[SinceQuestion, ...]
    """The questions whose mean moved by a level or more, largest move first."""
    moved_more: int
    """How many more moved than are listed."""
    low_questions: tuple[SinceQuestion, ...]
    """The questions low in both periods, lowest now first."""
    low_more: int
    reconfirmed: tuple[int, int] | None
    """(re-confirmed, offered) pre-filled answers, where any were offered (DESIGN §8)."""

    @property
    def broken(self) -> bool:
        return self.comparability == Comparability.BROKEN

    @property
    def bridged(self) -> bool:
        return self.comparability == Comparability.BRIDGED

    @property
    def stable_panel(self) -> bool:
        """Whether any dimension has a stable-panel change (two or more matched)."""
        return any(d.stable_panel_change for d in self.dimensions)


def since_view(outcome: Outcome, t: ReportText) -> SinceView | None:
    """The outcome's "since last period", formatted in `t`'s language; None without one."""
    comparison = outcome.comparison
    if comparison is None:
        return None
    questionnaire, result = outcome.questionnaire, outcome.result
    change = comparison.overall_change
    level_then, level_now = comparison.level_then, result.overall_level
    crossed = level_crossed(change, level_then, level_now)
    return SinceView(
        previous_period=comparison.previous_period,
        previous_version=comparison.previous_version,
        version=questionnaire.version,
        comparability=comparison.overall_comparability.value,
        score_then=t.score(comparison.overall_then),
        score_now=t.score(result.overall_score),
        level_then=level_then,
        level_now=level_now,
        change=t.change(change),
        crossed=crossed,
        dimensions=tuple(_dimension(questionnaire, change, t) for change in comparison.dimensions),
        respondents_then=comparison.respondents_then,
        respondents_now=comparison.respondents_now,
        matched_respondents=comparison.matched_respondents,
        panel_known=comparison.panel_known,
        panel_size=max(comparison.respondents_then, comparison.respondents_now),
        different_respondents=comparison.different_respondents,
        moved_questions=_questions(questionnaire, comparison.moved_questions, t),
        moved_more=max(0, len(comparison.moved_questions) - QUESTIONS_LISTED),
        low_questions=_questions(questionnaire, comparison.low_questions, t),
        low_more=max(0, len(comparison.low_questions) - QUESTIONS_LISTED),
        reconfirmed=reconfirmed_of(outcome),
    )


def reconfirmed_of(outcome: Outcome) -> tuple[int, int] | None:
    """(re-confirmed, offered) pre-filled answers, where any were offered (DESIGN §8)."""
    reconfirmed = outcome.reconfirmed
    return reconfirmed if reconfirmed is not None and reconfirmed[1] > 0 else None


def _dimension(
    questionnaire: Questionnaire, change: DimensionChange, t: ReportText
) -> SinceDimension:
    language = t.language
    return SinceDimension(
        id=change.dimension_id,
        title=clean(questionnaire.dimension(change.dimension_id).title.get(language)),
        comparability=change.comparability.value,
        score_then=t.score(change.then.score),
        score_now=t.score(change.now.score),
        level_then=change.then.level,
        level_now=change.now.level,
        change=t.change(change.change),
        crossed=change.crossed,
        like_for_like_change=t.change(change.like_for_like_change),
        stable_panel_change=t.change(change.stable_panel_change),
        spread_then=_spread(change.then.respondents, change.then.spread, t),
        spread_now=_spread(change.now.respondents, change.now.spread, t),
        respondents_then=change.then.respondents,
        respondents_now=change.now.respondents,
        changed_questions=change.changed_questions,
        question_ids=change.question_ids,
    )


def _spread(respondents: int, spread: Fraction | None, t: ReportText) -> str:
    # One respondent has no spread to speak of: shown as "–", as the results table does.
    return t.spread(spread) if respondents > 1 else NO_FIGURE


def _questions(
    questionnaire: Questionnaire, movements: tuple[QuestionMovement, ...], t: ReportText
) -> tuple[SinceQuestion, ...]:
    language = t.language
    shown = []
    for movement in movements[:QUESTIONS_LISTED]:
        question = questionnaire.questions[movement.question_id]
        label = question.short.get(language) if question.short else question.text.get(language)
        shown.append(
            SinceQuestion(
                label=clean(label),
                dimension=clean(questionnaire.dimension(movement.dimension_id).title.get(language)),
                mean_then=t.score(movement.mean_then),
                mean_now=t.score(movement.mean_now),
                change=t.change(movement.change),
            )
        )
    return tuple(shown)
