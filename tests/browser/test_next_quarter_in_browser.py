"""Last quarter's answers in Chromium: confirmed in place by the script, on a phone's width."""

import pytest
from factories import make_assessment, make_organization, make_respondent, make_workspace
from playwright.sync_api import expect

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory, transaction

pytestmark = pytest.mark.browser
# The factories' assessment is of 1.0 (the shipped 1.1 is for new assessments).
DIMENSIONS = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity", "1.0").dimensions


def prefilled_link(database_url: str) -> str:
    """A respondent of an open period whose every answer is last quarter's level 3."""
    engine = make_engine(database_url)
    try:
        with transaction(session_factory(engine)) as session:
            organization = make_organization(session, workspace=make_workspace(session))
            assessment = make_assessment(session, organization=organization, period="2027-Q1")
            answers = {q.id: 3 for d in DIMENSIONS for q in d.questions}
            respondent, token = make_respondent(session, assessment, answers=answers)
            for answer in respondent.answers:
                answer.prefilled = answer.offered = True
    finally:
        engine.dispose()
    return token


def test_confirming_and_changing_take_the_mark_away_in_place(new_page, mailing_live_server):
    token = prefilled_link(mailing_live_server.database_url)
    page = new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{mailing_live_server.url}/r/{token}/d/1")
    first, second = (question.id for question in DIMENSIONS[0].questions[:2])
    expect(page.locator("fieldset.is-prefilled")).to_have_count(5)
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.click(f'button[data-confirm="{first}"]')
    expect(page.locator(f"#q-{first}")).not_to_have_class("question is-prefilled")
    expect(page.locator(f"#q-{first} [data-prefilled-note]")).to_have_count(0)
    expect(page.locator("[data-answered]")).to_have_text("1 of 40 answered")
    expect(page.locator(f"#answer-{first}-2")).to_be_checked()

    page.check(f"#answer-{second}-4")
    expect(page.locator(f"#q-{second} [data-prefilled-note]")).to_have_count(0)
    expect(page.locator("[data-answered]")).to_have_text("2 of 40 answered")
    expect(page.locator("#prefilled-heading")).to_have_text(
        "38 answers from last quarter still to confirm"
    )

    page.reload()
    expect(page.locator("fieldset.is-prefilled")).to_have_count(3)
    expect(page.locator(f"#answer-{second}-4")).to_be_checked()
