"""The portfolio charts in words: each chart's text alternative, and its figures as a table
for screen readers (the same numbers the chart draws, formatted by cxmaturity.locale).

Texts are plain; the template escapes them. Client names in a sentence are wrapped in
Unicode isolates (an alt text cannot hold <bdi>); table row headers get <bdi> there.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity import locale
from cxmaturity.domain.cohorts import Band
from cxmaturity.domain.portfolio import KPI_CHART_MIN_CLIENTS, DimensionCell, Portfolio
from cxmaturity.domain.statuses import Comparability, KpiName
from cxmaturity.reports.kpis import NAMES as KPI_NAMES
from cxmaturity.reports.portfolio_bands import fewer_than
from cxmaturity.reports.portfolio_charts import COMPARABLE, Scale, client_label, isolated
from cxmaturity.reports.portfolio_heat_map import absent, heat_map_rows, shown_of
from cxmaturity.reports.texts import ReportText


@dataclass(frozen=True)
class ChartTable:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    """The first cell of a row heads it: a client's name or a dimension's title."""


def every_figure(t: ReportText) -> str:
    return t.gettext("The table after the chart gives every figure.")


def kpi_name(portfolio: Portfolio, t: ReportText) -> str:
    return t.gettext(KPI_NAMES[KpiName(portfolio.filter.kpi)])


# --- the heat map -----------------------------------------------------------------------


def heat_map_description(portfolio: Portfolio, t: ReportText) -> str:
    rows = portfolio.rows
    return " ".join(
        [
            t.gettext(
                "Heat map of %(clients)s clients across %(dimensions)s dimensions in "
                "%(period)s: each cell has the colour of its level and the score.",
                clients=len(rows),
                dimensions=len(portfolio.dimension_ids),
                period=portfolio.filter.period,
            ),
            *([shown_of(portfolio, t)] if len(heat_map_rows(portfolio)) < len(rows) else []),
            t.gettext(
                "%(assessed)s clients are assessed; %(disagreement)s show disagreement in "
                "at least one dimension, %(below)s are below a target level.",
                assessed=len(portfolio.assessed_rows),
                disagreement=sum(row.disagreement for row in portfolio.assessed_rows),
                below=sum(row.below_target for row in portfolio.assessed_rows),
            ),
            every_figure(t),
        ]
    )


def heat_map_table(portfolio: Portfolio, scale: Scale, t: ReportText) -> ChartTable:
    columns = (t.gettext("Client"), *(scale.titles[d] for d in portfolio.dimension_ids))
    rows = []
    for row in heat_map_rows(portfolio):
        name = client_label(portfolio, row.client_id, row.client_name)
        if not row.assessed:
            why = absent(row, portfolio, t)
            if row.last_period:
                why += " " + t.gettext("(last closed: %(period)s)", period=row.last_period)
            rows.append((name, why, *("–" for _ in portfolio.dimension_ids[1:])))
            continue
        rows.append((name, *(cell_text(row.cell(d), t) for d in portfolio.dimension_ids)))
    caption = t.gettext("Scores per client and dimension in %(period)s",
                        period=portfolio.filter.period)  # fmt: skip
    return ChartTable(caption, columns, tuple(rows))


def cell_text(cell: DimensionCell | None, t: ReportText) -> str:
    """ "3.4, level 3, +0.2 (bridged), disagreement, below target level 4"."""
    if cell is None or cell.level is None:
        return t.gettext("not scored")
    parts = [t.score(cell.score), t.gettext("level %(level)s", level=cell.level)]
    if cell.change is not None and cell.comparability in COMPARABLE:
        bridged = cell.comparability is Comparability.BRIDGED
        parts.append(t.change(cell.change) + (" " + t.gettext("(bridged)") if bridged else ""))
    if cell.disagreement:
        parts.append(t.gettext("disagreement"))
    if cell.below_target:
        parts.append(t.gettext("below target level %(level)s", level=cell.target_level))
    return ", ".join(parts)


# --- clients per level ------------------------------------------------------------------


def level_counts_description(portfolio: Portfolio, t: ReportText) -> str:
    return " ".join(
        [
            t.gettext(
                "Stacked bars, one per dimension: how many of the %(count)s assessed clients "
                "reach each level.",
                count=len(portfolio.assessed_rows),
            ),
            every_figure(t),
        ]
    )


def level_counts_table(portfolio: Portfolio, scale: Scale, t: ReportText) -> ChartTable:
    columns = (
        t.gettext("Dimension"),
        *(t.gettext("Level %(level)s", level=n) + f" ({name})"
          for n, name in enumerate(scale.level_names, 1)),
    )  # fmt: skip
    rows = tuple(
        (scale.titles[d], *(str(count) for count in portfolio.level_counts(d).values()))
        for d in portfolio.dimension_ids
    )
    return ChartTable(t.gettext("Assessed clients per level and dimension"), columns, rows)


# --- the cohort band --------------------------------------------------------------------


def band_description(portfolio: Portfolio, scale: Scale, t: ReportText) -> str:
    cohort = portfolio.cohort
    if cohort.suppressed:
        first = t.gettext(
            "Overall: %(fewer)s, so no cohort band is shown.", fewer=fewer_than(cohort.overall, t)
        )
    else:
        first = t.gettext(
            "The cohort band of %(count)s clients: for the overall score and each dimension, "
            "a box from the lower to the upper quartile with the median. Overall median "
            "%(median)s.",
            count=cohort.overall.n,
            median=locale.format_spread(cohort.overall.median, t.language),
        )
    hidden = [scale.titles[d] for d in portfolio.dimension_ids if cohort.dimension(d).suppressed]
    parts = [first]
    if hidden and not cohort.suppressed:
        parts.append(
            t.gettext(
                "Fewer than %(count)s comparable clients in: %(dimensions)s.",
                count=cohort.min_n,
                dimensions=t.names(hidden),
            )
        )
    return " ".join([*parts, every_figure(t)])


def band_table(portfolio: Portfolio, scale: Scale, t: ReportText) -> ChartTable:
    columns = (
        "",
        t.gettext("Clients"),
        t.gettext("Lower quartile"),
        t.gettext("Median"),
        t.gettext("Upper quartile"),
    )
    cohort = portfolio.cohort
    bands = [(t.gettext("Overall"), cohort.overall)]
    bands += [(scale.titles[d], cohort.dimension(d)) for d in portfolio.dimension_ids]
    return ChartTable(t.gettext("Cohort band per dimension"), columns,
                      tuple(_band_cells(title, band, t) for title, band in bands))  # fmt: skip


def _band_cells(title: str, band: Band, t: ReportText) -> tuple[str, ...]:
    if band.suppressed or band.median is None:
        return (title, fewer_than(band, t), "–", "–", "–")
    figures = (band.lower_quartile, band.median, band.upper_quartile)
    return (title, str(band.n), *(locale.format_spread(v, t.language) for v in figures))


# --- movers -----------------------------------------------------------------------------


def movers_description(portfolio: Portfolio, t: ReportText) -> str:
    rising, falling = portfolio.movers()
    if not rising and not falling:
        return t.gettext(
            "No client's overall score changed comparably since the last period, so there "
            "are no movers to show."
        )

    def listed(movers) -> str:
        return t.names([f"{isolated(client_label(portfolio, m.client_id, m.client_name))} "
                        f"({t.change(m.change)})" for m in movers])  # fmt: skip

    parts = [t.gettext("Change of the overall score since the last period.")]
    if rising:
        parts.append(t.gettext("Rose most: %(clients)s.", clients=listed(rising)))
    if falling:
        parts.append(t.gettext("Fell most: %(clients)s.", clients=listed(falling)))
    if any(m.comparability is Comparability.BRIDGED for m in (*rising, *falling)):
        parts.append(t.gettext("* bridged: some questions changed since the last period"))
    return " ".join(parts)


def movers_table(portfolio: Portfolio, t: ReportText) -> ChartTable | None:
    rising, falling = portfolio.movers()
    if not rising and not falling:
        return None
    words = {Comparability.SAME: t.gettext("same"), Comparability.BRIDGED: t.gettext("bridged")}
    rows = tuple(
        (client_label(portfolio, m.client_id, m.client_name), direction, t.change(m.change),
         words[m.comparability])
        for direction, movers in ((t.gettext("rose"), rising), (t.gettext("fell"), falling))
        for m in movers
    )  # fmt: skip
    columns = (t.gettext("Client"), t.gettext("Direction"),
               t.gettext("Change from last period"), t.gettext("Comparability"))  # fmt: skip
    return ChartTable(t.gettext("Top and bottom movers"), columns, rows)


# --- maturity against a KPI -------------------------------------------------------------


def kpi_description(portfolio: Portfolio, t: ReportText) -> str:
    points = portfolio.kpi_points()
    if not points:
        return t.gettext(
            "No chart: overall maturity against %(kpi)s is drawn from %(count)s clients with "
            "both an overall score and a value of %(kpi)s in %(period)s, and fewer have both.",
            kpi=kpi_name(portfolio, t),
            count=KPI_CHART_MIN_CLIENTS,
            period=portfolio.filter.period,
        )
    return " ".join(
        [
            t.gettext(
                "Scatter chart of %(count)s clients: the overall score across, %(kpi)s up.",
                count=len(points),
                kpi=kpi_name(portfolio, t),
            ),
            every_figure(t),
        ]
    )


def kpi_table(portfolio: Portfolio, t: ReportText) -> ChartTable | None:
    points = portfolio.kpi_points()
    if not points:
        return None
    kpi = KpiName(portfolio.filter.kpi)
    rows = tuple(
        (client_label(portfolio, p.client_id, p.client_name), t.score(p.overall_score),
         locale.format_kpi(kpi, p.value, t.language))
        for p in points
    )  # fmt: skip
    columns = (t.gettext("Client"), t.gettext("Overall score"), kpi_name(portfolio, t))
    caption = t.gettext("Overall score and %(kpi)s per client", kpi=kpi_name(portfolio, t))
    return ChartTable(caption, columns, rows)
