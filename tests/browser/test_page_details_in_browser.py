"""Layout details in Chromium: the jump list's rows, the start form's labels, the private link."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def start(page, base_url: str, organization: str) -> str:
    page.goto(base_url + "/")
    page.fill("#organization", organization)
    page.check('input[name="language"][value="en"]')
    page.click('form button[type="submit"]')
    page.wait_for_url(re.compile(r"/d/1$"))
    return page.url.rsplit("/d/", 1)[0]


def test_the_jump_lists_current_page_takes_the_height_of_the_others(new_page, live_server):
    page = new_page(viewport={"width": 1280, "height": 900})
    base = start(page, live_server, "Zeilen AG")
    page.goto(base + "/d/2")
    heights = page.eval_on_selector_all(
        ".dimension-nav li", "items => items.map(item => item.getBoundingClientRect().height)"
    )
    assert max(heights) - min(heights) < 0.5, heights


def test_the_language_legend_lines_up_with_the_other_labels(new_page, live_server):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server + "/")
    text_start = """element => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return range.getBoundingClientRect().x;
    }"""
    label = page.locator('label[for="organization"]').evaluate(text_start)
    legend = page.locator("form fieldset.field legend").evaluate(text_start)
    assert abs(label - legend) < 0.5, (label, legend)


def test_the_private_link_shows_whole_on_a_phone_and_copies_with_one_button(new_page, live_server):
    page = new_page(**PHONE, permissions=["clipboard-read", "clipboard-write"])
    start(page, live_server, "Kopier GmbH")
    field = page.locator("#resume-url")
    fits = field.evaluate(
        "box => box.scrollWidth <= box.clientWidth && box.scrollHeight <= box.clientHeight + 1"
    )
    assert fits, "the link is cut off in its field"
    page.click(".resume-link button.copy-link")
    expect(page.locator(".resume-link .copy-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == field.input_value()


def test_without_javascript_the_private_link_stays_selectable(new_page, live_server):
    page = new_page(**PHONE, java_script_enabled=False)
    start(page, live_server, "Ohne Kopie KG")
    expect(page.locator(".resume-link button.copy-link")).to_have_count(0)
    assert page.locator("#resume-url").input_value().startswith(live_server + "/r/")
