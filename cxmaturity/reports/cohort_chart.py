"""The cohort band as SVG (matplotlib's Figure API, as in charts.py): one bar per row.

Imported only when drawing: matplotlib takes half a second to load.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from matplotlib import rc_context
from matplotlib.patches import Rectangle

from cxmaturity.reports.charts import (
    CHART_SETTINGS,
    GRID,
    INK,
    LEVEL_COLOURS,
    MUTED,
    PRIMARY,
    RANGE,
    _Canvas,
    _font,
    _lock,
    _wrap,
)
from cxmaturity.reports.cohort import CohortView
from cxmaturity.reports.texts import ReportText


@dataclass(frozen=True)
class BandLayout:
    """Sizes of the band chart in inches and points, as it is shown."""

    width: float
    label_size: float
    wrap: int
    """Characters per line of a row's title."""


PRINT = BandLayout(width=6.3, label_size=8, wrap=90)
WEB = BandLayout(width=3.6, label_size=8.8, wrap=48)
"""Shown about 340 px wide on a phone: every title sits above its own bar, so the
chart stays readable however narrow."""

ROW = 0.37
"""Inches per row: a line of title above a bar."""
BAR = 0.13


def cohort_svg(view: CohortView, language: str, layout: BandLayout = PRINT) -> str:
    """Per row the band of the peers (lower to upper quartile) over the five levels, the
    median as a line, the client's own score as a diamond; the numbers are in the table.

    A row without a band says why in place of the bar, and marks no score there: alone,
    it compares with nothing.
    """
    t = ReportText(language)
    rows = view.rows
    legend_top = ROW * len(rows) + 0.25
    height = legend_top + 0.2 * 3 + 0.05
    with _lock, rc_context(CHART_SETTINGS):
        # x in score units with a margin, y in inches from the top.
        canvas = _Canvas(layout.width, height, (0.86, 5.14), (height, 0.0))
        levels = view.levels
        for index, row in enumerate(rows):
            top = ROW * index
            canvas.text(1.0, top + 0.05, _wrap(row.title, layout.wrap),
                        _font("semibold", layout.label_size), va="top")  # fmt: skip
            bar_top = top + ROW - BAR - 0.04
            for number, low, high in levels:
                colour = LEVEL_COLOURS[number - 1] if row.shown else LEVEL_COLOURS[0]
                canvas.patch(Rectangle((low, bar_top), high - low, BAR, color=colour,
                                       lw=0))  # fmt: skip
            middle = bar_top + BAR / 2
            if row.shown:
                lower, upper = float(row.band.lower_quartile), float(row.band.upper_quartile)
                canvas.patch(Rectangle((lower, bar_top), max(upper - lower, 0.02), BAR,
                                       fc=RANGE, alpha=0.55, lw=0, gid="cohort-band"))  # fmt: skip
                median = float(row.band.median)
                canvas.line([median, median], [bar_top - 0.03, bar_top + BAR + 0.03],
                            color=INK, lw=1.6, gid="cohort-median")  # fmt: skip
            else:
                canvas.text(1.06, middle, row.withheld, _font(size=layout.label_size - 1),
                            color=MUTED, va="center")  # fmt: skip
                continue
            if row.exact_own is not None:
                canvas.line([float(row.exact_own)], [middle], color=PRIMARY, ls="", marker="D",
                            markersize=5.5, markeredgecolor=GRID, markeredgewidth=0.8,
                            gid="cohort-own")  # fmt: skip
        axis = ROW * len(rows) + 0.04
        for score in (1, 2, 3, 4, 5):  # scores, which the band and the diamond are
            canvas.text(score, axis, t.score(Fraction(score)), _font(size=7), color=MUTED,
                        ha="center", va="top")  # fmt: skip
        _legend(canvas, t, legend_top + 0.05, layout)
        return canvas.svg()


def _legend(canvas: _Canvas, t: ReportText, top: float, layout: BandLayout) -> None:
    size = layout.label_size - 0.5
    entries = (
        ("band", t.gettext("Middle half of the other clients")),
        ("median", t.gettext("Median of the other clients")),
        ("own", t.gettext("Your score")),
    )
    for index, (kind, label) in enumerate(entries):
        y = top + 0.2 * index + 0.08
        if kind == "band":
            canvas.patch(Rectangle((1.0, y - 0.05), 0.22, 0.1, fc=RANGE, alpha=0.55, lw=0))
        elif kind == "median":
            canvas.line([1.11, 1.11], [y - 0.07, y + 0.07], color=INK, lw=1.6)
        else:
            canvas.line([1.11], [y], color=PRIMARY, ls="", marker="D", markersize=5.5)
        canvas.text(1.3, y, label, _font(size=size), va="center")
