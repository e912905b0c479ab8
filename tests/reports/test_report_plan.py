"""The PDF's roadmap: the client's action plan where there is one (owner, due date, status,
effect), the priorities' recommended next steps otherwise."""

import datetime

import pytest
from report_fixtures import DAY, outcome_with_disagreement, pages_text

from cxmaturity.domain.actions import PlannedAction
from cxmaturity.reports.pdf import render_report, report_html
from cxmaturity.reports.plan import plan_view

ACTIONS = (
    PlannedAction(
        dimension_id="measurement",
        question_id=None,
        title="NPS an jedem Kontaktpunkt messen",
        owner="Anna Schäfer",
        due_date=datetime.date(2027, 3, 31),
        status="in_progress",
        times_carried=1,
        effect=None,
    ),
    PlannedAction(
        dimension_id="strategy",
        question_id="strategy-budget",
        title="CX-Budget beantragen",
        owner="Dr. Jürgen Weiß",
        due_date=datetime.date(2026, 12, 15),
        status="done",
        times_carried=0,
        effect="effect_seen",
    ),
    PlannedAction(
        dimension_id="personalization",
        question_id=None,
        title="Einwilligungen prüfen",
        owner=None,
        due_date=None,
        status="blocked",
        times_carried=2,
        effect="stalled",
    ),
)


def roadmap(pdf: bytes, heading: str = "Roadmap for the next quarter") -> str:
    """The text from the roadmap's heading (past the contents list) to the end."""
    text = " ".join(pages_text(pdf))
    return text[text.index(heading, text.index(heading) + 1) :]


@pytest.fixture(scope="module")
def with_plan():
    outcome = outcome_with_disagreement(actions=ACTIONS)
    return {language: render_report(outcome, language, DAY) for language in ("de", "en")}


def test_the_roadmap_lists_each_action_with_owner_due_date_status_and_effect(with_plan):
    english = roadmap(with_plan["en"]).casefold()  # flags are set in capitals
    for text in (
        "NPS an jedem Kontaktpunkt messen",
        "Anna Schäfer",
        "March 31, 2027",
        "In progress",
        "carried once",
        "CX-Budget beantragen",
        "December 15, 2026",
        "Done",
        "effect seen",
        "Einwilligungen prüfen",
        "Blocked",
        "stalled",
    ):
        assert text.casefold() in english, text
    german = roadmap(with_plan["de"], "Fahrplan für das nächste Quartal").casefold()
    for text in ("Anna Schäfer", "31. März 2027", "In Arbeit", "Erledigt", "Wirkung sichtbar"):
        assert text.casefold() in german, text


def test_with_a_plan_the_recommended_steps_give_way_to_it(with_plan):
    outcome = outcome_with_disagreement()
    step = outcome.questionnaire.dimension("measurement").recommendations[1][0].get("en")
    assert step[:40] not in roadmap(with_plan["en"]).split("Method")[0]
    assert "priority 1" not in roadmap(with_plan["en"]).split("Method")[0].casefold()


def test_without_actions_the_roadmap_lists_the_recommendations():
    outcome = outcome_with_disagreement()
    assert plan_view(outcome, "en") is None
    english = roadmap(render_report(outcome, "en", DAY))
    step = outcome.questionnaire.dimension("measurement").recommendations[1][0].get("en")
    assert "priority 1" in english.casefold() and step[:40] in english
    assert "effect seen" not in english


def test_the_plan_says_which_dimensions_moved_without_a_recorded_action():
    outcome = outcome_with_disagreement(actions=ACTIONS)
    view = plan_view(outcome, "en")
    assert view is not None and view.unfinished == 2
    rose = [
        change.dimension_id
        for change in outcome.comparison.dimensions
        if change.change is not None and change.change >= 0.5 and change.dimension_id != "strategy"
    ]
    titles = [outcome.questionnaire.dimension(d).title.get("en") for d in rose]
    assert list(view.moved_without_action) == titles
    html = report_html(outcome, "en", DAY)
    assert ("Moved without a recorded action" in html) == bool(titles)


def test_with_a_plan_the_priorities_keep_their_next_steps_on_their_own_pages(with_plan):
    text = " ".join(pages_text(with_plan["en"]))
    assert "Next steps: in the roadmap" not in text
    outcome = outcome_with_disagreement(actions=ACTIONS)
    first = outcome.questionnaire.dimension(outcome.result.priorities[0])
    step = first.recommendations[outcome.result.dimension(first.id).level][0].get("en")
    assert " ".join(step.split()[:6]) in text
