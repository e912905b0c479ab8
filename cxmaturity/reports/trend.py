"""The trend chart of a client's history as SVG: one line per dimension, the overall thicker.

Dashed lines mark the active targets; a line breaks where its series is broken by a
questionnaire change (DESIGN §4.9), with a marker there; a ring on the overall line
marks a period whose respondents changed by more than half (§4.10). The KPIs stand
beside it as a table, not in the chart: their units (points, percent, hours, euros)
share no axis with the maturity scores.

matplotlib's Figure API only, under charts' lock and settings (rcParams are shared by
the process). Sizes are for a chart shown about 327 px wide on a 375 px phone: its
smallest text, 10.5 pt (14 px) of a 3.6-inch (346 px) figure, is 13 px there.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from cxmaturity.domain.history import ClientHistory, HistoryPeriod
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import Comparability
from cxmaturity.reports.charts import CHART_SETTINGS, INK, LEVEL_COLOURS, MUTED, _font, _lock
from cxmaturity.reports.text_tools import clean
from cxmaturity.reports.texts import ReportText

WIDTH = 3.6
"""Inches; 346 px at 96 px to the inch, shown at most that wide (style.css .trend)."""
TEXT_SIZE = 10.5
OVERALL = "overall"
# Okabe–Ito, told apart also with the common colour-vision deficiencies; the yellow is
# darkened to stay visible on the light level bands.
DIMENSION_COLOURS = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#b59b00",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
    "#7f7f7f",
)
DIMENSION_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*")


def trend_svg(history: ClientHistory, questionnaire: Questionnaire | None, language: str) -> str:
    """The chart of every closed period; `questionnaire` (the latest period's) gives the
    dimension titles and level thresholds, its absence falls back to ids and 1…5."""
    t = ReportText(language)
    periods = history.periods
    dimension_ids = _dimension_ids(history, questionnaire)
    titles = {d: _title(questionnaire, d, language) for d in dimension_ids}
    marks = _marks_shown(history)
    legend_rows = len(dimension_ids) + 1 + len(marks)
    height = _height(legend_rows)
    with _lock, rc_context(CHART_SETTINGS):
        figure = Figure(figsize=(WIDTH, height))
        # Below the plot: the rotated period labels (about an inch), then the legend.
        plot_bottom = (0.24 * legend_rows + 1.05) / height
        axes = figure.add_axes((0.13, plot_bottom, 0.84, 1 - plot_bottom - 0.03))
        _bands(axes, questionnaire)
        xs = list(range(len(periods)))
        colours = {
            d: DIMENSION_COLOURS[n % len(DIMENSION_COLOURS)] for n, d in enumerate(dimension_ids)
        }
        for number, dimension_id in enumerate(dimension_ids):
            scores, broken = _series(periods, dimension_id)
            _line(
                axes,
                xs,
                scores,
                broken,
                colours[dimension_id],
                f"trend-{dimension_id}",
                width=1.4,
                marker=DIMENSION_MARKERS[number % len(DIMENSION_MARKERS)],
            )
        overall, overall_broken = _series(periods, None)
        _line(axes, xs, overall, overall_broken, INK, "trend-overall", width=3.2, marker="o")
        _targets(axes, history, questionnaire, colours)
        _different_respondents(axes, periods, overall)
        axes.set_xlim(-0.4, max(len(periods) - 0.6, 0.4))
        axes.set_ylim(1, 5)
        axes.set_xticks(xs, [p.period for p in periods], rotation=90 if len(periods) > 3 else 0)
        axes.set_yticks([1, 2, 3, 4, 5])
        for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
            label.set_fontproperties(_font(size=TEXT_SIZE))
            label.set_color(INK)
        axes.set_ylabel(t.gettext("Score"), fontproperties=_font(size=TEXT_SIZE), color=INK)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        _legend(figure, t, dimension_ids, titles, colours, marks)
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
        return buffer.getvalue()


def size_px(history: ClientHistory, questionnaire: Questionnaire | None) -> tuple[int, int]:
    """The chart's width and height in CSS pixels, for the <img> that shows it."""
    rows = len(_dimension_ids(history, questionnaire)) + 4
    return round(WIDTH * 96), round(_height(rows) * 96)


def _height(legend_rows: int) -> float:
    return 3.3 + 0.24 * legend_rows


def description(history: ClientHistory, questionnaire: Questionnaire | None, language: str) -> str:
    """The chart's text alternative: what it shows, in words; the table gives every figure."""
    t = ReportText(language)
    periods = history.periods
    if not periods:
        return t.gettext("No closed assessment yet.")
    first, last = periods[0], periods[-1]
    parts = [
        t.gettext(
            "Trend of the overall score and the dimensions over %(count)s closed periods, "
            "from %(first)s to %(last)s.",
            count=len(periods),
            first=first.period,
            last=last.period,
        )
        if len(periods) > 1
        else t.gettext(
            "The overall score and the dimensions in %(first)s, the only closed period.",
            first=first.period,
        ),
        t.gettext(
            "Overall score %(then)s in %(first)s, %(now)s in %(last)s.",
            then=t.score(first.score),
            now=t.score(last.score),
            first=first.period,
            last=last.period,
        ),
    ]
    for period in periods:
        if period.comparability is Comparability.BROKEN:
            parts.append(
                t.gettext(
                    "New series from %(version)s (%(period)s).",
                    version=period.questionnaire_version,
                    period=period.period,
                )
            )
        if period.different_respondents:
            parts.append(t.gettext("%(period)s: different respondents.", period=period.period))
    for target in history.targets:
        parts.append(
            t.gettext(
                "Dashed line: the target of %(dimension)s, level %(level)s.",
                dimension=_title(questionnaire, target.dimension_id, language),
                level=target.target_level,
            )
        )
    parts.append(t.gettext("The tables below give every figure."))
    return " ".join(parts)


def _dimension_ids(history: ClientHistory, questionnaire: Questionnaire | None) -> list[str]:
    ordered = [d.id for d in questionnaire.dimensions] if questionnaire else []
    for period in history.periods:
        for dimension in period.dimensions:
            if dimension.dimension_id not in ordered:
                ordered.append(dimension.dimension_id)
    return ordered


def _title(questionnaire: Questionnaire | None, dimension_id: str, language: str) -> str:
    if questionnaire is not None:
        for dimension in questionnaire.dimensions:
            if dimension.id == dimension_id:
                return clean(dimension.title.get(language))
    return dimension_id


def _series(
    periods: Sequence[HistoryPeriod], dimension_id: str | None
) -> tuple[list[Fraction | None], list[bool]]:
    """Scores per period (None where not scored) and where the series starts anew."""
    scores: list[Fraction | None] = []
    broken: list[bool] = []
    for period in periods:
        if dimension_id is None:
            scores.append(period.score)
            broken.append(period.comparability is Comparability.BROKEN)
            continue
        found = period.dimension(dimension_id)
        scores.append(found.score if found else None)
        broken.append(found is not None and found.comparability is Comparability.BROKEN)
    return scores, broken


def _line(axes, xs, scores, broken, colour, gid, *, width: float, marker: str) -> None:
    """The series in segments: a broken period starts a new one, marked by a bar."""
    segments: list[list[tuple[int, float]]] = [[]]
    for x, score, starts_anew in zip(xs, scores, broken, strict=True):
        if starts_anew or score is None:
            segments.append([])
        if score is not None:
            segments[-1].append((x, float(score)))
    for number, segment in enumerate(s for s in segments if s):
        points_x, points_y = zip(*segment, strict=True)
        axes.add_line(
            Line2D(
                points_x,
                points_y,
                color=colour,
                lw=width,
                marker=marker,
                markersize=4 if width < 2 else 5,
                gid=f"{gid}-{number}",
            )
        )
    for x, score, starts_anew in zip(xs, scores, broken, strict=True):
        if starts_anew and score is not None:
            axes.add_line(
                Line2D(
                    [x - 0.22],
                    [float(score)],
                    color=colour,
                    marker="|",
                    markersize=14,
                    mew=2.2,
                    gid=f"{gid}-break-{x}",
                )
            )


def _bands(axes, questionnaire: Questionnaire | None) -> None:
    thresholds = (
        [float(level.threshold) for level in questionnaire.levels]
        if questionnaire
        else [1.0, 2.0, 3.0, 4.0, 5.0]
    )
    tops = [*thresholds[1:], 5.0]
    for number, (low, high) in enumerate(zip(thresholds, tops, strict=True), start=1):
        axes.axhspan(low, high, color=LEVEL_COLOURS[number - 1], lw=0, zorder=0)


def _targets(axes, history: ClientHistory, questionnaire, colours) -> None:
    if questionnaire is None:
        return
    for target in history.targets:
        if target.dimension_id not in colours:
            continue
        threshold = float(questionnaire.level(target.target_level).threshold)
        axes.axhline(
            threshold,
            color=colours[target.dimension_id],
            lw=1.3,
            ls=(0, (4, 3)),
            gid=f"trend-target-{target.dimension_id}",
        )


def _different_respondents(axes, periods: Sequence[HistoryPeriod], overall) -> None:
    for x, (period, score) in enumerate(zip(periods, overall, strict=True)):
        if period.different_respondents:
            y = float(score) if score is not None else 1.1
            axes.add_line(
                Line2D(
                    [x],
                    [y],
                    color=INK,
                    marker="o",
                    markersize=13,
                    mfc="none",
                    mew=1.6,
                    gid=f"trend-different-{x}",
                )
            )


def _marks_shown(history: ClientHistory) -> tuple[str, ...]:
    """The legend's marks that the chart has: a key only for what it draws."""
    broken = any(
        period.comparability is Comparability.BROKEN
        or any(d.comparability is Comparability.BROKEN for d in period.dimensions)
        for period in history.periods
    )
    different = any(period.different_respondents for period in history.periods)
    shown = (("target", bool(history.targets)), ("broken", broken), ("different", different))
    return tuple(name for name, present in shown if present)


def _legend(figure, t: ReportText, dimension_ids, titles, colours, marks) -> None:
    handles = [Line2D([], [], color=INK, lw=3.2, marker="o", markersize=5)]
    labels = [t.gettext("Overall")]
    for number, dimension_id in enumerate(dimension_ids):
        handles.append(
            Line2D(
                [],
                [],
                color=colours[dimension_id],
                lw=1.4,
                markersize=4,
                marker=DIMENSION_MARKERS[number % len(DIMENSION_MARKERS)],
            )
        )
        labels.append(titles[dimension_id])
    keys = {
        "target": (Line2D([], [], color=MUTED, lw=1.3, ls=(0, (4, 3))), t.gettext("Target")),
        "broken": (
            Line2D([], [], color=MUTED, lw=0, marker="|", markersize=12, mew=2.2),
            t.gettext("New series (questionnaire changed)"),
        ),
        "different": (
            Line2D([], [], color=INK, lw=0, marker="o", markersize=11, mfc="none", mew=1.6),
            t.gettext("Different respondents"),
        ),
    }
    for mark in marks:
        handles.append(keys[mark][0])
        labels.append(keys[mark][1])
    figure.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0.02, 0.01),
        ncols=1,
        frameon=False,
        prop=_font(size=TEXT_SIZE),
        labelcolor=INK,
        handlelength=2.4,
        borderaxespad=0.2,
    )
