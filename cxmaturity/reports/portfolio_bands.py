"""The portfolio's other charts as SVG (DESIGN §9, §4.13): the cohort band per dimension and
overall, the top and bottom movers, and overall maturity against the chosen KPI.

Sizes, fonts and units as in portfolio_charts.py: WIDTH inches wide, text at least
TEXT_SIZE points, inches with y running down (the KPI chart uses Axes for its ticks).
A suppressed band is drawn as a sentence, never as a number (§4.13).
"""

from __future__ import annotations

from fractions import Fraction

from matplotlib import rc_context
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from cxmaturity import locale
from cxmaturity.domain.cohorts import Band
from cxmaturity.domain.portfolio import Mover, Portfolio
from cxmaturity.domain.statuses import Comparability, KpiName
from cxmaturity.reports.charts import (
    CHART_SETTINGS,
    INK,
    LEVEL_COLOURS,
    MUTED,
    PRIMARY,
    TARGET,
    _lock,
)
from cxmaturity.reports.kpis import NAMES as KPI_NAMES
from cxmaturity.reports.portfolio_charts import (
    EDGE,
    LABEL_WIDTH,
    LINE,
    RIGHT,
    WIDTH,
    DrawnChart,
    Scale,
    client_label,
    done,
    fitted,
    font,
    isolated,
    shortened,
    start,
)
from cxmaturity.reports.texts import ReportText

BAND_ROW = 0.52
SCALE_LEFT = LABEL_WIDTH + 0.08


def _x(score: float) -> float:
    """Where a score (1…5) lies across the scale."""
    return SCALE_LEFT + (score - 1) / 4 * (RIGHT - SCALE_LEFT)


def fewer_than(band: Band, t: ReportText) -> str:
    return t.gettext("fewer than %(count)s comparable clients", count=band.min_n)


def band_svg(portfolio: Portfolio, scale: Scale, language: str) -> DrawnChart:
    """Per row (overall, then each dimension): a box from the lower to the upper quartile
    with the median marked and written, over the level bands; "fewer than N comparable
    clients" where the band is suppressed."""
    t = ReportText(language)
    cohort = portfolio.cohort
    rows = [(t.gettext("Overall"), cohort.overall, True)] + [
        (scale.titles[d], cohort.dimension(d), False) for d in portfolio.dimension_ids
    ]
    top = 0.4
    height = top + BAND_ROW * len(rows) + 0.2 + LINE * 1.5 * 2
    with _lock, rc_context(CHART_SETTINGS):
        canvas = start(height)
        for number, low, high in scale.bands():
            canvas.patch(Rectangle((_x(low), top), _x(high) - _x(low), BAND_ROW * len(rows),
                                   fc=LEVEL_COLOURS[number - 1], lw=0))  # fmt: skip
            canvas.text((_x(low) + _x(high)) / 2, top - 0.08, str(number), font(), color=MUTED,
                        ha="center", va="bottom")  # fmt: skip
        canvas.text(SCALE_LEFT - 0.06, top - 0.08, t.gettext("Level"), font(), color=MUTED,
                    ha="right", va="bottom")  # fmt: skip
        for index, (title, band, overall) in enumerate(rows):
            y = top + BAND_ROW * index
            _band_row(canvas, y, title, band, overall, t, language)
        if any(not band.suppressed for _, band, _ in rows):  # a key only for what it draws
            _band_legend(canvas, top + BAND_ROW * len(rows) + 0.25, t)
        return done(canvas, height)


def _band_row(canvas, y: float, title: str, band: Band, overall: bool, t, language) -> None:
    label = font(bold=overall)
    middle = y + BAND_ROW / 2
    if band.suppressed or band.median is None:
        canvas.text(0.08, middle, fitted(title, label, LABEL_WIDTH - 0.1, 2, language), label,
                    va="center", linespacing=1.0)  # fmt: skip
        sentence = fitted(fewer_than(band, t), font(), RIGHT - SCALE_LEFT - 0.1, 2, language)
        canvas.text(SCALE_LEFT + 0.06, middle, sentence, font(), color=INK, va="center",
                    linespacing=1.0)  # fmt: skip
        return
    canvas.text(0.08, middle, fitted(title, label, LABEL_WIDTH - 0.1, 2, language), label,
                va="center", linespacing=1.0)  # fmt: skip
    canvas.text(RIGHT - 0.04, y + BAND_ROW * 0.47, f"n = {band.n}", font(), color=INK, ha="right",
                va="bottom")  # fmt: skip
    low, median, high = float(band.lower_quartile), float(band.median), float(band.upper_quartile)  # type: ignore[arg-type]
    box_top = y + BAND_ROW * 0.52
    canvas.patch(Rectangle((_x(low), box_top), _x(high) - _x(low), 0.16, fc="white",
                           ec=PRIMARY, lw=1.4))  # fmt: skip
    canvas.line([_x(median)] * 2, [box_top - 0.03, box_top + 0.19], color=PRIMARY, lw=3)
    canvas.text(_x(median), box_top - 0.05, locale.format_spread(band.median, t.language),
                font(bold=True), ha="center", va="bottom")  # fmt: skip


