"""Errors in Chromium: the summary is where the eye and the focus land, and leads to the field."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_refused_start_opens_at_an_error_summary_that_leads_to_the_field(
    new_page, live_server, javascript
):
    page = new_page(java_script_enabled=javascript, viewport={"width": 1280, "height": 800})
    page.goto(live_server + "/")
    page.fill("#organization", "   ")
    with page.expect_navigation():
        page.click('form button[type="submit"]')
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Please enter the company name.")
    page.click('.error-summary a[href="#organization"]')
    expect(page.locator("#organization")).to_be_in_viewport()
    expect(page.locator("#organization")).to_have_attribute("aria-invalid", "true")
