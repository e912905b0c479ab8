"""A respondent in Chromium: Enter, leaving a page, cards, phone results, review, clearing."""

import re
import time

import pytest

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.services.catalogue import catalogue_for

pytestmark = pytest.mark.browser
QUESTIONNAIRE = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity")
DIMENSIONS = QUESTIONNAIRE.dimensions
QUESTIONS = len(QUESTIONNAIRE.questions)
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching `selector` has the keyboard focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def start(page, base_url: str, organization: str, language: str = "en") -> str:
    """Start an assessment in `language`; return the base address of the respondent's pages."""
    page.goto(base_url + "/")
    page.fill("#organization", organization)
    page.check(f'input[name="language"][value="{language}"]')
    page.click('button[type="submit"]')
    page.wait_for_url(re.compile(r"/d/1$"))
    return page.url.rsplit("/d/", 1)[0]


def answer_everything(page, base: str, option_index: int = 2) -> None:
    for number, dimension in enumerate(DIMENSIONS, start=1):
        page.goto(f"{base}/d/{number}")
        for question in dimension.questions:
            page.check(f"#answer-{question.id}-{option_index}")
        with page.expect_navigation():
            page.click('.actions button[value="stay"]')


def is_saved(page, base: str, number: int, input_id: str, tries: int = 30) -> bool:
    """Whether the page, opened afresh, shows the option chosen (a save may still be on its way)."""
    for _ in range(tries):
        page.goto(f"{base}/d/{number}")
        if page.locator(f"#{input_id}").is_checked():
            return True
        time.sleep(0.1)
    return False


# --- A1 -------------------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_enter_on_a_chosen_answer_saves_and_goes_forward(new_page, live_server, javascript):
    page = new_page(java_script_enabled=javascript)
    base = start(page, live_server, "Enter AG")
    page.goto(base + "/d/2")
    question = DIMENSIONS[1].questions[0]
    tab_to(page, f'input[name="answer-{question.id}"]')
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # level 3
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/d/3")
    page.goto(base + "/d/2")
    assert page.locator(f"#answer-{question.id}-2").is_checked()


# --- A2 -------------------------------------------------------------------------------


def test_an_answer_chosen_just_before_leaving_the_page_is_kept(new_page, live_server):
    page = new_page()
    base = start(page, live_server, "Eilig GmbH")
    question = DIMENSIONS[0].questions[2]
    page.check(f"#answer-{question.id}-3")
    page.goto(base + "/review")  # at once: the autosave's own delay has not passed
    assert is_saved(page, base, 1, f"answer-{question.id}-3")


def test_switching_language_right_after_choosing_keeps_the_answer(new_page, live_server):
    page = new_page()
    start(page, live_server, "Sprachwechsel AG")
    question = DIMENSIONS[0].questions[1]
    page.check(f"#answer-{question.id}-4")
    with page.expect_navigation():
        page.click('.language-switch button[value="language-de"]')
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator(f"#answer-{question.id}-4").is_checked()


@pytest.mark.parametrize(
    "leave_by", ["button.brand", ".language-switch button", ".dimension-nav button"]
)
def test_without_javascript_every_way_off_the_page_saves_first(new_page, live_server, leave_by):
    page = new_page(java_script_enabled=False)
    base = start(page, live_server, "Ohne Skript KG")
    page.goto(base + "/d/2")
    question = DIMENSIONS[1].questions[3]
    page.check(f"#answer-{question.id}-1")
    with page.expect_navigation():
        page.locator(leave_by).first.click()
    assert is_saved(page, base, 2, f"answer-{question.id}-1", tries=1)


# --- A3 -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 375])
def test_question_titles_sit_inside_their_cards(new_page, live_server, width):
    page = new_page(viewport={"width": width, "height": 900})
    base = start(page, live_server, "Karten AG", language="de")
    for number in range(1, len(DIMENSIONS) + 1):
        page.goto(f"{base}/d/{number}")
        outside = page.evaluate(
            """() => [...document.querySelectorAll('fieldset.question')].filter(card => {
                const box = card.getBoundingClientRect();
                const border = parseFloat(getComputedStyle(card).borderTopWidth);
                const title = card.querySelector('legend').getBoundingClientRect();
                return title.top < box.top + border || title.bottom > box.bottom
                    || title.left < box.left || title.right > box.right;
            }).map(card => card.id)"""
        )
        assert outside == [], f"page {number} at {width}px: {outside}"


# --- A4 -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "en"])
def test_results_fit_a_phone_with_whole_words(new_page, live_server, language):
    page = new_page(**PHONE)
    base = start(page, live_server, "Kundenorientierungsgesellschaft mbH", language=language)
    answer_everything(page, base)
    page.goto(base + "/review")
    with page.expect_navigation():
        page.click('form[action$="/submit"] button[type="submit"]')
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table = page.evaluate(
        """() => {
            const scroller = document.querySelector('.table-scroll');
            const edge = scroller.getBoundingClientRect().right;
            const cells = [...document.querySelectorAll('.dimension-table tr > :last-child')];
            return {
                scrolls: scroller.scrollWidth > scroller.clientWidth,
                clipped: cells.filter(c => c.getBoundingClientRect().right > edge + 0.5).length,
            };
        }"""
    )
    assert table == {"scrolls": False, "clipped": 0}
    assert page.locator("html").get_attribute("lang") == language
    header = page.locator('.dimension-table th[scope="row"]').first
    assert header.evaluate("cell => getComputedStyle(cell).hyphens") == "auto"
    broken = page.evaluate(
        """() => {
            // A word laid out over two lines without a hyphen is broken mid-word.
            const broken = [];
            const cells = document.querySelectorAll('.dimension-table th, .dimension-table td');
            for (const cell of cells) {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const match of node.data.matchAll(/\\S+/g)) {
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        const tops = [...range.getClientRects()].map(r => Math.round(r.top));
                        const lines = new Set(tops);
                        if (lines.size > 1) { broken.push(match[0]); }
                    }
                }
            }
            return broken;
        }"""
    )
    assert broken == []


