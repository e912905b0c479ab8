"""The action plan (DESIGN §2 Action, §4.12): steps written by hand or taken from the
recommendations, their history, carried into the next quarter, and judged at each close."""

import datetime

import pytest
from factories import cx_maturity, make_member, make_organization, make_workspace
from sqlalchemy import func, select

from cxmaturity.services import action_effects, plans, results
from cxmaturity.services.access import load_actor
from cxmaturity.services.assessment_import import import_answers
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Action, ActionEvent, Assessment

TODAY = datetime.date(2026, 11, 2)
QUESTIONNAIRE = "cx-maturity"
STRATEGY = [q.id for q in cx_maturity().dimension("strategy").questions]


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        beta = make_organization(session, name="Beta AG", workspace=nord)
        owner = make_member(session, nord, role="owner")
        viewer = make_member(session, nord, role="viewer")
        other = make_member(session, make_workspace(session, slug="sued"), role="owner")
        ids = (owner.id, viewer.id, other.id)
        clients = (alpha.id, beta.id)
    owner, viewer, other = (load_actor(sessions, user_id) for user_id in ids)
    return {
        "owner": owner,
        "viewer": viewer,
        "other": other,
        "alpha": clients[0],
        "beta": clients[1],
    }


def levels(base: int = 2, **raised: int) -> dict[str, int]:
    """Every question at `base`, the named ones (underscores for dashes) at their level."""
    answers = dict.fromkeys(cx_maturity().questions, base)
    answers.update({key.replace("_", "-"): level for key, level in raised.items()})
    return answers


def quarter(sessions, catalogue, client_id, period, *people: dict[str, int]):
    """The client's closed assessment of `period`, one respondent per answers mapping."""
    document = {
        "questionnaire": QUESTIONNAIRE,
        "organization": "Alpha AG",
        "period": period,
        "respondents": [
            {"name": f"Person {number}", "answers": answers}
            for number, answers in enumerate(people, 1)
        ],
    }
    return import_answers(sessions, catalogue, "nord", client_id, document, close=True).id


def add(sessions, catalogue, world, title="Define the CX strategy", actor="owner", **fields):
    new = plans.NewAction(fields.pop("dimension_id", "strategy"), title, **fields)
    return plans.create_action(
        sessions, catalogue, world[actor], "nord", world["alpha"], QUESTIONNAIRE, new, TODAY
    )


def change(sessions, catalogue, world, action_id, actor="owner", client="alpha", **fields):
    plans.update_action(
        sessions,
        catalogue,
        world[actor],
        "nord",
        world[client],
        action_id,
        plans.ActionChanges(**fields),
        TODAY,
    )


def plan(sessions, catalogue, world, actor="owner"):
    return plans.action_plan(
        sessions, catalogue, world[actor], "nord", world["alpha"], QUESTIONNAIRE, TODAY
    )


def stored(sessions, action_id) -> Action:
    with transaction(sessions) as session:
        action = session.get_one(Action, action_id)
        action.events  # noqa: B018 — loaded before the session ends
        return action


def counts(sessions) -> tuple[int, int]:
    with transaction(sessions) as session:
        return (
            session.scalar(select(func.count()).select_from(Action)),
            session.scalar(select(func.count()).select_from(ActionEvent)),
        )


def test_a_step_written_by_hand_is_stored_in_the_current_quarter_with_its_creation(
    sessions, catalogue, world
):
    action_id = add(
        sessions,
        catalogue,
        world,
        " Budget für CX beantragen ",
        question_id="strategy-budget",
        owner="Anna Berger",
        due_date=datetime.date(2027, 1, 31),
    )
    action = stored(sessions, action_id)
    assert (action.title, action.owner, action.status, action.source) == (
        "Budget für CX beantragen",
        "Anna Berger",
        "planned",
        "manual",
    )
    assert (action.question_id, action.opened_period, action.closed_period) == (
        "strategy-budget",
        "2026-Q4",
        None,
    )
    assert [event.kind for event in action.events] == ["created"]
    page = plan(sessions, catalogue, world)
    assert [line.id for line in page.open_actions] == [action_id]
    assert page.groups[0][0] == "planned"
    assert page.actions[0].events[0].by == "Anna Berger"  # make_member's default name


