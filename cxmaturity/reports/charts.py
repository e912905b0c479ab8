"""The report's charts as SVG text: a radar of the dimensions and bars against the level bands.

matplotlib's Figure API only: pyplot keeps global figure state and is not thread-safe.
Settings matplotlib reads only from rcParams (SVG font type, id salt, math parsing) are
applied with `rc_context` while one chart is drawn and saved; the lock keeps two threads
from drawing inside each other's context, since rcParams are shared by the process.
"""

from __future__ import annotations

import base64
import io
import math
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import pyphen
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

from cxmaturity.config import STATIC_DIR
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.scoring import AssessmentResult
from cxmaturity.domain.targets import TargetProgress
from cxmaturity.reports.text_tools import clean
from cxmaturity.reports.texts import ReportText

FONT_DIR = STATIC_DIR / "report" / "fonts"
INK = "#1b2b3a"
MUTED = "#5f6b7a"
PRIMARY = "#17446b"
RANGE = "#d9822b"
PREVIOUS = "#5f6b7a"
TARGET = "#8a3b12"
TARGET_STYLE = (0, (1, 1.5))
"""Dotted, with open diamonds: told apart from now (solid, dots) and previous (dashed)
without its colour."""
LEVEL_COLOURS = ("#eef2f6", "#dce5ee", "#c5d5e5", "#a9c1d9", "#8aabcb")
"""The level colours of the rings and bars; report.css gives its .level-N the same."""
GRID = "#ffffff"


@dataclass(frozen=True)
class RadarLayout:
    """Sizes of one radar: in points at the size it is shown, so fonts are what they say."""

    width: float
    """Inches, as printed (or as shown on the page, at 96 px to the inch)."""
    height: float
    label_size: float
    ring_number_size: float
    legend_size: float
    wrap: int
    """Characters per line of an axis label."""
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    label_radius: float = 5.4
    hyphenate: bool = False
    """Break long words of a label (a narrow chart); else they stay whole."""


PRINT = RadarLayout(
    width=5.5, height=4.8, label_size=8.5, ring_number_size=7.5, legend_size=8, wrap=18,
    x_range=(-9.0, 9.0), y_range=(-8.4, 7.3),
)  # fmt: skip
"""The report's radar, printed 5.5 inches (139.7 mm) wide: report.css sets that width."""
WEB = RadarLayout(
    width=3.6, height=4.0, label_size=8.8, ring_number_size=7, legend_size=8.8, wrap=10,
    x_range=(-9.6, 9.6), y_range=(-11.6, 9.7), hyphenate=True,
)  # fmt: skip
"""The results page's radar, 345.6 × 384 px: shown about 340 px wide on a phone, its
labels are 11.5 px (8.8 pt × 4/3 px × 340/345.6)."""

CHART_SETTINGS = {
    # Text stays text (selectable, searchable, set in the report's font by WeasyPrint).
    "svg.fonttype": "none",
    # Fixed ids make equal charts byte-equal, so equal inputs give an equal PDF.
    "svg.hashsalt": "cxmaturity-report",
    # Titles are text, never TeX: "$x_1$" must print as written.
    "text.parse_math": False,
    "axes.unicode_minus": True,
    # Our texts name Inter with its file; anything else falls back to matplotlib's own font.
    "font.family": ["DejaVu Sans"],
    # The fallback list each text names: short, as every family named is looked up.
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8.5,
}
_lock = threading.Lock()


def _font(weight: str = "regular", size: float = 8.5) -> FontProperties:
    files = {"regular": "Inter-Regular.otf", "semibold": "Inter-SemiBold.otf"}
    # The file sets the metrics; the family list is what the SVG names, so a
    # browser without Inter (the results page) falls back to a sans-serif.
    return FontProperties(
        family=["Inter", "sans-serif"], weight=weight, size=size, fname=FONT_DIR / files[weight]
    )


