"""WeasyPrint, set up once per process: the fonts, the print stylesheet and the safe fetcher.

Runs inside the render process (see worker.py). Parsing the stylesheet and registering
its @font-face fonts happen once; every document reuses the one FontConfiguration.
"""

from __future__ import annotations

from functools import cache

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from cxmaturity.config import STATIC_DIR
from cxmaturity.reports.fetcher import StaticFilesOnly

REPORT_STATIC = STATIC_DIR / "report"
STYLESHEET = REPORT_STATIC / "report.css"
BASE_URL = REPORT_STATIC.as_uri() + "/"

WARM_UP_HTML = """<!doctype html><html lang="de"><body>
<h1>Reifegrad Ää Öö Üü ß</h1><h2>1 2 3</h2><p><strong>Bericht</strong> <em>Text</em> 3,4</p>
<table><tr><th>A</th><td>1,0</td></tr></table></body></html>"""


@cache
def _setup() -> tuple[FontConfiguration, CSS, StaticFilesOnly]:
    fetcher = StaticFilesOnly()
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=STYLESHEET.read_text(encoding="utf-8"),
        base_url=BASE_URL,
        url_fetcher=fetcher,
        font_config=fonts,
    )
    return fonts, stylesheet, fetcher


def html_to_pdf(html: str) -> bytes:
    """The PDF of one report document; resources come only through StaticFilesOnly."""
    fonts, stylesheet, fetcher = _setup()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def warm_up() -> None:
    """Load the fonts and lay out one small page, so the first report is not the slow one."""
    html_to_pdf(WARM_UP_HTML)