def test_the_current_period_is_the_latest_assessment_not_the_calendar(sessions, catalogue, world):
    quarter(sessions, catalogue, world["alpha"], "2026-Q2", levels(2))
    action_id = add(sessions, catalogue, world)
    assert stored(sessions, action_id).opened_period == "2026-Q2"


def test_recommended_steps_are_added_in_one_click_and_never_twice(sessions, catalogue, world):
    quarter(sessions, catalogue, world["alpha"], "2026-Q3", levels(2, strategy_goals=1))
    page = plan(sessions, catalogue, world)
    first = page.steps[0]
    assert first.priority and first.level in (1, 2)
    assert {step.source_key for step in page.steps} >= {"strategy:2:0", "culture:2:2"}
    action_id = plans.add_recommended_step(
        sessions,
        catalogue,
        world["owner"],
        "nord",
        world["alpha"],
        QUESTIONNAIRE,
        first.source_key,
        "de",
        TODAY,
    )
    action = stored(sessions, action_id)
    assert action.source == "recommendation" and action.source_key == first.source_key
    assert action.title == first.text.get("de")
    assert action.dimension_id == first.dimension_id and action.opened_period == "2026-Q3"
    with pytest.raises(InvalidInput) as refused:
        plans.add_recommended_step(
            sessions,
            catalogue,
            world["owner"],
            "nord",
            world["alpha"],
            QUESTIONNAIRE,
            first.source_key,
            "en",
            TODAY,
        )
    assert refused.value.field == "source_key"
    assert counts(sessions)[0] == 1
    priority_steps = [step for step in page.steps if step.priority]
    added = plans.add_priority_steps(
        sessions, catalogue, world["owner"], "nord", world["alpha"], QUESTIONNAIRE, "en", TODAY
    )
    assert added == len(priority_steps) - 1
    assert (
        plans.add_priority_steps(
            sessions, catalogue, world["owner"], "nord", world["alpha"], QUESTIONNAIRE, "en", TODAY
        )
        == 0
    )
    assert plan(sessions, catalogue, world).priority_steps_to_add == ()


def test_an_unknown_step_is_refused(sessions, catalogue, world):
    quarter(sessions, catalogue, world["alpha"], "2026-Q3", levels(2))
    for key in ("strategy:2:9", "nothing:2:0", "strategy", "strategy:x:0"):
        with pytest.raises(InvalidInput) as refused:
            plans.add_recommended_step(
                sessions,
                catalogue,
                world["owner"],
                "nord",
                world["alpha"],
                QUESTIONNAIRE,
                key,
                "en",
                TODAY,
            )
        assert refused.value.field == "source_key"
    assert counts(sessions) == (0, 0)


def test_each_edit_and_status_change_is_an_event_with_old_and_new_and_the_user(
    sessions, catalogue, world
):
    quarter(sessions, catalogue, world["alpha"], "2026-Q3", levels(2))
    action_id = add(sessions, catalogue, world)
    change(sessions, catalogue, world, action_id, title="Agree the CX strategy", owner="Bea")
    change(sessions, catalogue, world, action_id, status="in_progress")
    change(sessions, catalogue, world, action_id, status="done")
    action = stored(sessions, action_id)
    assert (action.status, action.closed_period, action.title) == (
        "done",
        "2026-Q3",
        "Agree the CX strategy",
    )
    kinds = [event.kind for event in action.events]
    assert kinds == ["created", "edited", "status_changed", "status_changed"]
    lines = plan(sessions, catalogue, world).actions[0].events
    assert {(c.field, c.old, c.new) for c in lines[1].changes} == {
        ("title", "Define the CX strategy", "Agree the CX strategy"),
        ("owner", None, "Bea"),
    }
    assert ("status", "planned", "in_progress") in {
        (c.field, c.old, c.new) for c in lines[2].changes
    }
    assert all(line.by == "Anna Berger" for line in lines)
    change(sessions, catalogue, world, action_id, status="planned")
    assert stored(sessions, action_id).closed_period is None


