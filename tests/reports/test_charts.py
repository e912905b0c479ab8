"""The report's charts: the radar draws each score where it belongs, the respondents' range,
readable type at the size shown, titles as written, nothing executable, and no pyplot."""

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import matplotlib
import pytest
from factories import make_questionnaire, questionnaire_data, questionnaire_from

from cxmaturity.config import STATIC_DIR
from cxmaturity.domain.outcome import Participant
from cxmaturity.domain.scoring import score_assessment
from cxmaturity.reports.charts import LEVEL_COLOURS, PRINT, WEB, bars_svg, data_uri, radar_svg

TRICKY = "$x_1$ & <script>alert(1)</script> Ba$$in_x"
SVG = "{http://www.w3.org/2000/svg}"
PHONE_CHART_PX = 340


def person(name, **answers):
    return Participant(name=name, answers=answers)


def tricky_questionnaire():
    data = questionnaire_data()
    data["dimensions"][0]["title"] = {"de": TRICKY, "en": TRICKY}
    data["dimensions"][1]["title"] = {"de": "Kundenverständnis_neu", "en": "Customer_insight $5"}
    return questionnaire_from(data)


def results(chosen):
    # a: A 2.5, B 3.5 -> 3.0 (range 2.5–3.5); b: A 4, B 2 -> 3.0 (range 2–4); c: none.
    current = score_assessment(
        chosen, [person("A", a1=2, a2=3, b1=4, b2=4), person("B", a1=3, a2=4, b1=2)]
    )
    previous = score_assessment(chosen, [person("A", a1=1, a2=2, b1=3, b2=3)])
    return current, previous


def texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def group(svg: str, gid: str) -> ElementTree.Element:
    found = ElementTree.fromstring(svg).find(f".//{SVG}g[@id='{gid}']")
    assert found is not None, f"no {gid} in the chart"
    return found


