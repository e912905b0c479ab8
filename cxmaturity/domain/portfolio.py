"""The portfolio: a workspace's clients side by side for one period (DESIGN §9).

One row per client: its closed assessment of the period, or "not assessed in P"
with its last closed period. Everything here is derived from result snapshots
that the service has read; the rules for what the charts show (levels per
dimension, movers, maturity against a KPI) live here so that the page, the JSON,
the CSV and the charts agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from cxmaturity.domain.cohorts import CohortFilter, CohortStatistics
from cxmaturity.domain.statuses import Comparability, KpiName

KPI_CHART_MIN_CLIENTS = 5
"""Overall maturity against a KPI is drawn from five clients with both on (DESIGN §9)."""
MOVERS_SHOWN = 3
ROWS_PER_PAGE = 50
"""The page's table shows this many clients at a time; JSON and CSV hold every row."""


class PortfolioStatus(StrEnum):
    """A client's state in the chosen period."""

    ASSESSED = "assessed"
    """A closed assessment of the period: the row shows its results."""
    OPEN = "open"
    """An assessment of the period is under way; the row shows the last closed period."""
    NOT_ASSESSED = "not_assessed"


class SortKey(StrEnum):
    NAME = "name"
    OVERALL = "overall"
    CHANGE = "change"
    PARTICIPATION = "participation"
    TARGET = "target"
    NPS = "nps"
    CSAT = "csat"


@dataclass(frozen=True)
class PortfolioFilter:
    """What the portfolio shows; every field lives in the page's URL.

    `sort` is a SortKey value or a dimension id. Row filters (status, below target,
    overdue actions, disagreement) narrow the rows shown; the cohort band is taken
    over the assessed rows shown.
    """

    period: str
    questionnaire_id: str
    major: str
    industry: str | None = None
    size: str | None = None
    tags: tuple[str, ...] = ()
    status: PortfolioStatus | None = None
    below_target: bool = False
    overdue_actions: bool = False
    disagreement: bool = False
    kpi: KpiName = KpiName.NPS
    sort: str = SortKey.NAME.value
    descending: bool = False
    page: int = 1
    """Which ROWS_PER_PAGE rows of the sorted table the page shows (the first is 1)."""

    @property
    def cohort(self) -> CohortFilter:
        return CohortFilter(self.industry, self.size, self.tags)


@dataclass(frozen=True)
class DimensionCell:
    dimension_id: str
    score: Fraction | None
    level: int | None
    change: Fraction | None
    comparability: Comparability | None
    disagreement: bool
    target_level: int | None
    """The active target's level; None without one."""

    @property
    def below_target(self) -> bool:
        return self.target_level is not None and (self.level or 0) < self.target_level


@dataclass(frozen=True)
class PortfolioRow:
    client_id: int
    client_name: str
    industry: str | None
    size: str | None
    tags: tuple[str, ...]
    status: PortfolioStatus
    assessment_id: int | None
    """The closed assessment of the period; None unless ASSESSED."""
    last_period: str | None
    """Where not assessed: the latest earlier closed period (shown greyed), if any."""
    questionnaire_version: str | None
    overall_score: Fraction | None
    overall_level: int | None
    overall_change: Fraction | None
    overall_comparability: Comparability | None
    capped: bool
    dimensions: tuple[DimensionCell, ...]
    invited: int
    submitted: int
    target_progress: Fraction | None
    """Mean progress (0…1) over the client's active targets; None without targets."""
    open_actions: int
    overdue_actions: int
    stalled_actions: int
    kpis: dict[str, Fraction | None] = field(default_factory=dict)
    """KpiName value → the period's value (None or missing where not entered)."""

    @property
    def assessed(self) -> bool:
        return self.status is PortfolioStatus.ASSESSED

    @property
    def participation(self) -> Fraction | None:
        return Fraction(self.submitted, self.invited) if self.invited else None

    @property
    def below_target(self) -> bool:
        return any(cell.below_target for cell in self.dimensions)

    @property
    def disagreement(self) -> bool:
        return any(cell.disagreement for cell in self.dimensions)

    def cell(self, dimension_id: str) -> DimensionCell | None:
        return next((c for c in self.dimensions if c.dimension_id == dimension_id), None)

    def kpi(self, kpi: KpiName | str) -> Fraction | None:
        return self.kpis.get(str(kpi))


@dataclass(frozen=True)
class Mover:
    client_id: int
    client_name: str
    change: Fraction
    comparability: Comparability


@dataclass(frozen=True)
class KpiPoint:
    client_id: int
    client_name: str
    overall_score: Fraction
    value: Fraction