# --- A5, A6 ---------------------------------------------------------------------------


def test_review_shows_every_answer_says_submitting_is_final_and_answers_stay_readable(
    new_page, live_server
):
    page = new_page(**PHONE)
    base = start(page, live_server, "Rückblick GmbH", language="de")
    first = DIMENSIONS[0].questions[0]
    page.check(f"#answer-{first.id}-1")
    page.fill(f"#comment-{first.id}", "Budget kommt 2027")
    with page.expect_navigation():
        page.click('.actions button[value="stay"]')
    page.goto(base + "/review")
    assert "Absenden ist endgültig" in page.locator(".final-warning").inner_text()
    assert page.locator(".answer-summary li").count() == len(QUESTIONNAIRE.questions)
    line = page.locator(".answer-summary li").first
    assert "Stufe 2" in line.inner_text() and "mit Kommentar" in line.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The change link of a question of page 4 opens it there, not hidden under the progress bar.
    target = DIMENSIONS[3].questions[3]
    page.locator(f'a.answer-change[href$="#q-{target.id}"]').click()
    page.wait_for_url(re.compile(rf"/d/4#q-{target.id}$"))
    legend = page.locator(f"#q-{target.id} legend").bounding_box()
    bar = page.locator(".progress").bounding_box()
    assert legend["y"] >= bar["y"] + bar["height"] - 1

    page.goto(base + "/review")
    with page.expect_navigation():
        page.click('form[action$="/submit"] button[type="submit"]')
    with page.expect_navigation():
        page.click('main a[href$="/answers"]')
    text = page.locator("main").inner_text()
    assert "Budget kommt 2027" in text and first.text.get("de") in text
    assert page.locator("main form").count() == 0


# --- A7 -------------------------------------------------------------------------------


def test_a_chosen_answer_is_cleared_with_the_keyboard_and_javascript(new_page, live_server):
    page = new_page()
    start(page, live_server, "Zurück AG")
    question = DIMENSIONS[0].questions[0]
    clear = page.locator(f"#q-{question.id} .clear-answer")
    assert not clear.is_visible()  # nothing to clear yet
    tab_to(page, f'input[name="answer-{question.id}"]')
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('[data-answered]').textContent.startsWith('1 ')"
    )
    tab_to(page, f"#q-{question.id} .clear-answer")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-answered]').textContent.startsWith('0 ')"
    )
    assert page.url.endswith("/d/1")  # cleared in place, no page load
    page.reload()
    assert page.locator(f'input[name="answer-{question.id}"]:checked').count() == 0


def test_a_chosen_answer_is_cleared_without_javascript(new_page, live_server):
    page = new_page(java_script_enabled=False, **PHONE)
    start(page, live_server, "Zurück ohne Skript AG")
    question = DIMENSIONS[0].questions[1]
    page.check(f"#answer-{question.id}-2")
    with page.expect_navigation():
        page.click(f"#q-{question.id} .clear-answer")
    assert page.locator(f'input[name="answer-{question.id}"]:checked').count() == 0
    assert f"0 of {QUESTIONS}" in page.locator(".progress-label").inner_text()


def test_the_resume_link_opens_the_last_page_visited_listing_what_is_open(new_page, live_server):
    page = new_page(**PHONE)
    base = start(page, live_server, "Weiter GmbH")
    page.check(f"#answer-{DIMENSIONS[0].questions[0].id}-0")
    with page.expect_navigation():
        page.click('.actions button[value="next"]')
    page.goto(base + "/d/5")
    link = page.locator("#resume-url").input_value()

    phone = new_page(**PHONE)
    phone.goto(link)
    phone.wait_for_url(re.compile(r"/d/5\?resumed=1$"))
    still_open = phone.locator(".still-open")
    assert f"{QUESTIONS - 1} questions are still open" in still_open.inner_text()
    # The list leads to an open question of another page (saving this one on the way).
    open_question = DIMENSIONS[1].questions[0]
    with phone.expect_navigation():
        still_open.locator(f'button[value="goto-2@{open_question.id}"]').click()
    assert phone.url.endswith(f"/d/2#q-{open_question.id}")


# --- A8 -------------------------------------------------------------------------------


def test_progress_stays_in_view_while_scrolling_on_a_phone(new_page, live_server):
    page = new_page(**PHONE)
    start(page, live_server, "Fortschritt AG", language="de")
    fourth = DIMENSIONS[0].questions[3]
    page.check(f"#answer-{fourth.id}-2")
    page.locator(f"#q-{fourth.id} .comment textarea").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 1000
    visible = page.evaluate(
        """() => {
            const bar = document.querySelector('.progress');
            const box = bar.getBoundingClientRect();
            const middle = [box.left + box.width / 2, box.top + box.height / 2];
            const top = document.elementFromPoint(...middle);
            return box.top >= 0 && box.bottom <= window.innerHeight && bar.contains(top);
        }"""
    )
    assert visible