def vertices(path: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def polar(svg: str, path: str) -> list[tuple[float, float]]:
    """(score, angle clockwise from twelve o'clock in degrees) of each vertex of a path,
    measured against the radar's outer ring, which stands for a score of 5."""
    outer = vertices(group(svg, "radar-level-5").find(f"{SVG}path").get("d"))
    centre_x = sum(x for x, _ in outer) / len(outer)
    centre_y = sum(y for _, y in outer) / len(outer)
    five = math.dist(outer[0], (centre_x, centre_y))
    points = []
    for x, y in vertices(path):
        angle = math.degrees(math.atan2(x - centre_x, centre_y - y)) % 360
        points.append((round(5 * math.dist((x, y), (centre_x, centre_y)) / five, 3), angle))
    return points


def eight_dimensions():
    data = questionnaire_data()
    data["dimensions"] = [
        {**data["dimensions"][1], "id": f"d{n}", "title": {"de": f"D{n}", "en": f"D{n}"},
         "questions": [{**q, "id": f"d{n}{q['id']}"} for q in data["dimensions"][1]["questions"]]}
        for n in range(8)
    ]  # fmt: skip
    return questionnaire_from(data)


def test_the_radar_puts_each_score_on_its_own_axis_at_its_distance():
    chosen = eight_dimensions()
    scores = [1, 2, 3, 4, 5, 2, 3, 4]
    answers = {f"d{n}b{i}": level for n, level in enumerate(scores) for i in (1, 2)}
    result = score_assessment(chosen, [person("A", **answers)])
    svg = radar_svg(chosen, result, "en")
    drawn = polar(svg, group(svg, "radar-current").find(f"{SVG}path").get("d"))
    # The outline closes on its first point.
    assert [score for score, _ in drawn] == pytest.approx([*scores, scores[0]], abs=0.01)
    # Clockwise from twelve o'clock, in questionnaire order.
    assert [angle for _, angle in drawn[:8]] == pytest.approx([45.0 * n for n in range(8)], abs=0.5)


def test_the_radar_draws_the_range_of_the_respondents_with_two_or_more():
    chosen = eight_dimensions()
    low = {f"d{n}b{i}": 2 for n in range(8) for i in (1, 2)}
    high = {**low, "d0b1": 5, "d0b2": 5, "d3b1": 4, "d3b2": 4}
    result = score_assessment(chosen, [person("A", **low), person("B", **high)])
    svg = radar_svg(chosen, result, "en")
    band = polar(svg, group(svg, "radar-range").find(f"{SVG}path").get("d"))
    outer, inner = band[:9], band[9:]
    expected_high = [5, 2, 2, 4, 2, 2, 2, 2]
    assert [s for s, _ in outer] == pytest.approx([*expected_high, 5], abs=0.01)
    assert [s for s, _ in inner] == pytest.approx([2] * 9, abs=0.01)
    assert "Range of the respondents" in texts(svg)
    alone = radar_svg(chosen, score_assessment(chosen, [person("A", **low)]), "en")
    assert "radar-range" not in alone and "Range of the respondents" not in texts(alone)


def test_the_previous_period_is_drawn_at_its_own_scores():
    chosen = make_questionnaire()
    current, previous = results(chosen)
    svg = radar_svg(chosen, current, "de", previous)
    drawn = polar(svg, group(svg, "radar-previous").find(f"{SVG}path").get("d"))
    # Previous: a (1 + 2) / 2 = 1.5, b 3.0, c none: a line of two points.
    assert [score for score, _ in drawn] == pytest.approx([1.5, 3.0], abs=0.01)
    assert "Vorperiode" in texts(svg)


def font_sizes(svg: str) -> list[tuple[str, float]]:
    """(text, size in points of the drawing): the SVG's user unit is one point."""
    root = ElementTree.fromstring(svg)
    return [
        ("".join(node.itertext()), float(node.get("font-size").removesuffix("px")))
        for node in root.iter(f"{SVG}text")
    ]


def printed_scale(svg: str) -> float:
    """Printed size ÷ drawn size: report.css's width of the radar against the SVG's."""
    css = (STATIC_DIR / "report" / "report.css").read_text()
    millimetres = float(re.search(r"img\.radar \{ width: ([\d.]+)mm", css).group(1))
    drawn_points = float(re.match(r'<svg width="([\d.]+)pt"', svg).group(1))
    return millimetres / 25.4 * 72 / drawn_points


def test_printed_ring_numbers_and_axis_labels_are_large_enough():
    chosen = make_questionnaire()
    current, previous = results(chosen)
    svg = radar_svg(chosen, current, "de", previous, PRINT)
    scale = printed_scale(svg)
    sizes = font_sizes(svg)
    ring_numbers = [size for text, size in sizes if text in {"1", "2", "3", "4", "5"}]
    labels = [size for text, size in sizes if "Dimension" in text]
    assert len(ring_numbers) == 5 and len(labels) == 3
    assert min(ring_numbers) * scale >= 7
    assert min(labels) * scale >= 8


def test_on_a_phone_the_web_radar_labels_are_at_least_11_px():
    chosen = make_questionnaire()
    current, _ = results(chosen)
    svg = radar_svg(chosen, current, "en", layout=WEB)
    drawn_px = float(re.match(r'<svg width="([\d.]+)pt"', svg).group(1)) * 96 / 72
    labels = [size for text, size in font_sizes(svg) if "Dimension" in text]
    # Sizes are in points of the drawing: 4/3 px each at its natural size.
    assert min(labels) * 96 / 72 * PHONE_CHART_PX / drawn_px >= 11


def test_the_rings_and_bars_have_the_level_colours_of_the_legend():
    css = (STATIC_DIR / "report" / "report.css").read_text()
    legend = [
        re.search(rf"\.level-{n} {{ background: (#[0-9a-f]{{6}})", css).group(1)
        for n in range(1, 6)
    ]
    assert tuple(legend) == LEVEL_COLOURS
    chosen = make_questionnaire()
    current, _ = results(chosen)
    svg = radar_svg(chosen, current, "en")
    rings = [group(svg, f"radar-level-{n}").find(f"{SVG}path").get("fill") for n in range(1, 6)]
    assert rings == legend
    bars = bars_svg(chosen, current, "en")
    assert all(colour in bars for colour in legend)


@pytest.mark.parametrize("draw", ["radar", "bars"])
def test_titles_appear_literally_and_nothing_is_executable(draw):
    chosen = tricky_questionnaire()
    current, previous = results(chosen)
    if draw == "radar":
        svg = radar_svg(chosen, current, "en", previous)
    else:
        svg = bars_svg(chosen, current, "en")
    shown = " ".join(texts(svg))
    assert "$x_1$" in shown and "<script>alert(1)</script>" in shown and "Ba$$in_x" in shown
    assert "Customer_insight $5" in shown
    assert "<script" not in svg.lower()
    assert "font-family=\"'Inter'" in svg and "<path" in svg


def test_radar_labels_scores_in_the_language_and_marks_unscored_dimensions():
    chosen = make_questionnaire()
    current, previous = results(chosen)
    german = " ".join(texts(radar_svg(chosen, current, "de", previous)))
    english = " ".join(texts(radar_svg(chosen, current, "en")))
    assert "3,0" in german and "nicht bewertet" in german and "Vorperiode" in german
    assert "3.0" in english and "not scored" in english and "Previous period" not in english


def test_bars_show_each_dimension_against_the_level_names():
    chosen = make_questionnaire()
    current, _ = results(chosen)
    shown = " ".join(texts(bars_svg(chosen, current, "en")))
    for number in range(1, 6):
        assert f"Level {number} (en)" in shown
    for dimension in chosen.dimensions:
        assert dimension.title.get("en") in shown
    assert "not scored" in shown


def test_equal_inputs_give_equal_charts_and_settings_do_not_leak():
    chosen = make_questionnaire()
    current, previous = results(chosen)
    before = dict(matplotlib.rcParams)
    first = radar_svg(chosen, current, "en", previous)
    assert radar_svg(chosen, current, "en", previous) == first
    assert dict(matplotlib.rcParams) == before
    assert data_uri(first).startswith("data:image/svg+xml;base64,")


def test_the_cover_mark_is_neutral_not_a_profile():
    # Every shape of the cover mark is a regular ring: no score-like outline on every cover.
    root = ElementTree.parse(STATIC_DIR / "report" / "cover.svg").getroot()
    polygons = list(root.iter(f"{SVG}polygon"))
    assert polygons
    for polygon in polygons:
        points = vertices(polygon.get("points"))
        radii = [math.hypot(x, y) for x, y in points]
        assert max(radii) - min(radii) < 0.05


def test_charts_never_load_pyplot():
    probe = (
        "import sys; sys.path.insert(0, 'tests'); "
        "from factories import make_questionnaire, respondent; "
        "from cxmaturity.domain.scoring import score_assessment; "
        "from cxmaturity.reports.charts import radar_svg, bars_svg; "
        "q = make_questionnaire(); r = score_assessment(q, [respondent(a1=2, b1=3, c1=4)]); "
        "radar_svg(q, r, 'en'); bars_svg(q, r, 'de'); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_long_words_of_a_narrow_radar_are_hyphenated_where_the_language_allows():
    # A 340 px chart has room for about ten characters of label beside the radar.
    data = questionnaire_data()
    data["dimensions"][0]["title"] = {"de": "Personalisierung & Datenschutz", "en": "Privacy"}
    chosen = questionnaire_from(data)
    current, _ = results(chosen)
    web = texts(radar_svg(chosen, current, "de", layout=WEB))
    assert [line for line in web if line in {"Personali-", "sierung &", "Daten-", "schutz"}] == [
        "Personali-",
        "sierung &",
        "Daten-",
        "schutz",
    ]
    printed = texts(radar_svg(chosen, current, "de", layout=PRINT))
    assert "Personalisierung &" in printed and "Datenschutz" in printed
