"""The portfolio page's charts partial: each chart an image with its text alternative, and
for screen readers the same figures in a table, client names escaped and in <bdi>."""

from html.parser import HTMLParser

import pytest
from flask import render_template
from portfolio_fixtures import ARABIC_NAME, TRICKY_NAME, portfolio, thirty_rows

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.portfolio_charts import portfolio_charts


@pytest.fixture
def database_url(tmp_path):
    """The partial reads no database: SQLite alone is enough."""
    return f"sqlite:///{tmp_path / 'cxmaturity.sqlite3'}"


class Tables(HTMLParser):
    """Every <table>: its caption, its column headers and its rows of cell texts; the
    images' alt texts; and which row headers sit in <bdi>."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.images: list[dict] = []
        self.isolated: list[str] = []
        self._cell: list[str] | None = None
        self._in_bdi = False
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "columns": [], "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "bdi":
            self._in_bdi = True
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1]["rows"][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "bdi":
            self._in_bdi = False
        elif tag == "thead":
            self.tables[-1]["columns"] = self.tables[-1]["rows"].pop()

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        if self._cell is not None:
            self._cell.append(data)
        if self._in_bdi:
            self.isolated.append(data)


def rendered(app, language, chosen):
    questionnaire = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity", "1.0")
    with app.test_request_context(headers={"Accept-Language": language}):
        return render_template(
            "portfolio/charts.html", charts=portfolio_charts(chosen, language, questionnaire)
        )


def test_screen_readers_get_every_chart_as_a_table_with_names_escaped_and_isolated(app):
    html = rendered(app, "en", portfolio())
    page = Tables()
    page.feed(html)
    captions = [table["caption"] for table in page.tables]
    assert captions == [
        "Scores per client and dimension in 2026-Q4",
        "Assessed clients per level and dimension",
        "Cohort band per dimension",
        "Top and bottom movers",
        "Overall score and Net Promoter Score (NPS) per client",
    ]
    heat = page.tables[0]
    assert heat["columns"][:2] == ["Client", "Strategy & leadership"]
    assert [r[0] for r in heat["rows"]][:2] == [TRICKY_NAME, ARABIC_NAME]
    assert heat["rows"][0][1].startswith("1.0, level 1")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert TRICKY_NAME in page.isolated and ARABIC_NAME in page.isolated
    band = page.tables[2]
    assert band["rows"][0] == ["Overall", "28", "2.2", "2.9", "3.6"]
    assert band["rows"][-1] == ["Culture & organization", "fewer than 5 comparable clients",
                                "–", "–", "–"]  # fmt: skip
    assert len(page.images) == 5
    assert all(image["src"].startswith("data:image/svg+xml;base64,") for image in page.images)
    assert all(image["alt"] and image["width"] == "403" for image in page.images)


def test_the_partial_is_german_and_says_why_a_chart_is_missing(app):
    html = rendered(app, "de", portfolio(thirty_rows()[:4]))
    page = Tables()
    page.feed(html)
    assert "Diagramme" in html and "Heatmap: Kunden und Dimensionen" in html
    assert "Kein Diagramm: Der Reifegrad gegenüber Net Promoter Score (NPS)" in html
    assert page.tables[0]["caption"] == "Werte je Kunde und Dimension in 2026-Q4"
    assert len(page.images) == 4  # no KPI chart below five clients
