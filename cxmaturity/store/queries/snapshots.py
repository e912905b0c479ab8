"""Writing an assessment's result snapshot: one row overall, one per dimension."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session

from cxmaturity.store.models import DimensionSnapshot, ResultSnapshot, utc_now


@dataclass(frozen=True)
class DimensionFigures:
    dimension_id: str
    score: Fraction | None
    level: int | None
    spread: Fraction | None
    respondents: int
    disagreement: bool


@dataclass(frozen=True)
class SnapshotFigures:
    overall_score: Fraction | None
    overall_level: int | None
    capped: bool
    submitted_respondents: int
    dimensions: tuple[DimensionFigures, ...]


@dataclass(frozen=True)
class DimensionChangeFigures:
    dimension_id: str
    comparability: str
    change: Fraction | None
    like_for_like_change: Fraction | None
    stable_panel_change: Fraction | None
    changed_questions: int
    question_ids: int


@dataclass(frozen=True)
class ComparisonFigures:
    previous_assessment_id: int
    overall_change: Fraction | None
    overall_comparability: str
    previous_respondents: int
    matched_respondents: int | None
    """None where the panel is not known (an anonymous period)."""
    dimensions: tuple[DimensionChangeFigures, ...]


def exact(value: Fraction | None) -> str | None:
    """A score as stored: the exact fraction as text ("9/5", "3")."""
    return None if value is None else str(value)


@functools.lru_cache(maxsize=8192)
def exact_value(text: str | None) -> Fraction | None:
    """A stored exact value read back ("9/5" → 9/5). Cached: parsing takes Fraction a
    regular expression, and a portfolio or history reads the same few values thousands
    of times."""
    return None if text is None else Fraction(text)


def approximate(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def write_snapshot(
    session: Session,
    assessment_id: int,
    figures: SnapshotFigures,
    comparison: ComparisonFigures | None = None,
) -> None:
    """Insert or replace the snapshot of the assessment (its row must be locked by the caller),
    with its comparison to the previous period where there is one.

    Dimension rows are updated in place, so that a dimension kept keeps its row.
    """
    snapshot = session.get(ResultSnapshot, assessment_id)
    if snapshot is None:
        snapshot = ResultSnapshot(assessment_id=assessment_id)
        session.add(snapshot)
    snapshot.overall_score = exact(figures.overall_score)
    snapshot.overall_score_value = approximate(figures.overall_score)
    snapshot.overall_level = figures.overall_level
    snapshot.capped = figures.capped
    snapshot.submitted_respondents = figures.submitted_respondents
    snapshot.computed_at = utc_now()
    snapshot.previous_assessment_id = comparison.previous_assessment_id if comparison else None
    snapshot.overall_change = exact(comparison.overall_change) if comparison else None
    snapshot.overall_comparability = comparison.overall_comparability if comparison else None
    snapshot.previous_respondents = comparison.previous_respondents if comparison else None
    snapshot.matched_respondents = comparison.matched_respondents if comparison else None
    changes = (
        {change.dimension_id: change for change in comparison.dimensions} if comparison else {}
    )
    existing = {row.dimension_id: row for row in snapshot.dimensions}
    rows = []
    for dimension in figures.dimensions:
        row = existing.get(dimension.dimension_id) or DimensionSnapshot(
            dimension_id=dimension.dimension_id
        )
        row.score = exact(dimension.score)
        row.score_value = approximate(dimension.score)
        row.level = dimension.level
        row.spread = exact(dimension.spread)
        row.respondents = dimension.respondents
        row.disagreement = dimension.disagreement
        _write_change(row, changes.get(dimension.dimension_id))
        rows.append(row)
    snapshot.dimensions = rows


def _write_change(row: DimensionSnapshot, change: DimensionChangeFigures | None) -> None:
    row.comparability = change.comparability if change else None
    row.change = exact(change.change) if change else None
    row.like_for_like_change = exact(change.like_for_like_change) if change else None
    row.stable_panel_change = exact(change.stable_panel_change) if change else None
    row.changed_questions = change.changed_questions if change else None
    row.question_ids = change.question_ids if change else None


def snapshot_of(session: Session, assessment_id: int) -> ResultSnapshot | None:
    return session.get(ResultSnapshot, assessment_id)
