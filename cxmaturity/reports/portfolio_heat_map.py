"""The portfolio's heat map as SVG (DESIGN §9): clients × dimensions, one cell per score.

Layout, fonts and units as in portfolio_charts.py (inches, y running down).
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from matplotlib import rc_context
from matplotlib.patches import Circle, PathPatch, Rectangle
from matplotlib.path import Path

from cxmaturity import locale
from cxmaturity.domain.portfolio import DimensionCell, Portfolio, PortfolioRow, PortfolioStatus
from cxmaturity.domain.statuses import Comparability
from cxmaturity.reports.charts import (
    CHART_SETTINGS,
    INK,
    LEVEL_COLOURS,
    MUTED,
    TARGET,
    _Canvas,
    _lock,
)
from cxmaturity.reports.portfolio_charts import (
    COMPARABLE,
    EDGE,
    LABEL_WIDTH,
    LINE,
    RIGHT,
    DrawnChart,
    Scale,
    client_label,
    done,
    fitted,
    font,
    isolated,
    level_swatches,
    shortened,
    start,
)
from cxmaturity.reports.texts import ReportText

ROW = 0.4
MARKS = 0.1
"""The strip above a cell's score that holds its dot and its arrow."""
HEADER = 1.6
HEAT_GAP = 0.015


HEAT_MAP_ROWS = 60
"""At most this many clients, the first in the rows' order: a taller chart is no longer read
as one picture, and each row costs drawing time. The page's table lists every client."""


def heat_map_rows(portfolio: Portfolio) -> tuple[PortfolioRow, ...]:
    """The rows the heat map shows."""
    return portfolio.rows[:HEAT_MAP_ROWS]


def heat_map_svg(portfolio: Portfolio, scale: Scale, language: str) -> DrawnChart:
    """One row per client in the rows' order, one column per dimension: the level's colour,
    the score (rounded down), a dot for disagreement, a dark frame below the target, and
    an arrow where the change since the last period is comparable (open where bridged)."""
    t = ReportText(language)
    rows = heat_map_rows(portfolio)
    columns = portfolio.dimension_ids
    cell = min(0.45, (RIGHT - LABEL_WIDTH) / max(len(columns), 1))
    top = HEADER + 0.05
    more = len(portfolio.rows) > len(rows)
    legend = top + ROW * (len(rows) + more) + 0.3
    height = legend + LINE * 1.5 * 4
    name_font = font()
    with _lock, rc_context(CHART_SETTINGS):
        canvas = start(height)
        for index, dimension_id in enumerate(columns):
            x = LABEL_WIDTH + cell * (index + 0.5)
            # Two lines of TEXT_SIZE, set close, fit side by side in a column.
            title = fitted(scale.titles[dimension_id], font(), HEADER - 0.1, 2, language)
            canvas.text(
                x, HEADER, title, font(), rotation=90, ha="center", va="bottom", linespacing=1.0
            )
        shapes = _Shapes()
        for number, row in enumerate(rows):
            y = top + ROW * number
            name = shortened(client_label(portfolio, row.client_id, row.client_name), name_font,
                             LABEL_WIDTH - 0.14)  # fmt: skip
            colour = INK if row.assessed else MUTED
            canvas.text(0.08, y + ROW / 2, isolated(name), name_font, color=colour, va="center")
            if not row.assessed:
                canvas.text(LABEL_WIDTH + 0.06, y + ROW / 2, absent(row, portfolio, t), name_font,
                            color=MUTED, va="center")  # fmt: skip
                continue
            for index, dimension_id in enumerate(columns):
                x = LABEL_WIDTH + cell * index
                _heat_cell(canvas, shapes, x, y, cell, row.cell(dimension_id), t)
        shapes.draw(canvas)
        if more:
            canvas.text(0.08, top + ROW * (len(rows) + 0.5), shown_of(portfolio, t), name_font,
                        color=MUTED, va="center")  # fmt: skip
        _heat_legend(canvas, legend, t)
        return done(canvas, height)


def shown_of(portfolio: Portfolio, t: ReportText) -> str:
    return t.gettext("The first %(shown)s of %(count)s clients, in the table's order.",
                     shown=HEAT_MAP_ROWS, count=t.count(len(portfolio.rows)))  # fmt: skip


def absent(row: PortfolioRow, portfolio: Portfolio, t: ReportText) -> str:
    """Why a row has no cells: "not assessed in 2026-Q4" or "assessment under way"."""
    if row.status is PortfolioStatus.OPEN:
        return t.gettext("assessment under way")
    return t.gettext("not assessed in %(period)s", period=portfolio.filter.period)