class _Canvas:
    """A figure drawn on in chart units, with no Axes: no ticks, grids or clip paths to make."""

    def __init__(self, width: float, height: float, x_range: tuple, y_range: tuple) -> None:
        self.figure = Figure(figsize=(width, height))
        (x0, x1), (y0, y1) = x_range, y_range
        units = Affine2D().translate(-x0, -y0).scale(1 / (x1 - x0), 1 / (y1 - y0))
        self.transform = units + self.figure.transFigure

    def patch(self, patch: Patch) -> None:
        patch.set_transform(self.transform)
        self.figure.add_artist(patch)

    def line(self, xs, ys, **style) -> None:
        self.figure.add_artist(Line2D(xs, ys, transform=self.transform, **style))

    def text(self, x: float, y: float, text: str, font: FontProperties, **style) -> None:
        style.setdefault("color", INK)
        self.figure.text(
            x, y, text, transform=self.transform, fontproperties=font, parse_math=False, **style
        )

    def svg(self) -> str:
        buffer = io.StringIO()
        FigureCanvasSVG(self.figure).print_svg(buffer, metadata={"Date": None})
        return _lean(buffer.getvalue())


SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
KEPT_ID_PREFIX = ("radar-", "cohort-")
"""Groups named so by a gid stay: tests and readers find the charts' parts by them."""
XLINK_NAMESPACE = "{http://www.w3.org/1999/xlink}"


def _lean(svg: str) -> str:
    """The same drawing in fewer, simpler nodes, which WeasyPrint draws in less time.

    matplotlib wraps each shape in a <g id=...>, styles it with a style="..." attribute
    and adds a stylesheet and metadata; WeasyPrint parses every style attribute as CSS and
    matches every node against the stylesheet. Presentation attributes it reads directly.
    """
    root = ElementTree.fromstring(svg)
    root.tag = root.tag.removeprefix(SVG_NAMESPACE)
    _flatten(root)
    # Names written out by hand: ElementTree's namespace prefixes are global to the process.
    root.set("xmlns", SVG_NAMESPACE[1:-1])
    root.set("xmlns:xlink", XLINK_NAMESPACE[1:-1])
    root.set("stroke-linejoin", "round")  # what matplotlib's stylesheet set for all shapes
    root.set("stroke-linecap", "butt")
    return ElementTree.tostring(root, encoding="unicode")


def _flatten(parent: ElementTree.Element) -> None:
    kept = []
    for child in list(parent):
        parent.remove(child)
        child.tag = child.tag.removeprefix(SVG_NAMESPACE)
        if child.tag in ("metadata", "style"):
            continue
        _flatten(child)
        for name in [name for name in child.attrib if name.startswith(XLINK_NAMESPACE)]:
            child.set("xlink:" + name.removeprefix(XLINK_NAMESPACE), child.attrib.pop(name))
        for declaration in child.attrib.pop("style", "").split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                child.set(name.strip(), value.strip())
        named = child.get("id", "").startswith(KEPT_ID_PREFIX)
        if child.tag == "g" and set(child.attrib) <= {"id"} and not named:
            kept.extend(child)  # a group that only names its children
        elif child.tag != "defs" or len(child):
            kept.append(child)
    parent.extend(kept)


def data_uri(svg: str) -> str:
    """The SVG as a data: URI for an <img>: the fastest way through WeasyPrint."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _exact_scores(questionnaire: Questionnaire, result: AssessmentResult) -> list[Fraction | None]:
    # A previous result may lack a dimension the questionnaire has gained since.
    known = {r.dimension_id: r.score for r in result.dimensions}
    return [known.get(dimension.id) for dimension in questionnaire.dimensions]


def _bands(questionnaire: Questionnaire) -> list[tuple[int, float, float]]:
    """(level, lowest score, highest score) of each level."""
    thresholds = [float(level.threshold) for level in questionnaire.levels]
    return [(n, low, ([*thresholds[1:], 5.0])[n - 1]) for n, low in enumerate(thresholds, 1)]


def _wrap(text: str, width: int, language: str | None = None) -> str:
    """Lines of at most `width` characters. With a language, a longer word is hyphenated
    where that language allows ("Kunden-", "verständnis"), so a label never runs off a
    narrow chart; without, it stays whole, as written."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
            continue
        while language and len(word) > width:
            head, tail = _hyphenation(language).wrap(word, width) or (word, "")
            if not tail:
                break
            lines.append(head)
            word = tail
        lines.append(word)
    return "\n".join(lines)


