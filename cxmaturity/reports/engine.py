"""WeasyPrint, set up once per process: the fonts, the stylesheets and the safe fetcher.

Runs inside the render process (see server.py). Parsing the stylesheets and registering
their @font-face fonts happen once; every document reuses the one FontConfiguration.
"""

from __future__ import annotations

from functools import cache

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from cxmaturity.config import STATIC_DIR
from cxmaturity.reports.fetcher import StaticFilesOnly

REPORT_STATIC = STATIC_DIR / "report"
STYLESHEET = REPORT_STATIC / "report.css"
USER_AGENT_STYLESHEET = REPORT_STATIC / "ua.css"
BASE_URL = REPORT_STATIC.as_uri() + "/"

WARM_UP_HTML = """<!doctype html><html lang="de"><body>
<h1>Reifegrad Ää Öö Üü ß</h1><h2>1 2 3</h2><p><strong>Bericht</strong> <em>Text</em> 3,4</p>
<table><tr><th>A</th><td>1,0</td></tr></table></body></html>"""


class ReportHTML(HTML):
    """An HTML document styled with the report's own, smaller user-agent stylesheet.

    WeasyPrint's HTML stylesheet covers every element of HTML; matching each of the
    report's elements against all of it took a sixth of the render time.
    """

    def _ua_stylesheets(self, forms=False):
        return [_setup().user_agent]


class _Setup:
    def __init__(self) -> None:
        self.fetcher = StaticFilesOnly()
        self.fonts = FontConfiguration()
        self.user_agent = CSS(string=USER_AGENT_STYLESHEET.read_text(encoding="utf-8"))
        self.stylesheet = CSS(
            string=STYLESHEET.read_text(encoding="utf-8"),
            base_url=BASE_URL,
            url_fetcher=self.fetcher,
            font_config=self.fonts,
        )


@cache
def _setup() -> _Setup:
    return _Setup()


def html_to_pdf(html: str, *, tagged: bool = True) -> bytes:
    """The PDF of one report document; resources come only through StaticFilesOnly.

    Tagged (`pdf_tags`): headings, paragraphs, lists and tables are marked in the PDF's
    structure tree, so a screen reader reads the report in order. bench/report.py
    measures what the tags cost.
    """
    setup = _setup()
    document = ReportHTML(string=html, base_url=BASE_URL, url_fetcher=setup.fetcher)
    return document.write_pdf(
        stylesheets=[setup.stylesheet], font_config=setup.fonts, pdf_tags=tagged
    )


def warm_up() -> None:
    """Load the fonts and lay out one small page, so the first report is not the slow one."""
    html_to_pdf(WARM_UP_HTML)