class _Shapes:
    """The heat map's shapes, one path per style and layer: a 30-client map has some 500,
    and one path per style draws far faster (in matplotlib and in the browser)."""

    LAYERS = ("cells", "frames", "marks")

    def __init__(self) -> None:
        self.paths: dict[tuple[str, tuple], list[Path]] = defaultdict(list)

    def add(self, layer: str, path: Path, **style: object) -> None:
        self.paths[(layer, tuple(sorted(style.items())))].append(path)

    def draw(self, canvas: _Canvas) -> None:
        for layer in self.LAYERS:
            for (found, style), paths in self.paths.items():
                if found == layer:
                    canvas.patch(PathPatch(Path.make_compound_path(*paths), **dict(style)))


def _box(x: float, y: float, w: float, h: float) -> Path:
    return Path([(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)], closed=True)


def _heat_cell(
    canvas: _Canvas,
    shapes: _Shapes,
    x: float,
    y: float,
    width: float,
    cell: DimensionCell | None,
    t: ReportText,
) -> None:
    box = _box(x + HEAT_GAP, y + HEAT_GAP, width - 2 * HEAT_GAP, ROW - 2 * HEAT_GAP)
    if cell is None or cell.level is None:
        shapes.add("cells", box, fc="white", ec=EDGE, lw=0.6)
        canvas.text(x + width / 2, y + ROW / 2, "–", font(), color=MUTED,
                    ha="center", va="center")  # fmt: skip
        return
    shapes.add("cells", box, fc=LEVEL_COLOURS[cell.level - 1], ec=EDGE, lw=0.4)
    if cell.below_target:
        # The cell's own edge is the dark frame, clear of the dot and the arrow.
        shapes.add("frames", box, fill=False, ec=TARGET, lw=2.2)
    canvas.text(x + width / 2, y + MARKS + (ROW - MARKS) / 2, t.score(cell.score), font(),
                ha="center", va="center")  # fmt: skip
    if cell.disagreement:
        shapes.add("marks", Path.circle((x + 0.08, y + MARKS), 0.036), fc=INK, lw=0)
    direction = change_direction(cell.change, cell.comparability)
    if direction:
        open_ = cell.comparability is Comparability.BRIDGED
        shapes.add("marks", _arrow_path(x + width - 0.085, y + MARKS, direction),
                   fc="white" if open_ else INK, ec=INK, lw=0.9)  # fmt: skip


def change_direction(change: Fraction | None, comparability: Comparability | None) -> int:
    """+1 or −1 where a comparable change shows as at least ±0.1 (rounded half up), else 0."""
    if change is None or comparability not in COMPARABLE:
        return 0
    shown = locale.round_half_up(change)
    return (shown > 0) - (shown < 0)


def _arrow_path(x: float, y: float, direction: int) -> Path:
    half, tip = 0.05, 0.05 * direction
    # y runs down: an arrow up has its tip above (smaller y).
    return Path([(x - half, y + tip), (x + half, y + tip), (x, y - tip), (x - half, y + tip)],
                closed=True)  # fmt: skip


def _arrow(
    canvas: _Canvas, x: float, y: float, direction: int, comparability: Comparability | None
) -> None:
    open_ = comparability is Comparability.BRIDGED
    canvas.patch(PathPatch(_arrow_path(x, y, direction), fc="white" if open_ else INK, ec=INK,
                           lw=0.9))  # fmt: skip


def _heat_legend(canvas: _Canvas, y: float, t: ReportText) -> None:
    label = font()
    y = level_swatches(canvas, y, t)
    canvas.patch(Circle((0.2, y), 0.036, fc=INK, lw=0))
    canvas.text(0.4, y, t.gettext("disagreement among the respondents"), label, va="center")
    y += LINE * 1.5
    canvas.patch(Rectangle((0.08, y - 0.1), 0.24, 0.2, fc="white", ec=TARGET, lw=2.2))
    canvas.text(0.4, y, t.gettext("below the target level"), label, va="center")
    y += LINE * 1.5
    _arrow(canvas, 0.14, y, 1, Comparability.SAME)
    _arrow(canvas, 0.27, y, -1, Comparability.BRIDGED)
    canvas.text(0.4, y, t.gettext("change since last period (open: bridged)"), label, va="center")