@cache
def _hyphenation(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang={"de": "de_DE", "en": "en_US"}.get(language, language))


def _point(angle: float, radius: float) -> tuple[float, float]:
    # Angles run clockwise from twelve o'clock, as a reader expects a radar to.
    return radius * math.sin(angle), radius * math.cos(angle)


def radar_svg(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    language: str,
    previous: AssessmentResult | None = None,
    layout: RadarLayout = PRINT,
    targets: Sequence[TargetProgress] = (),
) -> str:
    """A radar of the dimension scores over the level rings.

    With two or more respondents a band shows each dimension's range, from the lowest
    to the highest respondent score; the previous period's outline is dashed; the
    targets' thresholds are joined by a dotted line with open diamonds.
    """
    t = ReportText(language)
    titles = [clean(d.title.get(language)) for d in questionnaire.dimensions]
    angles = [2 * math.pi * index / len(titles) for index in range(len(titles))]

    def ring(radius: float) -> list[tuple[float, float]]:
        return [_point(angle, radius) for angle in angles]

    with _lock, rc_context(CHART_SETTINGS):
        canvas = _Canvas(layout.width, layout.height, layout.x_range, layout.y_range)
        for number, _, high in reversed(_bands(questionnaire)):
            canvas.patch(Polygon(ring(high), color=LEVEL_COLOURS[number - 1], lw=0,
                                 gid=f"radar-level-{number}"))  # fmt: skip
        canvas.patch(Polygon(ring(_bands(questionnaire)[0][1]), color="white", lw=0))
        # The grid in one path: every element is one more thing for WeasyPrint to draw.
        rings = [[*ring(low), ring(low)[0]] for _, low, _ in _bands(questionnaire)]
        spokes = [[(0.0, 0.0), point] for point in ring(5)]
        canvas.patch(PathPatch(_polylines([*rings, *spokes]), fill=False, ec=GRID, lw=0.8))
        for number, low, high in _bands(questionnaire):
            canvas.text(0.12, (low + high) / 2, str(number), _font(size=layout.ring_number_size),
                        color=MUTED, va="center")  # fmt: skip
        ranged = _has_range(result)
        if ranged:
            _range_band(canvas, angles, questionnaire, result)
        if previous is not None:
            before = _exact_scores(questionnaire, previous)
            _outline(canvas, angles, before, current=False)
        aimed = _target_thresholds(questionnaire, targets)
        if any(threshold is not None for threshold in aimed):
            _target_outline(canvas, angles, aimed)
        scores = _exact_scores(questionnaire, result)
        _outline(canvas, angles, scores, current=True)
        for angle, title, score in zip(angles, titles, scores, strict=True):
            shown = t.gettext("not scored") if score is None else t.score(score)
            _radar_label(canvas, layout, angle, title, shown, language)
        _legend(canvas, layout, t, ranged=ranged, previous=previous is not None,
                target=any(threshold is not None for threshold in aimed))  # fmt: skip
        return canvas.svg()


def _has_range(result: AssessmentResult) -> bool:
    return any(r.respondents >= 2 for r in result.dimensions)


