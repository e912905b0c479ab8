"""The portfolio in Chromium at 1280 and 375 px: filtered to one industry by its form, sorted by
a column heading, the table scrolling inside its own box with the client column in view, the page
itself never wider than the phone. Screenshots go to /work/portfolio-shots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from factories import PASSWORD
from portfolio_world import build

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory

pytestmark = pytest.mark.browser
SHOTS = Path("/work/portfolio-shots")


@pytest.fixture
def world(mailing_live_server):
    engine = make_engine(mailing_live_server.database_url)
    try:
        yield build(session_factory(engine), catalogue_for(DEFAULT_QUESTIONNAIRES_DIR), "pf-")
    finally:
        engine.dispose()


def test_a_consultant_filters_sorts_and_scrolls_the_portfolio(new_page, mailing_live_server, world):
    url = mailing_live_server.url
    page = new_page(extra_http_headers={"Accept-Language": "en"})
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + "/login")
    page.get_by_label("E-mail address", exact=True).fill(world.emails["consultant"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{url}/w/pf-nord/")
    page.get_by_role("link", name="Portfolio").first.click()
    assert page.url.endswith("/w/pf-nord/portfolio")
    page.get_by_label("Industry").select_option("retail")
    page.get_by_role("button", name="Show").click()
    assert "industry=retail" in page.url
    rows = page.locator(".portfolio-table tbody tr")
    assert rows.count() == 5
    page.get_by_role("link", name=re.compile(r"^Overall\W+sort by this column")).click()
    assert "sort=overall" in page.url
    page.get_by_role("link", name=re.compile(r"^Overall\W+sorted ascending")).click()
    assert "desc=1" in page.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"portfolio-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator(".portfolio-scroll")
        scrolls = box.evaluate("e => e.scrollWidth > e.clientWidth")
        assert scrolls, f"the table fits at {width} px: nothing to check"
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        first = page.locator(".portfolio-table tbody th.sticky").first
        left = first.evaluate("e => e.getBoundingClientRect().left")
        box_left = box.evaluate("e => e.getBoundingClientRect().left")
        assert abs(left - box_left) < 3, "the client column scrolled away"
        box.evaluate("e => { e.scrollLeft = 0; }")