def _band_legend(canvas, y: float, t: ReportText) -> None:
    canvas.patch(Rectangle((0.08, y - 0.08), 0.34, 0.16, fc="white", ec=PRIMARY, lw=1.4))
    canvas.text(0.52, y, t.gettext("middle half of the clients (quartiles)"), font(),
                va="center")  # fmt: skip
    y += LINE * 1.5
    canvas.line([0.25, 0.25], [y - 0.1, y + 0.1], color=PRIMARY, lw=3)
    canvas.text(0.52, y, t.gettext("median"), font(), va="center")


# --- top and bottom movers --------------------------------------------------------------

MOVER_ROW = 0.34


def movers_svg(portfolio: Portfolio, language: str) -> DrawnChart | None:
    """The clients whose overall score rose and fell most since the last period, where the
    change is comparable; a bridged change has an open bar and a "*". None without any."""
    t = ReportText(language)
    rising, falling = portfolio.movers()
    if not rising and not falling:
        return None
    largest = max(abs(m.change) for m in (*rising, *falling))
    bridged = any(m.comparability is Comparability.BRIDGED for m in (*rising, *falling))
    sections = [
        (t.gettext("Rose most"), rising, PRIMARY, t.gettext("no client rose")),
        (t.gettext("Fell most"), falling, TARGET, t.gettext("no client fell")),
    ]
    lines = sum(1 + max(len(movers), 1) for _, movers, _, _ in sections)
    height = 0.1 + MOVER_ROW * lines + (LINE * 3 + 0.1 if bridged else 0.05)
    with _lock, rc_context(CHART_SETTINGS):
        canvas = start(height)
        y = 0.1
        for heading, movers, colour, nobody in sections:
            canvas.text(0.08, y + MOVER_ROW / 2, heading, font(bold=True), va="center")
            y += MOVER_ROW
            if not movers:
                canvas.text(0.08, y + MOVER_ROW / 2, nobody, font(), color=MUTED, va="center")
                y += MOVER_ROW
            for mover in movers:
                _mover_row(canvas, y, portfolio, mover, largest, colour, t)
                y += MOVER_ROW
        if bridged:
            note = t.gettext("* bridged: some questions changed since the last period")
            canvas.text(0.08, y + 0.1, fitted(note, font(), WIDTH - 0.16, 2, language), font(),
                        va="top", linespacing=1.1)  # fmt: skip
        return done(canvas, height)


def _mover_row(canvas, y, portfolio: Portfolio, mover: Mover, largest, colour, t) -> None:
    label = font()
    name = shortened(client_label(portfolio, mover.client_id, mover.client_name), label,
                     LABEL_WIDTH - 0.1)  # fmt: skip
    canvas.text(0.08, y + MOVER_ROW / 2, isolated(name), label, va="center")
    bridged = mover.comparability is Comparability.BRIDGED
    shown = t.change(mover.change) + (" *" if bridged else "")
    room = RIGHT - SCALE_LEFT - 0.75  # the number stands after the longest bar
    length = max(room * float(abs(mover.change) / largest), 0.03)
    canvas.patch(Rectangle((SCALE_LEFT, y + 0.07), length, MOVER_ROW - 0.14,
                           fc="white" if bridged else colour, ec=colour, lw=1.4))  # fmt: skip
    canvas.text(SCALE_LEFT + length + 0.06, y + MOVER_ROW / 2, shown, font(bold=True),
                va="center")  # fmt: skip


# --- overall maturity against a KPI -----------------------------------------------------

KPI_HEIGHT = 3.9


def kpi_svg(portfolio: Portfolio, scale: Scale, language: str) -> DrawnChart | None:
    """Each client with both as a point: overall score across, the chosen KPI up, in its
    unit. None below five such clients (Portfolio.kpi_points)."""
    t = ReportText(language)
    points = portfolio.kpi_points()
    if not points:
        return None
    kpi = KpiName(portfolio.filter.kpi)
    values = [float(p.value) for p in points]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or 1.0
    with _lock, rc_context(CHART_SETTINGS):
        canvas = start(KPI_HEIGHT)
        axes = canvas.figure.add_axes((0.22, 0.16, 0.74, 0.8))
        for number, band_low, band_high in scale.bands():
            axes.axvspan(band_low, band_high, color=LEVEL_COLOURS[number - 1], lw=0, zorder=0)
        scores = [float(p.overall_score) for p in points]
        axes.plot(scores, values, ls="", marker="o", ms=7, mfc=PRIMARY, mec="white", mew=1,
                  zorder=3, gid="portfolio-kpi-points")  # fmt: skip
        axes.set_xlim(1, 5)
        axes.set_ylim(low - pad, high + pad)
        ticks = [v for v in MaxNLocator(5).tick_values(low - pad, high + pad)
                 if low - pad <= v <= high + pad]  # fmt: skip
        axes.set_yticks(ticks, [locale.format_kpi(kpi, Fraction(v).limit_denominator(100),
                                                  language) for v in ticks])  # fmt: skip
        axes.set_xticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"])
        for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
            label.set_fontproperties(font())
            label.set_color(INK)
        axes.set_xlabel(t.gettext("Overall score"), fontproperties=font(), color=INK)
        axes.set_ylabel(t.gettext(KPI_NAMES[kpi]), fontproperties=font(), color=INK)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            axes.spines[side].set_color(EDGE)
        return done(canvas, KPI_HEIGHT)
