"""Targets per dimension (DESIGN §4.11): the default, the gap and the progress, exactly."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.questionnaire import Questionnaire

TOP_LEVEL = 5


def default_target_level(current_level: int | None) -> int:
    """One level above the current one, at most 5; level 2 for a dimension not scored yet."""
    return min(TOP_LEVEL, (current_level or 1) + 1)


def gap(questionnaire: Questionnaire, target_level: int, score: Fraction) -> Fraction:
    """How far the score is below the target level's threshold; 0 once it is there."""
    return max(Fraction(0), questionnaire.level(target_level).threshold - score)


def progress(
    questionnaire: Questionnaire, target_level: int, score: Fraction, baseline: Fraction
) -> Fraction:
    """(score − baseline) ÷ (threshold − baseline), clamped to 0…1; 1 where the baseline
    already reached the threshold."""
    return progress_to(questionnaire.level(target_level).threshold, score, baseline)


def progress_to(threshold: Fraction, score: Fraction, baseline: Fraction) -> Fraction:
    """The same towards a threshold already looked up."""
    if baseline >= threshold:
        return Fraction(1)
    share = (score - baseline) / (threshold - baseline)
    return min(Fraction(1), max(Fraction(0), share))


def reached(level: int | None, target_level: int) -> bool:
    return level is not None and level >= target_level


@dataclass(frozen=True)
class TargetSetting:
    """An active target as stored: what progress is measured against."""

    dimension_id: str
    target_level: int
    due_period: str | None
    baseline: Fraction | None


@dataclass(frozen=True)
class TargetProgress:
    """One dimension's active target as results show it."""

    dimension_id: str
    target_level: int
    due_period: str | None
    baseline: Fraction | None
    score: Fraction | None
    level: int | None
    gap: Fraction | None
    progress: Fraction | None
    reached: bool


def target_progress(
    questionnaire: Questionnaire,
    dimension_id: str,
    target_level: int,
    due_period: str | None,
    baseline: Fraction | None,
    score: Fraction | None,
    level: int | None,
) -> TargetProgress:
    """Gap and progress of a target against a dimension's score (None where not scored;
    progress also None without a baseline)."""
    return TargetProgress(
        dimension_id=dimension_id,
        target_level=target_level,
        due_period=due_period,
        baseline=baseline,
        score=score,
        level=level,
        gap=None if score is None else gap(questionnaire, target_level, score),
        progress=(
            None
            if score is None or baseline is None
            else progress(questionnaire, target_level, score, baseline)
        ),
        reached=reached(level, target_level),
    )
