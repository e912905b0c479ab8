"""Autosave in Chromium: two tabs on one link, the jump list's counts, a tab left open."""

import re

import pytest
from playwright.sync_api import expect

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.services.catalogue import catalogue_for

pytestmark = pytest.mark.browser
DIMENSIONS = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity").dimensions


def start(page, base_url: str, organization: str) -> str:
    page.goto(base_url + "/")
    page.fill("#organization", organization)
    page.check('input[name="language"][value="en"]')
    page.click('button[type="submit"]')
    page.wait_for_url(re.compile(r"/d/1$"))
    return page.url.rsplit("/d/", 1)[0]


def saved(page, question_id: str, choice: str | None = None, comment: str | None = None):
    """Wait until the page's autosave has stored this choice or comment (the page knows it then)."""
    if choice is not None:
        expect(page.locator(f'input[name="shown-answer-{question_id}"]')).to_have_value(choice)
    if comment is not None:
        expect(page.locator(f'input[name="shown-comment-{question_id}"]')).to_have_value(comment)


def test_two_tabs_on_one_link_lose_no_comment_and_say_what_changed(new_page, live_server):
    tab_a = new_page()
    base = start(tab_a, live_server, "Zwei Fenster AG")
    tab_b = tab_a.context.new_page()
    tab_a.goto(base + "/d/2")
    tab_b.goto(base + "/d/2")
    first, second = (question.id for question in DIMENSIONS[1].questions[:2])

    tab_a.check(f"#answer-{first}-0")  # level 1
    tab_a.fill(f"#comment-{first}", "from tab A")
    saved(tab_a, first, choice="1", comment="from tab A")

    tab_b.check(f"#answer-{first}-4")  # level 5, in the tab that never saw the comment
    saved(tab_b, first, choice="5", comment="from tab A")
    expect(tab_b.locator("[data-autosave-status]")).to_contain_text("another window")
    expect(tab_b.locator(f"#comment-{first}")).to_have_value("from tab A")

    with tab_a.expect_navigation():
        tab_a.click('.actions button[value="stay"]')
    expect(tab_a.locator(".notice")).to_contain_text("changed in another window")
    expect(tab_a.locator(f"#answer-{first}-4")).to_be_checked()  # the stored state

    tab_b.check(f"#answer-{second}-1")
    saved(tab_b, second, choice="2")
    tab_a.reload()
    expect(tab_a.locator(f"#answer-{first}-4")).to_be_checked()
    expect(tab_a.locator(f"#comment-{first}")).to_have_value("from tab A")
    expect(tab_a.locator(f"#answer-{second}-1")).to_be_checked()


def test_the_jump_list_counts_follow_autosave(new_page, live_server):
    page = new_page()
    base = start(page, live_server, "Zähler GmbH")
    page.goto(base + "/d/3")
    count = page.locator('.dimension-nav li[data-page="3"] .open-count')
    questions = len(DIMENSIONS[2].questions)
    expect(count).to_have_text(f"({questions} open)")
    for question in DIMENSIONS[2].questions[:2]:
        page.check(f"#answer-{question.id}-2")
    expect(count).to_have_text(f"({questions - 2} open)")
    for question in DIMENSIONS[2].questions[2:]:
        page.check(f"#answer-{question.id}-2")
    expect(count).to_have_text("")
    first = len(DIMENSIONS[0].questions)
    expect(page.locator('.dimension-nav li[data-page="1"] .open-count')).to_have_text(
        f"({first} open)"
    )


def test_autosave_in_a_tab_left_open_after_submission_links_to_the_results(new_page, live_server):
    page = new_page()
    base = start(page, live_server, "Alter Tab KG")
    stale = page.context.new_page()
    stale.goto(base + "/d/1")
    page.goto(base + "/review")
    with page.expect_navigation():
        page.click('button:has-text("Submit")')

    stale.check(f"#answer-{DIMENSIONS[0].questions[0].id}-2")
    status = stale.locator("[data-autosave-status]")
    expect(status).to_contain_text("already been submitted")
    link = status.locator("a")
    expect(link).to_have_attribute("href", re.compile(r"/results$"))
    with stale.expect_navigation():
        link.click()
    expect(stale.locator("h1")).to_have_text("Your CX maturity")


def test_a_comment_counts_its_characters_and_says_when_the_limit_cuts_it(new_page, live_server):
    page = new_page()
    start(page, live_server, "Lange Kommentare AG")
    question = DIMENSIONS[0].questions[0].id
    box, hint = page.locator(f"#comment-{question}"), page.locator(f"#comment-{question}-limit")
    expect(hint).to_have_text("Up to 2000 characters.")
    box.fill("Budget fehlt")
    expect(hint).to_have_text("12 of 2000 characters")
    box.focus()
    page.keyboard.insert_text("x" * 2500)  # as a paste does: the browser keeps 2000
    expect(hint).to_contain_text("2000 of 2000 characters: the limit is reached")
    expect(hint).to_have_class(re.compile("is-full"))


def test_without_javascript_a_stale_tab_keeps_the_other_tabs_comment(new_page, live_server):
    tab_a = new_page(java_script_enabled=False)
    base = start(tab_a, live_server, "Zwei Fenster ohne Skript AG")
    tab_b = tab_a.context.new_page()
    tab_a.goto(base + "/d/2")
    tab_b.goto(base + "/d/2")
    question = DIMENSIONS[1].questions[0].id

    tab_a.check(f"#answer-{question}-0")
    tab_a.fill(f"#comment-{question}", "from tab A")
    with tab_a.expect_navigation():
        tab_a.click('.actions button[value="stay"]')
    tab_b.check(f"#answer-{question}-4")
    with tab_b.expect_navigation():
        tab_b.click('.actions button[value="next"]')

    assert tab_b.url.endswith("/d/2")  # shown again as stored, not the next page
    expect(tab_b.locator(".notice")).to_contain_text("changed in another window")
    expect(tab_b.locator(f"#answer-{question}-4")).to_be_checked()
    expect(tab_b.locator(f"#comment-{question}")).to_have_value("from tab A")
