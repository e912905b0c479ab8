"""Targets per dimension (DESIGN §2, §4.11): suggested, set, superseded, dropped, achieved."""

from fractions import Fraction

import pytest
from factories import (
    cx_maturity,
    make_assessment,
    make_client_staff,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import func, select, update

from cxmaturity.services import results, snapshots, targets, workspace_assessments
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Assessment, Organization, Target

STRATEGY = "strategy"
UNDERSTANDING = "customer-understanding"


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        users = {
            "owner": make_member(session, nord, role="owner"),
            "viewer": make_member(session, nord, role="viewer"),
            "admin": make_client_staff(session, alpha, "client_admin"),
            "staff": make_client_staff(session, alpha, "client_viewer"),
            "other": make_member(session, make_workspace(session, slug="sued"), role="owner"),
        }
        ids = {who: user.id for who, user in users.items()}
        alpha_id = alpha.id
    world = {who: load_actor(sessions, user_id) for who, user_id in ids.items()}
    world["alpha"] = alpha_id
    return world


def answers(**levels: int) -> dict[str, int]:
    """Every question at level 2, except the dimensions given (dimension id → level)."""
    levels = {key.replace("_", "-"): value for key, value in levels.items()}
    return {
        question.id: levels.get(dimension.id, 2)
        for dimension in cx_maturity().dimensions
        for question in dimension.questions
    }


def assessed(sessions, catalogue, world, period, *, close=True, **levels):
    """An assessment of `period` answered by one respondent; closed through the service."""
    with transaction(sessions) as session:
        organization = session.get_one(Organization, world["alpha"])
        assessment = make_assessment(session, organization, period=period)
        make_respondent(session, assessment, answers=answers(**levels), submitted=True)
        assessment_id = assessment.id
        if not close:
            snapshots.refresh_snapshot(
                session, catalogue, snapshots.lock_assessment(session, assessment_id)
            )
    if close:
        workspace_assessments.close_assessment(
            sessions, catalogue, world["owner"], "nord", assessment_id
        )
    return assessment_id


def read(sessions, catalogue, world, who="owner"):
    return targets.client_targets(sessions, catalogue, world[who], "nord", world["alpha"])


def stored(sessions):
    with transaction(sessions) as session:
        rows = session.scalars(select(Target).order_by(Target.id)).all()
        return [
            (row.dimension_id, row.target_level, row.due_period, row.baseline_score, row.status)
            for row in rows
        ]


def test_each_dimension_shows_its_score_level_and_the_suggested_default(sessions, catalogue, world):
    assessed(sessions, catalogue, world, "2026-Q3", strategy=3, customer_understanding=5)
    page = read(sessions, catalogue, world)
    assert page.period == "2026-Q3" and page.closed
    assert [row.dimension_id for row in page.rows] == [d.id for d in cx_maturity().dimensions]
    strategy, understanding = page.row(STRATEGY), page.row(UNDERSTANDING)
    assert (strategy.score, strategy.level, strategy.suggested_level) == (3, 3, 4)
    assert (understanding.level, understanding.suggested_level) == (5, 5)
    assert page.row("touchpoints").suggested_level == 3
    assert strategy.target is None and page.without_target == len(page.rows)
    assert page.may_manage


def test_the_latest_closed_assessment_counts_before_a_later_open_one(sessions, catalogue, world):
    assessed(sessions, catalogue, world, "2026-Q3", strategy=3)
    assessed(sessions, catalogue, world, "2026-Q4", close=False, strategy=4)
    assert read(sessions, catalogue, world).row(STRATEGY).level == 3
    with transaction(sessions) as session:
        # Back to draft (no such step exists): the closed one no longer counts.
        session.execute(
            update(Assessment).where(Assessment.period == "2026-Q3").values(status="draft")
        )
    page = read(sessions, catalogue, world)
    assert (page.period, page.closed, page.row(STRATEGY).level) == ("2026-Q4", False, 4)


def test_a_target_is_set_with_the_current_score_as_its_exact_baseline(sessions, catalogue, world):
    assessed(sessions, catalogue, world, "2026-Q3", strategy=3)
    changed = targets.set_targets(
        sessions, catalogue, world["owner"], "nord", world["alpha"], {STRATEGY: (4, " 2027-q2 ")}
    )
    assert changed == 1
    assert stored(sessions) == [(STRATEGY, 4, "2027-Q2", "3", "active")]
    target = read(sessions, catalogue, world).row(STRATEGY).target
    assert target is not None
    assert (target.target_level, target.due_period, target.baseline) == (4, "2027-Q2", 3)
    assert target.gap == Fraction(2, 5) and target.progress == 0 and not target.reached


def test_changing_a_target_supersedes_the_old_one_and_keeps_it_as_history(
    sessions, catalogue, world
):
    assessed(sessions, catalogue, world, "2026-Q3", strategy=3)
    set_ = targets.set_targets
    set_(sessions, catalogue, world["owner"], "nord", world["alpha"], {STRATEGY: (4, None)})
    # The same choice again changes nothing.
    assert (
        set_(sessions, catalogue, world["owner"], "nord", world["alpha"], {STRATEGY: (4, None)})
        == 0
    )
    set_(sessions, catalogue, world["admin"], "nord", world["alpha"], {STRATEGY: (5, "2027-Q4")})
    assert stored(sessions) == [
        (STRATEGY, 4, None, "3", "superseded"),
        (STRATEGY, 5, "2027-Q4", "3", "active"),
    ]
    with transaction(sessions) as session:
        active = session.scalar(
            select(func.count()).select_from(Target).where(Target.status == "active")
        )
    assert active == 1
    assert read(sessions, catalogue, world).row(STRATEGY).target.target_level == 5


def test_default_targets_in_one_click_leave_existing_targets_alone(sessions, catalogue, world):
    assessed(sessions, catalogue, world, "2026-Q3", strategy=3, customer_understanding=5)
    targets.set_targets(
        sessions, catalogue, world["owner"], "nord", world["alpha"], {STRATEGY: (5, None)}
    )
    count = targets.set_default_targets(sessions, catalogue, world["owner"], "nord", world["alpha"])
    dimensions = len(cx_maturity().dimensions)
    assert count == dimensions - 1
    page = read(sessions, catalogue, world)
    assert page.row(STRATEGY).target.target_level == 5
    assert page.row(UNDERSTANDING).target.target_level == 5
    assert page.row("touchpoints").target.target_level == 3
    assert page.without_target == 0
    assert (
        targets.set_default_targets(sessions, catalogue, world["owner"], "nord", world["alpha"])
        == 0
    )


def test_a_dropped_target_leaves_the_dimension_without_one(sessions, catalogue, world):
    assessed(sessions, catalogue, world, "2026-Q3")
    targets.set_targets(
        sessions, catalogue, world["owner"], "nord", world["alpha"], {STRATEGY: (3, None)}
    )
    assert targets.drop_target(
        sessions, catalogue, world["owner"], "nord", world["alpha"], STRATEGY
    )
    assert not targets.drop_target(
        sessions, catalogue, world["owner"], "nord", world["alpha"], STRATEGY
    )
    assert stored(sessions) == [(STRATEGY, 3, None, "2", "dropped")]
    assert read(sessions, catalogue, world).row(STRATEGY).target is None


def test_closing_an_assessment_that_reached_a_target_marks_it_achieved(sessions, catalogue, world):
    assessed(sessions, catalogue, world, "2026-Q3", strategy=2, touchpoints=2)
    targets.set_targets(
        sessions,
        catalogue,
        world["owner"],
        "nord",
        world["alpha"],
        {STRATEGY: (3, "2026-Q4"), "touchpoints": (4, None)},
    )
    q4 = assessed(sessions, catalogue, world, "2026-Q4", close=False, strategy=3, touchpoints=3)
    # Reached on the open assessment's scores, but only closing achieves it.
    assert [row[-1] for row in stored(sessions)] == ["active", "active"]
    assert read(sessions, catalogue, world).period == "2026-Q3"
    workspace_assessments.close_assessment(sessions, catalogue, world["owner"], "nord", q4)
    assert stored(sessions) == [
        (STRATEGY, 3, "2026-Q4", "2", "achieved"),
        ("touchpoints", 4, None, "2", "active"),
    ]
    page = read(sessions, catalogue, world)
    assert page.row(STRATEGY).target is None
    assert [(done.dimension_id, done.target_level) for done in page.achieved] == [(STRATEGY, 3)]
    touchpoints = page.row("touchpoints").target
    # (3 − 2) ÷ (3.4 − 2)
    assert touchpoints.progress == Fraction(5, 7) and touchpoints.gap == Fraction(2, 5)


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        ({STRATEGY: (0, None)}, "level-strategy"),
        ({STRATEGY: (6, None)}, "level-strategy"),
        ({STRATEGY: ("3", None)}, "level-strategy"),
        ({STRATEGY: (3, "2027-Q5")}, "due-strategy"),
        ({STRATEGY: (3, "Q2/2027")}, "due-strategy"),
        ({"no-such-dimension": (3, None)}, "dimension"),
    ],
)
def test_a_refused_choice_stores_nothing_of_the_whole_request(
    sessions, catalogue, world, choice, field
):
    assessed(sessions, catalogue, world, "2026-Q3")
    with pytest.raises(InvalidInput) as refused:
        targets.set_targets(
            sessions,
            catalogue,
            world["owner"],
            "nord",
            world["alpha"],
            {"touchpoints": (4, None), **choice},
        )
    assert refused.value.field == field
    assert stored(sessions) == []