def test_bad_input_is_refused_by_field_and_stores_nothing(sessions, catalogue, world):
    for fields, field in [
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "evil \u202e text"}, "title"),
        ({"dimension_id": "nothing"}, "dimension_id"),
        ({"question_id": "culture-training"}, "question_id"),
        ({"owner": "a\nb"}, "owner"),
        ({"status": "finished"}, "status"),
        ({"due_date": datetime.date(1999, 12, 31)}, "due_date"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            add(sessions, catalogue, world, **fields)
        assert refused.value.field == field
    assert counts(sessions) == (0, 0)
    action_id = add(sessions, catalogue, world)
    with pytest.raises(InvalidInput):
        change(sessions, catalogue, world, action_id, title="new", status="finished")
    assert stored(sessions, action_id).title == "Define the CX strategy"
    assert counts(sessions) == (1, 1)


def test_another_workspace_gets_not_visible_and_a_viewer_forbidden(sessions, catalogue, world):
    action_id = add(sessions, catalogue, world)
    with pytest.raises(NotVisible):
        plan(sessions, catalogue, world, actor="other")
    with pytest.raises(NotVisible):
        add(sessions, catalogue, world, actor="other")
    with pytest.raises(Forbidden):
        add(sessions, catalogue, world, actor="viewer")
    with pytest.raises(Forbidden):
        change(sessions, catalogue, world, action_id, actor="viewer", status="done")
    with pytest.raises(NotVisible):  # the action is Alpha's, not Beta's
        change(sessions, catalogue, world, action_id, client="beta", status="done")
    assert plan(sessions, catalogue, world, actor="viewer").may_manage is False
    assert counts(sessions) == (1, 1)


def test_unfinished_actions_carry_over_and_stall_after_two_carries_unchanged(
    sessions, catalogue, world
):
    client = world["alpha"]
    quarter(sessions, catalogue, client, "2026-Q2", levels(2))
    waiting = add(sessions, catalogue, world, "Waiting")
    moving = add(sessions, catalogue, world, "Moving")
    dropped = add(sessions, catalogue, world, "Dropped", status="dropped")
    quarter(sessions, catalogue, client, "2026-Q3", levels(2))
    first = stored(sessions, waiting)
    assert (first.times_carried, first.carried_unchanged, first.last_carried_period) == (
        1,
        1,
        "2026-Q3",
    )
    assert first.effect is None and first.events[-1].kind == "carried"
    change(sessions, catalogue, world, moving, status="in_progress")
    quarter(sessions, catalogue, client, "2026-Q4", levels(2))
    stalled, moved = stored(sessions, waiting), stored(sessions, moving)
    assert (stalled.times_carried, stalled.carried_unchanged) == (2, 2)
    assert (stalled.effect, stalled.effect_period) == ("stalled", "2026-Q4")
    assert [event.kind for event in stalled.events][-2:] == ["carried", "judged"]
    assert (moved.times_carried, moved.carried_unchanged, moved.effect) == (2, 1, None)
    assert stored(sessions, dropped).times_carried == 0
    lines = {line.title: line for line in plan(sessions, catalogue, world).actions}
    assert lines["Waiting"].stalled and not lines["Moving"].stalled
    change(sessions, catalogue, world, waiting, status="blocked")
    assert stored(sessions, waiting).effect is None  # no longer stalled: its status changed


def test_closing_the_same_period_again_or_an_older_one_carries_nothing(sessions, catalogue, world):
    client = world["alpha"]
    quarter(sessions, catalogue, client, "2026-Q3", levels(2))
    action_id = add(sessions, catalogue, world)
    q4 = quarter(sessions, catalogue, client, "2026-Q4", levels(2))
    with transaction(sessions) as session:
        action_effects.assessment_closed(session, catalogue, session.get_one(Assessment, q4))
    assert stored(sessions, action_id).times_carried == 1
    quarter(sessions, catalogue, client, "2026-Q1", levels(2))  # imported late
    action = stored(sessions, action_id)
    assert (action.times_carried, action.last_carried_period) == (1, "2026-Q4")


def test_a_done_action_shows_an_effect_where_its_dimension_rose_by_half_a_level(
    sessions, catalogue, world
):
    client = world["alpha"]
    q3 = quarter(sessions, catalogue, client, "2026-Q3", levels(2), levels(2))
    strategy = add(sessions, catalogue, world, "Strategy", status="done")
    culture = add(sessions, catalogue, world, "Culture", dimension_id="culture", status="done")
    planned = add(sessions, catalogue, world, "Planned", dimension_id="touchpoints")
    # Strategy: one of two respondents a level higher → +0.5; culture: +0.4 (4 of 5
    # questions of one respondent); touchpoints +0.5 with no done action on it.
    culture_raised = {q.id: 3 for q in cx_maturity().dimension("culture").questions[:4]}
    touchpoints = {q.id: 3 for q in cx_maturity().dimension("touchpoints").questions}
    now_first = {**levels(2), **dict.fromkeys(STRATEGY, 3), **culture_raised, **touchpoints}
    q4 = quarter(sessions, catalogue, client, "2026-Q4", now_first, levels(2))
    assert stored(sessions, strategy).effect == "effect_seen"
    assert stored(sessions, culture).effect == "no_effect_yet"
    assert stored(sessions, strategy).effect_period == "2026-Q4"
    assert stored(sessions, planned).effect is None
    outcome = results.assessment_outcome(sessions, catalogue, q4)
    view = results.ResultsView(outcome, "en")
    assert view.moved_without_action == ("touchpoints",)
    assert view.plan is not None and view.plan.moved_without_action == ("Touchpoints & channels",)
    effects = {row.title: row.effect for row in view.plan.rows}
    assert effects == {"Strategy": "effect_seen", "Culture": "no_effect_yet", "Planned": None}
    quarter(sessions, catalogue, client, "2027-Q1", levels(2), levels(2))
    assert stored(sessions, strategy).effect_period == "2026-Q4"  # judged once
    # Q3's results do not speak of what Q4's close found.
    earlier = results.assessment_outcome(sessions, catalogue, q3)
    assert {action.effect for action in earlier.actions} == {None}


def test_an_action_on_one_question_is_judged_by_that_questions_mean(sessions, catalogue, world):
    client = world["alpha"]
    three = (levels(2), levels(2), levels(2))
    quarter(sessions, catalogue, client, "2026-Q3", *three)
    budget = add(sessions, catalogue, world, "Budget", question_id="strategy-budget")
    roi = add(sessions, catalogue, world, "ROI", question_id="strategy-roi")
    change(sessions, catalogue, world, budget, status="done")
    change(sessions, catalogue, world, roi, status="done")
    raised = levels(2, strategy_budget=3, strategy_roi=3)
    quarter(sessions, catalogue, client, "2026-Q4", raised, raised, levels(2, strategy_budget=3))
    # Budget's mean rose by 1 (the dimension by 0.2 only); ROI's by 2/3.
    assert stored(sessions, budget).effect == "effect_seen"
    assert stored(sessions, roi).effect == "no_effect_yet"


def test_a_question_answered_by_two_people_still_judges_its_action(sessions, catalogue, world):
    # Imports are confidential: fewer than three answers hide a question's figures on the
    # pages, but not the verdict on the action.
    client = world["alpha"]
    quarter(sessions, catalogue, client, "2026-Q3", levels(2), levels(2))
    budget = add(sessions, catalogue, world, "Budget", question_id="strategy-budget")
    change(sessions, catalogue, world, budget, status="done")
    quarter(sessions, catalogue, client, "2026-Q4", *(levels(2, strategy_budget=3),) * 2)
    assert stored(sessions, budget).effect == "effect_seen"


def test_a_done_action_without_a_previous_period_waits_for_the_next_close(
    sessions, catalogue, world
):
    action_id = add(sessions, catalogue, world, status="done")  # done in 2026-Q4
    quarter(sessions, catalogue, world["alpha"], "2026-Q4", levels(2))
    assert stored(sessions, action_id).effect is None
    quarter(sessions, catalogue, world["alpha"], "2027-Q1", levels(3))
    assert stored(sessions, action_id).effect == "effect_seen"
