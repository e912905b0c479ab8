"""A client's history: every closed period as its snapshot recorded it, oldest first.

These records hold what result snapshots stored when each period closed (scores,
levels, changes and comparability of DESIGN §4.9–4.10); nothing here scores
again. The panel overlap is derived from the stored counts by the domain's rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.comparison import DIFFERENT_RESPONDENTS_BELOW, level_crossed, panel_overlap
from cxmaturity.domain.statuses import Comparability


@dataclass(frozen=True)
class HistoryDimension:
    dimension_id: str
    score: Fraction | None
    level: int | None
    comparability: Comparability | None
    """None in the first period, or where the dimension is new."""
    change: Fraction | None
    like_for_like_change: Fraction | None
    stable_panel_change: Fraction | None
    changed_questions: int | None
    question_ids: int | None
    level_then: int | None
    """The dimension's level in the previous period, for the level boundary crossed."""

    @property
    def crossed(self) -> int:
        """+1 where a change rose across a level boundary, −1 where it fell, else 0."""
        return level_crossed(self.change, self.level_then, self.level)


@dataclass(frozen=True)
class HistoryPeriod:
    period: str
    assessment_id: int
    questionnaire_id: str
    questionnaire_version: str
    status: str
    score: Fraction | None
    level: int | None
    capped: bool
    change: Fraction | None
    comparability: Comparability | None
    level_then: int | None
    submitted_respondents: int
    previous_respondents: int | None
    matched_respondents: int | None
    dimensions: tuple[HistoryDimension, ...]

    @property
    def crossed(self) -> int:
        return level_crossed(self.change, self.level_then, self.level)

    @property
    def panel_overlap(self) -> Fraction | None:
        """Matched ÷ max(respondents then, now); None without a previous period."""
        if self.previous_respondents is None or self.matched_respondents is None:
            return None
        return panel_overlap(
            self.matched_respondents, self.previous_respondents, self.submitted_respondents
        )

    @property
    def different_respondents(self) -> bool:
        overlap = self.panel_overlap
        return overlap is not None and overlap < DIFFERENT_RESPONDENTS_BELOW

    def dimension(self, dimension_id: str) -> HistoryDimension | None:
        return next((d for d in self.dimensions if d.dimension_id == dimension_id), None)


@dataclass(frozen=True)
class HistoryTarget:
    """An active target of the client: a dashed line at its level's threshold."""

    dimension_id: str
    target_level: int
    due_period: str | None


@dataclass(frozen=True)
class KpiPoint:
    period: str
    kpi: str
    value: Fraction | None
    sample_size: int | None


@dataclass(frozen=True)
class ClientHistory:
    client_id: int
    client_name: str
    periods: tuple[HistoryPeriod, ...]
    """Closed periods only, oldest first."""
    targets: tuple[HistoryTarget, ...]
    kpis: tuple[KpiPoint, ...]
    """Every key figure the client entered, by period, then KPI."""

    @property
    def kpi_periods(self) -> tuple[str, ...]:
        return tuple(sorted({point.period for point in self.kpis}))

    def kpi(self, period: str, kpi: str) -> KpiPoint | None:
        return next((p for p in self.kpis if p.period == period and p.kpi == kpi), None)