def test_a_client_without_any_assessment_lists_nothing_and_refuses_targets(
    sessions, catalogue, world
):
    page = read(sessions, catalogue, world)
    assert page.rows == () and page.questionnaire is None and not page.scored
    with pytest.raises(InvalidInput):
        targets.set_default_targets(sessions, catalogue, world["owner"], "nord", world["alpha"])


def test_readers_may_read_but_not_change_and_another_workspace_sees_nothing(
    sessions, catalogue, world
):
    assessed(sessions, catalogue, world, "2026-Q3")
    for reader in ("viewer", "staff"):
        assert not read(sessions, catalogue, world, reader).may_manage
        with pytest.raises(Forbidden):
            targets.set_targets(
                sessions, catalogue, world[reader], "nord", world["alpha"], {STRATEGY: (3, None)}
            )
        with pytest.raises(Forbidden):
            targets.set_default_targets(sessions, catalogue, world[reader], "nord", world["alpha"])
        with pytest.raises(Forbidden):
            targets.drop_target(
                sessions, catalogue, world[reader], "nord", world["alpha"], STRATEGY
            )
    with pytest.raises(NotVisible):
        read(sessions, catalogue, world, "other")
    for slug in ("nord", "sued"):
        with pytest.raises(NotVisible):
            targets.set_targets(
                sessions, catalogue, world["other"], slug, world["alpha"], {STRATEGY: (3, None)}
            )
    assert stored(sessions) == []


