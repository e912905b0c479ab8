"""The trend chart of a client's history (reports/trend.py): lines, breaks, markers, titles as
written, and nothing that fails for no period, one period or a questionnaire gone."""

import re
import xml.etree.ElementTree as ElementTree
from fractions import Fraction

from factories import make_questionnaire, questionnaire_data, questionnaire_from

from cxmaturity.domain.history import ClientHistory, HistoryDimension, HistoryPeriod, HistoryTarget
from cxmaturity.domain.statuses import Comparability
from cxmaturity.reports.trend import description, trend_svg

TRICKY = "$x_1$ & <script>alert(1)</script>"


def dimension(dimension_id, score, comparability=None):
    return HistoryDimension(
        dimension_id=dimension_id,
        score=None if score is None else Fraction(score),
        level=None if score is None else 2,
        comparability=comparability,
        change=None,
        like_for_like_change=None,
        stable_panel_change=None,
        changed_questions=None,
        question_ids=None,
        level_then=None,
    )


def period(name, dimensions, comparability=None, matched=None, previous=None, submitted=4):
    return HistoryPeriod(
        period=name,
        assessment_id=1,
        questionnaire_id="test",
        questionnaire_version="1.0",
        status="closed",
        score=Fraction(2),
        level=2,
        capped=False,
        change=None,
        comparability=comparability,
        level_then=None,
        submitted_respondents=submitted,
        previous_respondents=previous,
        matched_respondents=matched,
        dimensions=tuple(dimensions),
    )


def history(*periods, targets=()):
    return ClientHistory(1, "Alpha AG", tuple(periods), tuple(targets), ())


def ids(svg):
    return set(re.findall(r'id="(trend-[^"]+)"', svg))


def test_a_broken_series_starts_a_new_line_with_a_marker():
    broken = Comparability.BROKEN
    chart = trend_svg(
        history(
            period("2026-Q1", [dimension("a", 2), dimension("b", 3)]),
            period("2026-Q2", [dimension("a", "5/2"), dimension("b", 3, broken)], broken, 1, 4),
            period("2026-Q3", [dimension("a", 3), dimension("b", None)], Comparability.SAME, 4, 4),
        ),
        make_questionnaire(),
        "en",
    )
    found = ids(chart)
    assert {"trend-a-0", "trend-b-0", "trend-b-1", "trend-b-break-1"} <= found
    assert "trend-a-1" not in found  # a is comparable throughout: one line
    assert {"trend-overall-0", "trend-overall-1", "trend-different-1"} <= found
    assert "trend-different-2" not in found


def test_titles_are_text_as_written_never_markup_or_tex():
    data = questionnaire_data()
    data["dimensions"][0]["title"] = {"de": TRICKY, "en": TRICKY}
    one = history(period("2026-Q1", [dimension("a", 2)]))
    chart = trend_svg(one, questionnaire_from(data), "en")
    assert "<script>" not in chart
    assert TRICKY in " ".join(ElementTree.fromstring(chart).itertext())


def test_targets_are_dashed_lines_where_the_questionnaire_is_known():
    target = HistoryTarget("a", 3, None)
    one = history(period("2026-Q1", [dimension("a", 2)]), targets=[target])
    assert "trend-target-a" in ids(trend_svg(one, make_questionnaire(), "en"))
    assert "trend-target-a" not in ids(trend_svg(one, None, "en"))
    assert "the target of Dimension a (en), level 3" in description(one, make_questionnaire(), "en")


def test_no_period_and_one_period_draw_without_failing():
    assert "<svg" in trend_svg(history(), None, "de")
    assert description(history(), None, "de") == "Noch kein abgeschlossenes Assessment."
    one = history(period("2026-Q1", [dimension("a", 2)]))
    assert "<svg" in trend_svg(one, None, "de")
    assert "2026-Q1, dem einzigen abgeschlossenen Zeitraum" in description(one, None, "de")


def test_the_legend_keys_only_the_marks_the_chart_draws():
    def legend(chart):
        return " ".join(ElementTree.fromstring(chart).itertext())

    plain = history(period("2026-Q1", [dimension("a", 2)]), period("2026-Q2", [dimension("a", 3)]))
    text = legend(trend_svg(plain, make_questionnaire(), "en"))
    assert "Overall" in text and "New series" not in text and "Different respondents" not in text
    assert "Target" not in text
    broken = Comparability.BROKEN
    marked = history(
        period("2026-Q1", [dimension("a", 2)]),
        period("2026-Q2", [dimension("a", 3, broken)], broken, 1, 4),
        targets=[HistoryTarget("a", 3, None)],
    )
    text = legend(trend_svg(marked, make_questionnaire(), "en"))
    assert "New series" in text and "Different respondents" in text and "Target" in text
