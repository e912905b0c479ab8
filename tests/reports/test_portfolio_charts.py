"""The portfolio's charts: every client in the rows' order with its scores rounded down, a
suppressed cohort band as a sentence and never a number, no KPI chart below five clients,
German and English labels, names escaped and isolated, readable type on a phone, no pyplot;
and the partial's tables for screen readers."""

import base64
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from fractions import Fraction

import pytest
from portfolio_fixtures import (
    ARABIC_NAME,
    DIMENSIONS,
    TRICKY_NAME,
    portfolio,
    row,
    statistics,
    thirty_rows,
)

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.domain.statuses import KpiName
from cxmaturity.reports.portfolio_bands import band_svg, kpi_svg, movers_svg
from cxmaturity.reports.portfolio_charts import Scale, level_counts_svg
from cxmaturity.reports.portfolio_heat_map import HEAT_MAP_ROWS, heat_map_svg
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.portfolio_charts import portfolio_charts

SVG = "{http://www.w3.org/2000/svg}"
PHONE_CHART_PX = 320
"""The narrowest a chart is shown: a 375 px phone less the page's and the figure's padding."""
ISOLATES = "\N{FIRST STRONG ISOLATE}", "\N{POP DIRECTIONAL ISOLATE}"


@pytest.fixture(scope="module")
def questionnaire():
    return catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity", "1.0")


def scale(questionnaire, language="en"):
    return Scale.of(questionnaire, DIMENSIONS, language)


def texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def font_sizes(svg: str) -> list[float]:
    root = ElementTree.fromstring(svg)
    return [float(node.get("font-size").removesuffix("px")) for node in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def drawn(questionnaire):
    """Every chart of the 30 clients in both languages, drawn once for the module."""
    return {language: every_chart(questionnaire, language) for language in ("de", "en")}


def every_chart(questionnaire, language="en", chosen=None):
    chosen = chosen or portfolio()
    measured = scale(questionnaire, language)
    return [
        heat_map_svg(chosen, measured, language),
        level_counts_svg(chosen, measured, language),
        band_svg(chosen, measured, language),
        movers_svg(chosen, language),
        kpi_svg(chosen, measured, language),
    ]


def test_the_heat_map_lists_every_client_in_the_rows_order_with_scores_rounded_down(
    questionnaire,
):
    rows = thirty_rows()
    reordered = (rows[5], rows[0], *rows[6:], *rows[1:5])
    shown = texts(heat_map_svg(portfolio(reordered), scale(questionnaire), "en").svg)
    names = [text for text in shown if text.startswith(ISOLATES[0])]
    assert len(names) == 30
    assert names[0] == ISOLATES[0] + "Client 06" + ISOLATES[1]
    assert names[1].startswith(ISOLATES[0] + "<script>")
    # 2.59 is shown as 2.5 (rounded down, DESIGN §4.8), never 2.6.
    low = row(99, "Rounding", [Fraction(259, 100)] * 8)
    cells = texts(heat_map_svg(portfolio((low,)), scale(questionnaire), "de").svg)
    assert cells.count("2,5") == 8 and "2,6" not in cells
    assert "not assessed in 2026-Q4" in shown and "assessment under way" in shown


def test_a_long_portfolio_shows_its_first_rows_and_says_so(questionnaire):
    many = tuple(row(n, f"Client {n:03d}", [Fraction(3)] * 8) for n in range(HEAT_MAP_ROWS + 5))
    chosen = portfolio(many)
    shown = texts(heat_map_svg(chosen, scale(questionnaire), "en").svg)
    names = [text for text in shown if text.startswith(ISOLATES[0])]
    assert len(names) == HEAT_MAP_ROWS
    assert (
        f"The first {HEAT_MAP_ROWS} of {HEAT_MAP_ROWS + 5} clients, in the table's order." in shown
    )
    heat = portfolio_charts(chosen, "en", questionnaire).chart("heat_map")
    assert len(heat.table.rows) == HEAT_MAP_ROWS and "The first" in heat.description


def test_the_heat_map_marks_disagreement_targets_and_comparable_changes_in_its_legend(
    questionnaire,
):
    shown = texts(heat_map_svg(portfolio(), scale(questionnaire), "en").svg)
    for key in (
        "disagreement among the respondents",
        "below the target level",
        "change since last period (open: bridged)",
    ):
        assert key in shown


def test_clients_per_level_count_the_assessed_clients_of_each_dimension(questionnaire):
    chosen = portfolio()
    svg = level_counts_svg(chosen, scale(questionnaire), "en").svg
    counts = chosen.level_counts("strategy")
    assert sum(counts.values()) == 28
    shown = texts(svg)
    assert all(str(count) in shown for count in counts.values() if count)
    assert "Optimized" in shown and "Initial" in shown


def test_a_suppressed_cohort_band_is_a_sentence_and_never_a_number(questionnaire):
    chosen = portfolio(cohort=statistics(suppressed=True))
    shown = texts(band_svg(chosen, scale(questionnaire), "en").svg)
    # A sentence too long for one line is drawn as one text per line.
    assert " ".join(shown).count("fewer than 5 comparable clients") == 9
    assert not [text for text in shown if re.fullmatch(r"\d[.,]\d|n = \d+", text)]
    assert "median" not in shown  # no key for a box that is not drawn
    german = " ".join(texts(band_svg(chosen, scale(questionnaire, "de"), "de").svg))
    assert german.count("weniger als 5 vergleichbare Kunden") == 9
    # A band published overall and suppressed in one dimension shows both.
    mixed = texts(band_svg(portfolio(), scale(questionnaire), "en").svg)
    assert "2.9" in mixed and "n = 28" in mixed
    assert " ".join(mixed).count("fewer than 5 comparable clients") == 1


def test_movers_show_the_largest_comparable_changes_and_mark_bridged_ones():
    chosen = portfolio()
    rising, falling = chosen.movers()
    shown = texts(movers_svg(chosen, "en").svg)
    for mover in (*rising, *falling):
        assert ISOLATES[0] + mover.client_name + ISOLATES[1] in shown
    assert "+0.6 *" in shown  # Client 14's change is bridged
    assert "* bridged: some questions changed since the last period" in " ".join(shown)
    assert movers_svg(portfolio(tuple(row(n, f"C{n}", [Fraction(3)] * 8) for n in range(6))),
                      "en") is None  # fmt: skip


def test_the_kpi_chart_needs_five_clients_and_writes_the_kpi_in_its_unit(questionnaire):
    rows = thirty_rows()
    svg = kpi_svg(portfolio(), scale(questionnaire, "de"), "de").svg
    assert "Net Promoter Score (NPS)" in texts(svg) and "Gesamtwert" in texts(svg)
    four = tuple(rows[:4])
    assert kpi_svg(portfolio(four), scale(questionnaire), "en") is None
    charts = portfolio_charts(portfolio(four), "en", questionnaire)
    missing = charts.chart("kpi")
    assert missing.src is None and missing.table is None
    assert "from 5 clients" in missing.description
    # CSAT is in percent: a share of 87.5 shows as "87.5%" (English) and "87,5 %" (German).
    with_csat = tuple(
        row(n, f"C{n}", [Fraction(2 + n % 3)] * 8, kpis={"csat": Fraction(175, 2) + n})
        for n in range(6)
    )
    csat = portfolio(with_csat, kpi=KpiName.CSAT)
    assert "87.5%" in [cell for r in portfolio_charts(csat, "en").chart("kpi").table.rows
                       for cell in r]  # fmt: skip
    assert any(text.endswith("\N{NO-BREAK SPACE}%") for text in texts(kpi_svg(csat, scale(
        questionnaire, "de"), "de").svg))  # fmt: skip


def test_labels_are_german_and_english(drawn):
    german = " ".join(t for c in drawn["de"] for t in texts(c.svg))
    english = " ".join(t for c in drawn["en"] for t in texts(c.svg))
    assert "Gesamt" in german and "Stufe" in german and "Median" in german
    assert "Kundenverständnis" in german or "Kundenverständ-" in german
    assert "Overall" in english and "Level" in english and "median" in english
    assert "Rose most" in english and "Am stärksten gestiegen" in german


def test_client_names_are_escaped_and_isolated_and_nothing_is_executable(questionnaire, drawn):
    for chart in drawn["en"]:
        assert "<script" not in chart.svg
    heat = drawn["en"][0].svg
    assert "&lt;script&gt;" in heat
    shown = texts(heat)
    assert ISOLATES[0] + ARABIC_NAME + ISOLATES[1] in shown
    charts = portfolio_charts(portfolio(), "en", questionnaire)
    mover_names = charts.chart("movers").description
    assert mover_names.count(ISOLATES[0]) == mover_names.count(ISOLATES[1]) >= 2


def test_every_text_is_at_least_11_px_on_a_phone(drawn):
    for chart in [*drawn["de"], *drawn["en"]]:
        shown_scale = PHONE_CHART_PX / chart.width_px
        # Sizes are in points of the drawing: 4/3 px each at the chart's own size.
        assert min(font_sizes(chart.svg)) * 96 / 72 * shown_scale >= 11


def test_aliases_stand_in_for_names_where_the_portfolio_shows_peers_without_them(questionnaire):
    chosen = portfolio(aliases={n: f"Peer {n}" for n in range(1, 31)})
    everything = " ".join(
        [*(t for c in every_chart(questionnaire, chosen=chosen) for t in texts(c.svg))]
    )
    assert "Client 06" not in everything and "Peer 6" in everything
    assert TRICKY_NAME not in everything


def test_equal_inputs_give_equal_charts(questionnaire, drawn):
    assert heat_map_svg(portfolio(), scale(questionnaire, "de"), "de") == drawn["de"][0]


def test_the_charts_never_load_pyplot():
    probe = (
        "import sys; sys.path.insert(0, 'tests'); "
        "from portfolio_fixtures import portfolio; "
        "from cxmaturity.services.portfolio_charts import portfolio_charts; "
        "portfolio_charts(portfolio(), 'de'); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_service_gives_data_uris_descriptions_and_tables(questionnaire):
    charts = portfolio_charts(portfolio(), "en", questionnaire)
    assert [chart.key for chart in charts.charts] == ["heat_map", "levels", "band", "movers", "kpi"]
    for chart in charts.charts:
        assert chart.src.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(chart.src.split(",", 1)[1]).decode()
        drawn_points = float(re.match(r'<svg width="([\d.]+)pt"', svg).group(1))
        assert round(drawn_points * 96 / 72) == chart.width
        assert chart.description and chart.table.rows
    heat = charts.chart("heat_map").table
    assert len(heat.rows) == 30 and heat.columns[1] == "Strategy & leadership"
    assert "not assessed in 2026-Q4 (last closed: 2026-Q3)" in heat.rows[28]
    assert portfolio_charts(portfolio(rows=()), "de").empty == "Kein Kunde passt zum Filter."
