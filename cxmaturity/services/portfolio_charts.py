"""The portfolio page's charts (DESIGN §9), ready for templates/portfolio/charts.html.

Each chart is an SVG shown in an <img> as a data: URI (the page's CSP allows data:
images), so the page needs no second request per chart and no route of its own; beside
it, its text alternative and its figures as a table for screen readers. A chart that is
not drawn (no movers, fewer than five clients with a KPI) says why instead.

The caller has read and authorized the portfolio; this only draws it. matplotlib is
imported when the first chart is drawn, not when the app starts.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cxmaturity.domain.portfolio import Portfolio
from cxmaturity.domain.questionnaire import Questionnaire

if TYPE_CHECKING:  # the reports load matplotlib: imported when drawing, below
    from cxmaturity.reports.portfolio_charts import DrawnChart
    from cxmaturity.reports.portfolio_texts import ChartTable


@dataclass(frozen=True)
class PortfolioChart:
    key: str
    """heat_map, levels, band, movers or kpi: the figure's id on the page."""
    heading: str
    description: str
    """The image's text alternative; where there is no image, the sentence saying why."""
    src: str | None = None
    """The SVG as a data: URI; None where the chart is not drawn."""
    width: int = 0
    height: int = 0
    table: ChartTable | None = None


@dataclass(frozen=True)
class PortfolioCharts:
    language: str
    charts: tuple[PortfolioChart, ...]
    empty: str | None = None
    """Where no client matches the filter: the sentence shown instead of every chart."""

    def chart(self, key: str) -> PortfolioChart | None:
        return next((chart for chart in self.charts if chart.key == key), None)


CACHED_CHARTS = 32
_cache: OrderedDict[str, PortfolioCharts] = OrderedDict()
_cache_lock = threading.Lock()


def portfolio_charts(
    portfolio: Portfolio, language: str, questionnaire: Questionnaire | None = None
) -> PortfolioCharts:
    """The charts of `drawn_charts`, drawn once for the same portfolio and language.

    Drawing takes matplotlib about half a second; a portfolio looked at again (another
    sort of the same rows aside, which redraws the heat map) costs a digest of its record.
    """
    version = questionnaire.version if questionnaire else None
    key = hashlib.sha256(pickle.dumps((portfolio, language, version))).hexdigest()
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    charts = drawn_charts(portfolio, language, questionnaire)
    with _cache_lock:
        _cache[key] = charts
        while len(_cache) > CACHED_CHARTS:
            _cache.popitem(last=False)
    return charts


def drawn_charts(
    portfolio: Portfolio, language: str, questionnaire: Questionnaire | None = None
) -> PortfolioCharts:
    """The five charts of the portfolio in `language` (de or en). `questionnaire` (of the
    portfolio's questionnaire id and version, where installed) gives dimension titles and
    level thresholds and names; without it, ids and 1…5 stand in."""
    from cxmaturity.reports import portfolio_bands as bands  # matplotlib loads only when drawing
    from cxmaturity.reports import portfolio_charts as charts
    from cxmaturity.reports import portfolio_heat_map as heat
    from cxmaturity.reports import portfolio_texts as texts
    from cxmaturity.reports.charts import data_uri
    from cxmaturity.reports.texts import ReportText

    t = ReportText(language)
    if not portfolio.rows:
        return PortfolioCharts(language, (), t.gettext("No client matches the filter."))
    scale = charts.Scale.of(questionnaire, portfolio.dimension_ids, language)

    def made(
        key: str,
        heading: str,
        drawn: DrawnChart | None,
        description: str,
        table: ChartTable | None,
    ) -> PortfolioChart:
        if drawn is None:
            return PortfolioChart(key, heading, description, table=table)
        return PortfolioChart(key, heading, description, data_uri(drawn.svg), drawn.width_px,
                              drawn.height_px, table)  # fmt: skip

    if portfolio.assessed_rows:
        levels = made("levels", t.gettext("Clients per level and dimension"),
                      charts.level_counts_svg(portfolio, scale, language),
                      texts.level_counts_description(portfolio, t),
                      texts.level_counts_table(portfolio, scale, t))  # fmt: skip
    else:
        nobody = t.gettext("No client has a closed assessment in %(period)s.",
                           period=portfolio.filter.period)  # fmt: skip
        levels = made("levels", t.gettext("Clients per level and dimension"), None, nobody, None)
    kpi_heading = t.gettext("Overall maturity against %(kpi)s", kpi=texts.kpi_name(portfolio, t))
    return PortfolioCharts(
        language,
        (
            made("heat_map", t.gettext("Heat map: clients and dimensions"),
                 heat.heat_map_svg(portfolio, scale, language),
                 texts.heat_map_description(portfolio, t),
                 texts.heat_map_table(portfolio, scale, t)),
            levels,
            made("band", t.gettext("Cohort band"), bands.band_svg(portfolio, scale, language),
                 texts.band_description(portfolio, scale, t),
                 texts.band_table(portfolio, scale, t)),
            made("movers", t.gettext("Top and bottom movers"),
                 bands.movers_svg(portfolio, language), texts.movers_description(portfolio, t),
                 texts.movers_table(portfolio, t)),
            made("kpi", kpi_heading, bands.kpi_svg(portfolio, scale, language),
                 texts.kpi_description(portfolio, t), texts.kpi_table(portfolio, t)),
        ),
    )  # fmt: skip

    assessed = bool(portfolio.assessed_rows)
    return PortfolioCharts(
        language,
        (
            made("heat_map", t.gettext("Heat map: clients and dimensions"),
                 heat.heat_map_svg(portfolio, scale, language),
                 texts.heat_map_description(portfolio, t),
                 texts.heat_map_table(portfolio, scale, t)),
            made("levels", t.gettext("Clients per level and dimension"),
                 charts.level_counts_svg(portfolio, scale, language) if assessed else None,
                 texts.level_counts_description(portfolio, t) if assessed else
                 t.gettext("No client has a closed assessment in %(period)s.",
                           period=portfolio.filter.period),
                 texts.level_counts_table(portfolio, scale, t) if assessed else None),
            made("band", t.gettext("Cohort band"), bands.band_svg(portfolio, scale, language),
                 texts.band_description(portfolio, scale, t),
                 texts.band_table(portfolio, scale, t)),
            made("movers", t.gettext("Top and bottom movers"),
                 bands.movers_svg(portfolio, language), texts.movers_description(portfolio, t),
                 texts.movers_table(portfolio, t)),
            made("kpi", t.gettext("Overall maturity against %(kpi)s",
                                  kpi=texts.kpi_name(portfolio, t)),
                 bands.kpi_svg(portfolio, scale, language), texts.kpi_description(portfolio, t),
                 texts.kpi_table(portfolio, t)),
        ),
    )  # fmt: skip