def _range_band(
    canvas: _Canvas, angles: list[float], questionnaire: Questionnaire, result: AssessmentResult
) -> None:
    """A band from each scored dimension's lowest to its highest respondent score."""
    ranges = [result.dimension(d.id).respondent_scores for d in questionnaire.dimensions]
    kept = [(angle, scores) for angle, scores in zip(angles, ranges, strict=True) if scores]
    highs = [_point(angle, float(max(scores))) for angle, scores in kept]
    lows = [_point(angle, float(min(scores))) for angle, scores in kept]
    if len(kept) > 2:
        # One path: the outer ring clockwise, the inner one back; the even-odd rule
        # leaves the inside of the inner ring empty.
        vertices = [*highs, highs[0], *reversed(lows), lows[-1]]
        codes = [Path.MOVETO] + [Path.LINETO] * len(highs) + [Path.MOVETO]
        codes += [Path.LINETO] * len(lows)
        canvas.patch(PathPatch(Path(vertices, codes), fc=(*to_rgb(RANGE), 0.24), lw=0,
                               gid="radar-range"))  # fmt: skip
    whiskers = _polylines([[low, high] for low, high in zip(lows, highs, strict=True)])
    canvas.patch(PathPatch(whiskers, fill=False, ec=RANGE, lw=2.4, capstyle="butt"))


def _polylines(lines: list[list[tuple[float, float]]]) -> Path:
    """Several open polylines as one path."""
    vertices = [point for line in lines for point in line]
    codes = [code for line in lines for code in [Path.MOVETO] + [Path.LINETO] * (len(line) - 1)]
    return Path(vertices, codes)


def _outline(canvas: _Canvas, angles: list[float], scores: list, current: bool) -> None:
    points = [_point(a, float(s)) for a, s in zip(angles, scores, strict=True) if s is not None]
    if not points:
        return
    color = PRIMARY if current else PREVIOUS
    if len(points) > 2:
        if current:
            canvas.patch(Polygon(points, closed=True, fc=(*to_rgb(color), 0.12), lw=0))
        points = [*points, points[0]]
    xs, ys = zip(*points, strict=True)
    # Only this period's points are marked: the dashed outline is the previous one's mark.
    canvas.line(xs, ys, color=color, lw=2 if current else 1.3, ls="-" if current else (0, (4, 2)),
                marker="o" if current else "", markersize=4,
                gid="radar-current" if current else "radar-previous")  # fmt: skip


def _target_thresholds(
    questionnaire: Questionnaire, targets: Sequence[TargetProgress]
) -> list[Fraction | None]:
    """Per dimension, the threshold of its target level; None without a target."""
    levels = {target.dimension_id: target.target_level for target in targets}
    return [
        questionnaire.level(levels[d.id]).threshold if d.id in levels else None
        for d in questionnaire.dimensions
    ]


def _target_outline(canvas: _Canvas, angles: list[float], thresholds: list) -> None:
    """Diamonds at the targets, joined only between neighbouring axes that both have one:
    a line across an axis without a target would claim a target there."""
    points = [_point(a, float(s)) if s is not None else None
              for a, s in zip(angles, thresholds, strict=True)]  # fmt: skip
    count = len(points)
    runs: list[list[tuple[float, float]]] = []
    start = next((i for i in range(count) if points[i] is None), None)
    if start is None:  # every axis has a target: one closed ring
        runs.append([*[p for p in points if p is not None], points[0]])  # type: ignore[list-item]
    else:
        run: list[tuple[float, float]] = []
        for step in range(1, count + 1):
            point = points[(start + step) % count]
            if point is None:
                if len(run) > 1:
                    runs.append(run)
                run = []
            else:
                run.append(point)
    if runs:
        canvas.patch(PathPatch(_polylines(runs), fill=False, ec=TARGET, lw=1.5,
                               ls=TARGET_STYLE))  # fmt: skip
    marked = [point for point in points if point is not None]
    xs, ys = zip(*marked, strict=True)
    canvas.line(xs, ys, color=TARGET, ls="", marker="D", markersize=4.2,
                markerfacecolor="white", markeredgewidth=1.2, gid="radar-target")  # fmt: skip