def test_closing_an_older_quarter_late_does_not_achieve_a_newer_target(sessions, catalogue, world):
    q3 = assessed(sessions, catalogue, world, "2026-Q3", close=False, strategy=4)
    assessed(sessions, catalogue, world, "2026-Q4", strategy=2)
    targets.set_targets(
        sessions, catalogue, world["owner"], "nord", world["alpha"], {STRATEGY: (3, None)}
    )
    workspace_assessments.close_assessment(sessions, catalogue, world["owner"], "nord", q3)
    assert stored(sessions) == [(STRATEGY, 3, None, "2", "active")]


def test_the_quarter_that_reaches_a_target_still_shows_it_reached_on_its_results(
    sessions, catalogue, world
):
    assessed(sessions, catalogue, world, "2026-Q3", strategy=2)
    targets.set_targets(
        sessions, catalogue, world["owner"], "nord", world["alpha"], {STRATEGY: (3, None)}
    )
    q4 = assessed(sessions, catalogue, world, "2026-Q4", strategy=3)

    with transaction(sessions) as session:
        outcome = results.consultant_outcome(session, catalogue, session.get_one(Assessment, q4))
    assert [(t.dimension_id, t.reached) for t in outcome.targets] == [(STRATEGY, True)]
    assert [row[-1] for row in stored(sessions)] == ["achieved"]
    q1 = assessed(sessions, catalogue, world, "2027-Q1", strategy=3)
    with transaction(sessions) as session:
        later = results.consultant_outcome(session, catalogue, session.get_one(Assessment, q1))
    assert later.targets == ()  # achieved by Q4: no longer a target of Q1


def test_a_target_set_before_any_score_gets_its_baseline_when_a_quarter_closes(
    sessions, catalogue, world
):
    with transaction(sessions) as session:
        organization = session.get_one(Organization, world["alpha"])
        make_assessment(session, organization, period="2026-Q3")
    targets.set_targets(
        sessions, catalogue, world["owner"], "nord", world["alpha"], {STRATEGY: (4, None)}
    )
    assert stored(sessions)[0][3] is None

    q4 = assessed(sessions, catalogue, world, "2026-Q4", strategy=2)

    with transaction(sessions) as session:
        target = session.scalars(select(Target)).one()
        assert (Fraction(target.baseline_score), target.baseline_period) == (2, "2026-Q4")
    with transaction(sessions) as session:
        outcome = results.consultant_outcome(session, catalogue, session.get_one(Assessment, q4))
    assert outcome.targets[0].progress == 0
