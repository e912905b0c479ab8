"""The portfolio's charts as SVG (DESIGN §9): what they share (sizes, fonts, the questionnaire's
scale, client labels) and the clients per level per dimension. portfolio_heat_map.py draws
the heat map; portfolio_bands.py the cohort band, the movers and the KPI; portfolio_texts.py
says in words and tables what each shows.

Every chart is drawn WIDTH inches wide (403 px at 96 px to the inch), its smallest text
TEXT_SIZE points (14 px). Shown on a 375 px phone at about 343 px, that text is 11.9 px;
at 1280 px the page shows the chart at its own size or larger. Units are inches with y
running down, so a row's position is its number times the row height.

matplotlib's Figure API only, under charts' lock and settings (rcParams are shared by the
process). Client names come from user input: they are cleaned, wrapped in Unicode
isolates (a right-to-left name does not reorder the text around it) and written by
ElementTree, which escapes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import rc_context
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath

from cxmaturity.domain.portfolio import Portfolio, PortfolioRow
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import Comparability
from cxmaturity.reports.charts import (
    CHART_SETTINGS,
    LEVEL_COLOURS,
    _Canvas,
    _lock,
    _wrap,
)
from cxmaturity.reports.text_tools import clean
from cxmaturity.reports.texts import ReportText

WIDTH = 4.2
TEXT_SIZE = 10.5
LINE = TEXT_SIZE * 1.25 / 72
"""One line of text, in inches."""
LABEL_WIDTH = 1.4
"""The column of client names and dimension titles, in inches."""
RIGHT = WIDTH - 0.08
FIRST_STRONG_ISOLATE = "\N{FIRST STRONG ISOLATE}"
POP_DIRECTIONAL_ISOLATE = "\N{POP DIRECTIONAL ISOLATE}"
EDGE = "#9aa5b1"
"""The outline of a pale shape (level 1 is nearly white) and of an unscored cell."""
COMPARABLE = (Comparability.SAME, Comparability.BRIDGED)
DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@dataclass(frozen=True)
class DrawnChart:
    svg: str
    width_px: int
    height_px: int


@dataclass(frozen=True)
class Scale:
    """What the questionnaire tells every chart, in one language: dimension titles, level
    thresholds and names. Without the questionnaire file, ids and 1…5 stand in."""

    titles: Mapping[str, str]
    thresholds: tuple[Fraction, ...]
    level_names: tuple[str, ...]

    @classmethod
    def of(
        cls, questionnaire: Questionnaire | None, dimension_ids: Sequence[str], language: str
    ) -> Scale:
        if questionnaire is None:
            return cls({d: d for d in dimension_ids}, tuple(map(Fraction, range(1, 6))),
                       tuple(str(n) for n in range(1, 6)))  # fmt: skip
        known = {d.id: clean(d.title.get(language)) for d in questionnaire.dimensions}
        return cls(
            {d: known.get(d, d) for d in dimension_ids},
            tuple(Fraction(level.threshold) for level in questionnaire.levels),
            tuple(clean(level.name.get(language)) for level in questionnaire.levels),
        )

    def bands(self) -> list[tuple[int, float, float]]:
        """(level, lowest score, highest score) of each level."""
        tops = [*self.thresholds[1:], Fraction(5)]
        pairs = zip(self.thresholds, tops, strict=True)
        return [(n, float(low), float(high)) for n, (low, high) in enumerate(pairs, 1)]


def client_label(portfolio: Portfolio, row_client_id: int, name: str) -> str:
    """The alias where the portfolio shows peers without names, else the cleaned name."""
    return portfolio.aliases.get(row_client_id) or clean(name)


def isolated(text: str) -> str:
    """User text that keeps its own direction and leaves the text around it alone."""
    return FIRST_STRONG_ISOLATE + text + POP_DIRECTIONAL_ISOLATE


@cache
def _measure() -> TextToPath:
    return TextToPath()


@cache
def font(size: float = TEXT_SIZE, bold: bool = False) -> FontProperties:
    """DejaVu Sans, not the report's Inter: a chart in an <img> cannot load the page's fonts,
    so browsers draw it in their own sans-serif, and DejaVu Sans is the widest common one
    (text measured in it fits in the others) and has Arabic and Hebrew letters. The file
    is named, as charts._font names Inter's: a family looked up by name costs a font search
    per text drawn. The family list is what the SVG names."""
    file = DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return FontProperties(family=["DejaVu Sans", "sans-serif"], size=size,
                          weight="bold" if bold else "normal", fname=file)  # fmt: skip


def text_width(text: str, face: FontProperties) -> float:
    """The width of one line, in inches."""
    width, _, _ = _measure().get_text_width_height_descent(text, face, ismath=False)
    return width / 72


def shortened(text: str, face: FontProperties, width: float) -> str:
    """The text cut with "…" to fit `width` inches; the table gives it whole."""
    if text_width(text, face) <= width:
        return text
    while text and text_width(text + "…", face) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def fitted(text: str, face: FontProperties, width: float, lines: int, language: str) -> str:
    """The text in at most `lines` lines of at most `width` inches, long words hyphenated
    where the language allows; what does not fit ends in "…"."""
    for characters in range(40, 3, -1):
        wrapped = _wrap(text, characters, language).split("\n")
        if all(text_width(line, face) <= width for line in wrapped):
            break
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], " ".join(wrapped[lines - 1 :])]
    wrapped[-1] = shortened(wrapped[-1], face, width)
    return "\n".join(wrapped)


def start(height: float) -> _Canvas:
    """A canvas WIDTH × height inches, in inches, y down (call inside the lock)."""
    return _Canvas(WIDTH, height, (0, WIDTH), (height, 0))


def done(canvas: _Canvas, height: float) -> DrawnChart:
    return DrawnChart(canvas.svg(), round(WIDTH * 96), round(height * 96))


def level_swatches(canvas: _Canvas, y: float, t: ReportText) -> float:
    """The key of the level colours on one line at y; returns the line below it."""
    label = font()
    canvas.text(0.08, y, t.gettext("Level"), label, va="center")
    x = 0.08 + text_width(t.gettext("Level"), label) + 0.1
    for number, colour in enumerate(LEVEL_COLOURS, 1):
        canvas.patch(Rectangle((x, y - 0.1), 0.3, 0.2, fc=colour, ec=EDGE, lw=0.6))
        canvas.text(x + 0.15, y, str(number), label, ha="center", va="center")
        x += 0.36
    return y + LINE * 1.5


def named_levels(canvas: _Canvas, y: float, scale: Scale) -> None:
    """The key of the level colours with their names, in two columns from y down."""
    for index, (colour, name) in enumerate(zip(LEVEL_COLOURS, scale.level_names, strict=True)):
        x, line = 0.08 + (WIDTH / 2) * (index // 3), y + LINE * 1.5 * (index % 3)
        canvas.patch(Rectangle((x, line - 0.1), 0.3, 0.2, fc=colour, ec=EDGE, lw=0.6))
        canvas.text(x + 0.15, line, str(index + 1), font(), ha="center", va="center")
        canvas.text(x + 0.4, line, shortened(name, font(), WIDTH / 2 - 0.5), font(), va="center")


# --- clients per level per dimension ----------------------------------------------------

BAR_ROW = 0.5


def level_counts_svg(portfolio: Portfolio, scale: Scale, language: str) -> DrawnChart:
    """One stacked bar per dimension: how many assessed clients reach each level."""
    columns = portfolio.dimension_ids
    total = max(len(portfolio.assessed_rows), 1)
    left, length = LABEL_WIDTH + 0.05, RIGHT - LABEL_WIDTH - 0.05
    height = 0.15 + BAR_ROW * len(columns) + 0.2 + LINE * 1.5 * 3
    label = font()
    with _lock, rc_context(CHART_SETTINGS):
        canvas = start(height)
        for number, dimension_id in enumerate(columns):
            y = 0.15 + BAR_ROW * number
            title = fitted(scale.titles[dimension_id], label, LABEL_WIDTH - 0.12, 2, language)
            canvas.text(0.08, y + BAR_ROW / 2, title, label, va="center", linespacing=1.0)
            x = left
            for level, count in portfolio.level_counts(dimension_id).items():
                if not count:
                    continue
                width = length * count / total
                canvas.patch(Rectangle((x, y + 0.08), width, BAR_ROW - 0.16,
                                       fc=LEVEL_COLOURS[level - 1], ec=EDGE, lw=0.6))  # fmt: skip
                if width >= text_width(str(count), label) + 0.06:
                    canvas.text(x + width / 2, y + BAR_ROW / 2, str(count), label, ha="center",
                                va="center")  # fmt: skip
                x += width
        named_levels(canvas, 0.35 + BAR_ROW * len(columns), scale)
        return done(canvas, height)


def row_names(portfolio: Portfolio, rows: Sequence[PortfolioRow]) -> list[str]:
    """The rows' labels as the charts show them (alias or name), for the tables."""
    return [client_label(portfolio, row.client_id, row.client_name) for row in rows]