def _radar_label(
    canvas: _Canvas, layout: RadarLayout, angle: float, title: str, shown: str, language: str
) -> None:
    x, y = _point(angle, layout.label_radius)
    horizontal = "center" if abs(x) < 0.5 else ("left" if x > 0 else "right")
    vertical = "center" if abs(y) < 2.5 else ("bottom" if y > 0 else "top")
    text = _wrap(title, layout.wrap, language if layout.hyphenate else None)
    canvas.text(x, y, f"{text}\n{shown}", _font("semibold", layout.label_size), ha=horizontal,
                va=vertical, multialignment=horizontal, linespacing=1.2)  # fmt: skip


def _legend(
    canvas: _Canvas,
    layout: RadarLayout,
    t: ReportText,
    *,
    ranged: bool,
    previous: bool,
    target: bool = False,
) -> None:
    entries = [(PRIMARY, "-", 1.8, t.gettext("This period"))]
    if ranged:
        entries.append((RANGE, "-", 4, t.gettext("Range of the respondents")))
    if previous:
        entries.append((PREVIOUS, (0, (4, 2)), 1.4, t.gettext("Previous period")))
    if target:
        entries.append((TARGET, TARGET_STYLE, 1.5, t.gettext("Target")))
    x0, x1 = layout.x_range
    bottom = layout.y_range[0]
    step = (layout.legend_size / 72) / layout.height * (layout.y_range[1] - bottom) * 1.6
    for row, (color, style, width, label) in enumerate(reversed(entries)):
        y = bottom + step * (row + 0.8)
        left = x0 + (x1 - x0) * 0.05
        canvas.line([left, left + 0.9], [y, y], color=color, ls=style, lw=width)
        if color == TARGET:  # the diamond is the target's mark, as on the chart
            canvas.line([left + 0.45], [y], color=TARGET, marker="D", markersize=4.2,
                        markerfacecolor="white", markeredgewidth=1.2)  # fmt: skip
        canvas.text(left + 1.15, y, label, _font(size=layout.legend_size), va="center")


def bars_svg(questionnaire: Questionnaire, result: AssessmentResult, language: str) -> str:
    """Horizontal bars of the dimension scores across the five level bands."""
    t = ReportText(language)
    titles = [clean(d.title.get(language)) for d in questionnaire.dimensions]
    scores = _exact_scores(questionnaire, result)
    rows = len(titles)
    # x in score units, with the titles left of 1.0; y in rows, downwards.
    with _lock, rc_context(CHART_SETTINGS):
        canvas = _Canvas(6.3, 0.75 + 0.27 * rows, (-1.45, 5.25), (rows - 0.3, -1.55))
        for number, low, high in _bands(questionnaire):
            colour = LEVEL_COLOURS[number - 1]
            canvas.patch(Rectangle((low, -0.55), high - low, rows + 0.1, color=colour, lw=0))
            name = clean(questionnaire.level(number).name.get(language))
            canvas.text((low + high) / 2, -0.7, f"{number}\n{name}", _font(size=7), color=MUTED,
                        ha="center", va="bottom")  # fmt: skip
        for row, (title, score) in enumerate(zip(titles, scores, strict=True)):
            canvas.text(0.9, row, _wrap(title, 30), _font(size=8), ha="right",
                        va="center")  # fmt: skip
            if score is None:
                canvas.text(
                    1.08, row, t.gettext("not scored"), _font(size=8), color=MUTED, va="center"
                )
                continue
            canvas.patch(Rectangle((1, row - 0.24), float(score) - 1, 0.48, color=PRIMARY, lw=0))
            canvas.text(float(score) + 0.06, row, t.score(score), _font("semibold", 8),
                        va="center")  # fmt: skip
        return canvas.svg()


def warm_up() -> None:
    """Load matplotlib's modules and the report fonts once, before the first real chart."""
    with _lock, rc_context(CHART_SETTINGS):
        canvas = _Canvas(1, 1, (0, 1), (0, 1))
        canvas.patch(Polygon([(0, 0), (1, 0), (0, 1)]))
        canvas.line([0, 1], [0, 1], marker="o")
        for weight in ("regular", "semibold"):
            canvas.text(0.5, 0.5, "Ää 1,5", _font(weight))
        canvas.svg()