@dataclass(frozen=True)
class Portfolio:
    workspace_slug: str
    filter: PortfolioFilter
    questionnaire_version: str
    """The newest installed version of the filter's questionnaire id and major: its
    dimensions are the columns."""
    dimension_ids: tuple[str, ...]
    rows: tuple[PortfolioRow, ...]
    """The rows shown: filtered and sorted."""
    cohort: CohortStatistics
    """Over the assessed rows shown (the consultant's view: no leave-one-out)."""
    aliases: dict[int, str] = field(default_factory=dict)
    """Client id → A, B, C… where the consultant shows peers without names."""

    @property
    def pages(self) -> int:
        """How many pages the table takes (at least one, also when empty)."""
        return max(1, -(-len(self.rows) // ROWS_PER_PAGE))

    @property
    def page_rows(self) -> tuple[PortfolioRow, ...]:
        """The rows of the filter's page; the last page where it asks for a later one."""
        start = (min(self.filter.page, self.pages) - 1) * ROWS_PER_PAGE
        return self.rows[start : start + ROWS_PER_PAGE]

    @property
    def assessed_rows(self) -> tuple[PortfolioRow, ...]:
        return tuple(row for row in self.rows if row.assessed)

    def level_counts(self, dimension_id: str) -> dict[int, int]:
        """Clients per level (1…5) in the dimension, among the assessed rows."""
        counts = dict.fromkeys(range(1, 6), 0)
        for row in self.assessed_rows:
            cell = row.cell(dimension_id)
            if cell is not None and cell.level is not None:
                counts[cell.level] += 1
        return counts

    def movers(self) -> tuple[tuple[Mover, ...], tuple[Mover, ...]]:
        """The top and bottom movers by overall change, where the change is comparable
        (same or bridged); a client is never both."""
        movers = [
            Mover(row.client_id, row.client_name, row.overall_change, row.overall_comparability)
            for row in self.assessed_rows
            if row.overall_change is not None
            and row.overall_comparability in (Comparability.SAME, Comparability.BRIDGED)
        ]
        rising = sorted(
            (m for m in movers if m.change > 0), key=lambda m: (-m.change, m.client_name)
        )
        falling = sorted(
            (m for m in movers if m.change < 0), key=lambda m: (m.change, m.client_name)
        )
        return tuple(rising[:MOVERS_SHOWN]), tuple(falling[:MOVERS_SHOWN])

    def kpi_points(self) -> tuple[KpiPoint, ...]:
        """Overall score against the chosen KPI, where both exist; empty below five."""
        points = tuple(
            KpiPoint(row.client_id, row.client_name, row.overall_score, value)
            for row in self.assessed_rows
            if row.overall_score is not None and (value := row.kpi(self.filter.kpi)) is not None
        )
        return points if len(points) >= KPI_CHART_MIN_CLIENTS else ()


def filtered(rows: Sequence[PortfolioRow], chosen: PortfolioFilter) -> list[PortfolioRow]:
    """The rows the filter admits: its cohort fields, then the row filters."""
    cohort = chosen.cohort
    return [
        row
        for row in rows
        if (cohort.industry is None or row.industry == cohort.industry)
        and (cohort.size is None or row.size == cohort.size)
        and all(tag in row.tags for tag in cohort.tags)
        and (chosen.status is None or row.status is chosen.status)
        and (not chosen.below_target or row.below_target)
        and (not chosen.overdue_actions or row.overdue_actions > 0)
        and (not chosen.disagreement or row.disagreement)
    ]


def sorted_rows(rows: Sequence[PortfolioRow], chosen: PortfolioFilter) -> list[PortfolioRow]:
    """Sorted by the chosen column; rows without a value last either way, then by name."""

    def value(row: PortfolioRow) -> Fraction | str | None:
        key = chosen.sort
        if key == SortKey.NAME:
            return row.client_name.casefold()
        if key == SortKey.OVERALL:
            return row.overall_score
        if key == SortKey.CHANGE:
            return row.overall_change
        if key == SortKey.PARTICIPATION:
            return row.participation
        if key == SortKey.TARGET:
            return row.target_progress
        if key in (SortKey.NPS, SortKey.CSAT):
            return row.kpi(key)
        cell = row.cell(key)
        return cell.score if cell else None

    by_name = sorted(rows, key=lambda row: (row.client_name.casefold(), row.client_id))
    present = [row for row in by_name if value(row) is not None]
    missing = [row for row in by_name if value(row) is None]
    present.sort(key=value, reverse=chosen.descending)  # type: ignore[arg-type]
    return present + missing
