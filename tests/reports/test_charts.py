"""The report's charts: titles shown as written, nothing executable, and no pyplot."""

import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import matplotlib
import pytest
from factories import make_questionnaire, questionnaire_data, questionnaire_from, respondent

from cxmaturity.domain.scoring import score_assessment
from cxmaturity.reports.charts import bars_svg, data_uri, radar_svg

TRICKY = "$x_1$ & <script>alert(1)</script> Ba$$in_x"
SVG = "{http://www.w3.org/2000/svg}"


def tricky_questionnaire():
    data = questionnaire_data()
    data["dimensions"][0]["title"] = {"de": TRICKY, "en": TRICKY}
    data["dimensions"][1]["title"] = {"de": "Kundenverständnis_neu", "en": "Customer_insight $5"}
    return questionnaire_from(data)


def results(chosen):
    current = score_assessment(
        chosen, [respondent("A", a1=2, a2=3, b1=4, b2=4), respondent("B", a1=3, a2=4, b1=2)]
    )
    previous = score_assessment(chosen, [respondent("A", a1=1, a2=2, b1=3, b2=3)])
    return current, previous


def texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


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
    # a: A (2+3)/2 = 2.5, B 3.5 -> 3.0; b: A 4, B 2 (half the weight) -> 3.0; c: none
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
