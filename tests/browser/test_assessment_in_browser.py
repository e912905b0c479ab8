"""A person takes the assessment in a real browser: keyboard only, phone width, no JavaScript."""

import re

import pytest

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.services.catalogue import catalogue_for

pytestmark = pytest.mark.browser
QUESTIONNAIRE = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity")


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching `selector` has the keyboard focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose_with_keyboard(page, question_id: str, level: int) -> None:
    tab_to(page, f'input[name="answer-{question_id}"]')
    page.keyboard.press("Space")  # selects the focused option: level 1 when none was chosen
    for _ in range(level - 1):
        page.keyboard.press("ArrowDown")


def start_with_keyboard(page, base_url: str, organization: str) -> None:
    page.goto(base_url + "/")
    tab_to(page, "#organization")
    page.keyboard.type(organization)
    tab_to(page, "#respondent")
    page.keyboard.type("Geschäftsführung")
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/r/[^/]+/d/1$"))


def test_whole_assessment_in_german_with_the_keyboard_only(new_page, live_server):
    page = new_page(locale="de-DE", extra_http_headers={"Accept-Language": "de"})
    start_with_keyboard(page, live_server, "Größe & Söhne AG")
    assert page.locator("html").get_attribute("lang") == "de"

    for number, dimension in enumerate(QUESTIONNAIRE.dimensions, start=1):
        assert dimension.title.get("de") in page.locator("h1").inner_text()
        for question in dimension.questions:
            choose_with_keyboard(page, question.id, level=3 if number % 2 else 4)
        button = "next" if number < len(QUESTIONNAIRE.dimensions) else "review"
        tab_to(page, f'.actions button[value="{button}"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/review$"))
    assert str(len(QUESTIONNAIRE.questions)) in page.locator(".lead").inner_text()
    tab_to(page, 'form[action$="/submit"] button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/results$"))

    text = page.locator("main").inner_text()
    assert "Größe & Söhne AG" in text
    for dimension in QUESTIONNAIRE.dimensions:
        assert dimension.title.get("de") in text
    # Odd dimensions answered 3, even ones 4: weighted by dimension, 31.5 / 9 = 3.5.
    overall = page.locator(".overall").inner_text()
    assert f"4 · {QUESTIONNAIRE.level(4).name.get('de')}" in overall
    assert "3,5" in overall  # German decimal comma
    radar = page.locator(".radar img")
    assert radar.evaluate("img => img.complete && img.naturalWidth > 0")


def test_resume_from_the_private_link_in_a_fresh_browser(new_page, live_server):
    page = new_page()
    start_with_keyboard(page, live_server, "Resume GmbH")
    first = QUESTIONNAIRE.dimensions[0].questions[0]
    page.check(f"#answer-{first.id}-4")  # level 5
    page.click('.actions button[value="next"]')
    page.wait_for_url(re.compile(r"/d/2$"))
    private_link = page.locator("#resume-url").input_value()

    other_device = new_page()
    other_device.goto(private_link)
    other_device.wait_for_url(re.compile(r"/d/2\?resumed=1$"))  # the last page visited
    assert "Resume GmbH" in other_device.locator(".context").inner_text()
    still_open = f"{len(QUESTIONNAIRE.questions) - 1} questions are still open"
    assert still_open in other_device.locator(".still-open").inner_text()
    other_device.goto(private_link.rstrip("/") + "/d/1")
    assert other_device.locator(f"#answer-{first.id}-4").is_checked()


def test_autosave_keeps_an_answer_without_pressing_a_button(new_page, live_server):
    page = new_page()
    start_with_keyboard(page, live_server, "Autosave KG")
    question = QUESTIONNAIRE.dimensions[0].questions[1]
    page.check(f"#answer-{question.id}-1")
    page.wait_for_function(
        "() => document.querySelector('[data-autosave-status]').textContent.length > 0"
    )
    assert f"1 of {len(QUESTIONNAIRE.questions)}" in page.locator(".progress-label").inner_text()
    page.reload()
    assert page.locator(f"#answer-{question.id}-1").is_checked()


def test_phone_width_has_no_sideways_scrolling(new_page, live_server):
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    start_with_keyboard(page, live_server, "Kleines Display GmbH")
    page.check(f"#answer-{QUESTIONNAIRE.dimensions[0].questions[0].id}-2")
    option = page.locator(".option").first.bounding_box()
    assert option["x"] >= 0 and option["x"] + option["width"] <= 375
    base = page.url.rsplit("/d/", 1)[0]
    page.goto(base + "/d/5")
    for question in QUESTIONNAIRE.dimensions[4].questions:
        page.check(f"#answer-{question.id}-0")
    with page.expect_navigation():
        page.click('.actions button[value="stay"]')
    assert_fits_375(page)
    page.goto(base + "/review")
    assert_fits_375(page)
    with page.expect_navigation():
        page.click('form[action$="/submit"] button[type="submit"]')
    assert "/results" in page.url
    assert_fits_375(page)


def assert_fits_375(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def test_everything_works_with_javascript_disabled(new_page, live_server):
    page = new_page(java_script_enabled=False)
    page.goto(live_server + "/")
    page.fill("#organization", "Ohne Skript GmbH")
    page.click('button[type="submit"]')
    page.wait_for_url(re.compile(r"/d/1$"))
    for number, dimension in enumerate(QUESTIONNAIRE.dimensions, start=1):
        for question in dimension.questions:
            page.check(f"#answer-{question.id}-1")  # level 2
        button = "next" if number < len(QUESTIONNAIRE.dimensions) else "review"
        with page.expect_navigation():
            page.click(f'.actions button[value="{button}"]')
    page.wait_for_url(re.compile(r"/review$"))
    page.click('form[action$="/submit"] button[type="submit"]')
    page.wait_for_url(re.compile(r"/results$"))
    assert QUESTIONNAIRE.level(2).name.get("en") in page.locator(".overall").inner_text()
