"""The scoring contract (DESIGN §4), in exact arithmetic.

All means are `Fraction`s; rounding happens only when a score is shown
(`round_half_up`). Unanswered and "not applicable" are both `None` and are
left out of every mean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cxmaturity.domain.questionnaire import Dimension, Question, Questionnaire

DISAGREEMENT_SPREAD = Fraction(2)
PRIORITY_COUNT = 3

Answers = Mapping[str, int | None]


@dataclass(frozen=True)
class RespondentAnswers:
    """One submitted respondent: question id -> level 1–5, or None for N/A."""

    name: str
    answers: Answers


@dataclass(frozen=True)
class Participant(RespondentAnswers):
    """A submitted respondent as results show them: name, group, answers; the email only
    to recognise the same person next period (DESIGN §4.10), never shown."""

    group: str | None = None
    email: str | None = None

    @property
    def answered(self) -> int:
        """How many questions this respondent answered with a level."""
        return sum(1 for level in self.answers.values() if level)


@dataclass(frozen=True)
class DimensionResult:
    dimension_id: str
    score: Fraction | None
    level: int | None
    respondent_scores: tuple[Fraction, ...]

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def respondents(self) -> int:
        return len(self.respondent_scores)

    @property
    def spread(self) -> Fraction | None:
        if not self.respondent_scores:
            return None
        return max(self.respondent_scores) - min(self.respondent_scores)

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD


@dataclass(frozen=True)
class AssessmentResult:
    questionnaire_id: str
    questionnaire_version: str
    overall_score: Fraction | None
    overall_level: int | None
    uncapped_level: int | None
    dimensions: tuple[DimensionResult, ...]
    ranked_priorities: tuple[str, ...]
    """Every scored dimension below level 5, most urgent first (§4.7)."""

    @property
    def capped(self) -> bool:
        return self.overall_level != self.uncapped_level

    @property
    def weakest(self) -> DimensionResult | None:
        """The scored dimension the cap counts from: lowest level, then score, then first."""
        scored = [result for result in self.dimensions if result.score is not None]
        return min(scored, key=lambda result: (result.level, result.score), default=None)

    @property
    def priorities(self) -> tuple[str, ...]:
        """The dimensions to work on next quarter."""
        return self.ranked_priorities[:PRIORITY_COUNT]

    def dimension(self, dimension_id: str) -> DimensionResult:
        for result in self.dimensions:
            if result.dimension_id == dimension_id:
                return result
        raise KeyError(dimension_id)


def respondent_dimension_score(dimension: Dimension, answers: Answers) -> Fraction | None:
    """Weighted mean of the answered questions, if they carry ≥ half the weight."""
    return respondent_score_over(dimension.questions, answers)


def respondent_score_over(questions: Sequence[Question], answers: Answers) -> Fraction | None:
    """The same rule over some questions of a dimension (like-for-like scores, §4.9)."""
    answered = [(q.weight, level) for q in questions if (level := answers.get(q.id))]
    answered_weight = sum((weight for weight, _ in answered), Fraction(0))
    question_weight = sum((q.weight for q in questions), Fraction(0))
    if not answered or answered_weight * 2 < question_weight:
        return None
    return sum((weight * level for weight, level in answered), Fraction(0)) / answered_weight


def level_for(questionnaire: Questionnaire, score: Fraction) -> int:
    """The highest level whose threshold is at most `score`."""
    reached = [level.level for level in questionnaire.levels if level.threshold <= score]
    return max(reached, default=questionnaire.levels[0].level)


def score_assessment(
    questionnaire: Questionnaire, respondents: Sequence[RespondentAnswers]
) -> AssessmentResult:
    """Score the submitted respondents of one assessment."""
    dimensions = tuple(
        _score_dimension(questionnaire, dimension, respondents)
        for dimension in questionnaire.dimensions
    )
    scored = [
        (questionnaire.dimension(result.dimension_id), result.score, result.level)
        for result in dimensions
        if result.score is not None and result.level is not None
    ]
    overall_score = overall_level = uncapped_level = None
    if scored:
        total_weight = sum((dimension.weight for dimension, _, _ in scored), Fraction(0))
        overall_score = sum((d.weight * s for d, s, _ in scored), Fraction(0)) / total_weight
        uncapped_level = overall_level = level_for(questionnaire, overall_score)
        if questionnaire.cap_above_weakest is not None:
            weakest = min(level for _, _, level in scored)
            overall_level = min(uncapped_level, weakest + questionnaire.cap_above_weakest)
    return AssessmentResult(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        overall_score=overall_score,
        overall_level=overall_level,
        uncapped_level=uncapped_level,
        dimensions=dimensions,
        ranked_priorities=_rank_priorities(questionnaire, dimensions),
    )


def _score_dimension(
    questionnaire: Questionnaire,
    dimension: Dimension,
    respondents: Sequence[RespondentAnswers],
) -> DimensionResult:
    scores = tuple(
        score
        for respondent in respondents
        if (score := respondent_dimension_score(dimension, respondent.answers)) is not None
    )
    if not scores:
        return DimensionResult(dimension.id, None, None, ())
    mean = sum(scores, Fraction(0)) / len(scores)
    return DimensionResult(dimension.id, mean, level_for(questionnaire, mean), scores)


def _rank_priorities(
    questionnaire: Questionnaire, results: tuple[DimensionResult, ...]
) -> tuple[str, ...]:
    top_level = questionnaire.levels[-1].level
    candidates = [
        (result.level, -dimension.weight, result.score, position, dimension.id)
        for position, (dimension, result) in enumerate(
            zip(questionnaire.dimensions, results, strict=True)
        )
        if result.score is not None and result.level is not None and result.level < top_level
    ]
    return tuple(candidate[-1] for candidate in sorted(candidates))


def change_since(current: AssessmentResult, previous: AssessmentResult) -> dict[str, Fraction]:
    """Per dimension scored in both: current score minus previous score (§4.9)."""
    before = {r.dimension_id: r.score for r in previous.dimensions if r.score is not None}
    return {
        result.dimension_id: result.score - before[result.dimension_id]
        for result in current.dimensions
        if result.score is not None and result.dimension_id in before
    }


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Round an exact value for display, ties away from zero: 2.25 -> 2.3 at one place."""
    return Decimal(rounded_digits(value, places)).scaleb(-places)


def rounded_digits(value: Fraction, places: int) -> int:
    """The same rounding as a whole number of the last place (2.25 at one place -> 23), in
    integers: JSON writes thousands of these, and Fraction arithmetic is slow."""
    numerator, denominator = value.numerator, value.denominator
    scale: int = 10**places
    digits = (abs(numerator) * scale * 2 + denominator) // (2 * denominator)
    return digits if numerator >= 0 else -digits
