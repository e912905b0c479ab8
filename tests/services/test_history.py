"""The history of a client (services/history.py), read from result snapshots, on both databases."""

import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from factories import make_member, make_organization, make_workspace
from history_quarters import (
    QueryCounter,
    document,
    four_versions,
    import_all,
    person,
    same_version,
)
from questionnaire_versions import versions_dir
from sqlalchemy import select

from cxmaturity.domain.statuses import Comparability, WorkspaceKind, WorkspaceRole
from cxmaturity.services.access import load_actor
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.errors import NotVisible
from cxmaturity.services.history import client_history
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Assessment, DimensionSnapshot, KpiValue, Target

SAME, BRIDGED, BROKEN = Comparability.SAME, Comparability.BRIDGED, Comparability.BROKEN


@pytest.fixture(scope="module")
def versions():
    # Written once: the versions take seconds to write and load.
    with tempfile.TemporaryDirectory() as folder:
        yield catalogue_for(versions_dir(Path(folder) / "questionnaires"))


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        consultant = make_member(session, nord, role=WorkspaceRole.CONSULTANT)
        stranger = make_member(session, make_workspace(session, slug="sued"))
        return {
            "client": alpha.id,
            "actor": consultant.id,
            "stranger": stranger.id,
        }


def actor(sessions, user_id):
    return load_actor(sessions, user_id)


def history_of(sessions, world, catalogue=None):
    return client_history(
        sessions, actor(sessions, world["actor"]), "nord", world["client"], catalogue
    )


def test_only_closed_periods_are_listed_oldest_first(sessions, catalogue, world):
    docs = same_version(catalogue, 3)
    # Imported out of order: the later quarter first, and the last one left open.
    import_all(sessions, catalogue, "nord", world["client"], [docs[1], docs[0]])
    import_all(sessions, catalogue, "nord", world["client"], [docs[2]], close=False)
    history = history_of(sessions, world, catalogue)
    assert [p.period for p in history.periods] == ["2024-Q1", "2024-Q2"]
    assert all(p.status == "closed" for p in history.periods)
    first, second = history.periods
    assert first.change is None and first.comparability is None
    assert all(d.change is None and d.comparability is None for d in first.dimensions)
    assert first.panel_overlap is None and not first.different_respondents
    # Closing Q1 after Q2 refreshed Q2's snapshot: it compares with Q1 now.
    assert second.comparability is SAME
    assert [d.dimension_id for d in second.dimensions] == [
        d.id for d in catalogue.get("cx-maturity").dimensions
    ]


def test_the_versions_give_the_classes_and_like_for_like_change_of_design_4_9(
    sessions, versions, world
):
    import_all(sessions, versions, "nord", world["client"], four_versions(versions))
    q1, q2, q3, q4 = history_of(sessions, world, versions).periods
    assert [p.questionnaire_version for p in (q1, q2, q3, q4)] == ["1.0", "1.1", "1.2", "2.0"]

    # 1.0 → 1.1: strategy bridged (one of five reworded), the reworded help changes nothing.
    assert q2.comparability is BRIDGED
    strategy = q2.dimension("strategy")
    assert strategy.comparability is BRIDGED
    assert (strategy.changed_questions, strategy.question_ids) == (1, 5)
    # By hand: Anna's strategy (weights 2,1,1,1,1) was (2·2+2+2+5+2)/6 = 5/2, now
    # (2·3+3+3+1+3)/6 = 8/3; Ben 3 both times. Scores 11/4 → 17/6, change 1/12.
    assert (strategy.score, q1.dimension("strategy").score) == (Fraction(17, 6), Fraction(11, 4))
    assert strategy.change == Fraction(1, 12)
    # Like for like, on the four unchanged questions (weights 2,1,1,1): Anna 2 → 3, Ben 3 → 3.
    assert strategy.like_for_like_change == Fraction(1, 2)
    assert strategy.stable_panel_change == Fraction(1, 12)
    understanding = q2.dimension("customer-understanding")
    assert understanding.comparability is SAME and understanding.change == Fraction(1, 2)
    assert understanding.like_for_like_change is None
    assert understanding.crossed == 1  # 2.5 (level 2) → 3 (level 3)
    assert q2.panel_overlap == 1 and not q2.different_respondents

    # 1.1 → 1.2: data-technology broken (two of five reworded), measurement bridged (5/6).
    assert q3.comparability is BROKEN and q3.change is None
    assert q3.dimension("data-technology").comparability is BROKEN
    assert q3.dimension("data-technology").change is None
    measurement = q3.dimension("measurement")
    assert measurement.comparability is BRIDGED
    assert (measurement.changed_questions, measurement.question_ids) == (1, 6)
    assert measurement.change == Fraction(1, 4) == measurement.like_for_like_change
    assert q3.dimension("strategy").comparability is SAME
    assert q3.dimension("strategy").change == Fraction(19, 6) - Fraction(17, 6)
    # Only Anna answered both: 1 of max(2, 4).
    assert q3.panel_overlap == Fraction(1, 4) and q3.different_respondents
    assert q3.dimension("strategy").stable_panel_change is None

    # 1.2 → 2.0: a new major version breaks every series.
    assert q4.comparability is BROKEN
    assert all(d.comparability is BROKEN and d.change is None for d in q4.dimensions)
    assert q4.panel_overlap == 1 and not q4.different_respondents


def test_active_targets_and_kpi_values_come_with_the_history(sessions, catalogue, world):
    import_all(sessions, catalogue, "nord", world["client"], same_version(catalogue, 2))
    with transaction(sessions) as session:
        common = {"organization_id": world["client"], "questionnaire_id": "cx-maturity"}
        session.add(Target(**common, dimension_id="strategy", target_level=3, status="active"))
        session.add(Target(**common, dimension_id="culture", target_level=4, status="dropped"))
        for period, value in (("2024-Q1", "25/2"), ("2024-Q2", None)):
            session.add(
                KpiValue(
                    organization_id=world["client"],
                    period=period,
                    kpi="nps",
                    inputs="{}",
                    value=value,
                    sample_size=40,
                )
            )
    history = history_of(sessions, world, catalogue)
    assert [(t.dimension_id, t.target_level) for t in history.targets] == [("strategy", 3)]
    assert history.kpi_periods == ("2024-Q1", "2024-Q2")
    assert history.kpi("2024-Q1", "nps").value == Fraction(25, 2)
    assert history.kpi("2024-Q2", "nps").value is None
    assert history.kpi("2024-Q2", "nps").sample_size == 40


def test_another_workspaces_user_gets_not_visible(sessions, catalogue, world):
    import_all(sessions, catalogue, "nord", world["client"], same_version(catalogue, 1))
    stranger = actor(sessions, world["stranger"])
    with pytest.raises(NotVisible):
        client_history(sessions, stranger, "nord", world["client"])
    with pytest.raises(NotVisible):
        client_history(sessions, stranger, "sued", world["client"])


def test_a_team_workspace_has_the_same_history(sessions, catalogue):
    with transaction(sessions) as session:
        team = make_workspace(session, slug="team", kind=WorkspaceKind.TEAM)
        own = make_organization(session, name="Wir GmbH", workspace=team)
        owner = make_member(session, team, role=WorkspaceRole.OWNER)
    import_all(sessions, catalogue, "team", own.id, same_version(catalogue, 2))
    history = client_history(sessions, actor(sessions, owner.id), "team", own.id, catalogue)
    assert [p.period for p in history.periods] == ["2024-Q1", "2024-Q2"]


def test_the_number_of_queries_does_not_grow_with_the_periods(sessions, catalogue):
    counts = {}
    for size in (2, 12):
        with transaction(sessions) as session:
            workspace = make_workspace(session, slug=f"ws{size}")
            client = make_organization(session, name=f"Client {size}", workspace=workspace)
            member = make_member(session, workspace)
        import_all(sessions, catalogue, f"ws{size}", client.id, same_version(catalogue, size))
        reader = actor(sessions, member.id)
        with QueryCounter(sessions.kw["bind"]) as counter:
            history = client_history(sessions, reader, f"ws{size}", client.id, catalogue)
        assert len(history.periods) == size
        counts[size] = counter.count
    assert counts[2] == counts[12]


def test_a_dimension_not_scored_is_null_not_missing(sessions, catalogue, world):
    quiet = person(catalogue, "1.0", "Anna", 3)
    questions = catalogue.get("cx-maturity").questions
    quiet["answers"] |= {q: None for q in questions if q.startswith("culture-")}
    import_all(sessions, catalogue, "nord", world["client"], [document("2026-Q1", "1.0", [quiet])])
    (period,) = history_of(sessions, world, catalogue).periods
    culture = period.dimension("culture")
    assert culture.score is None and culture.level is None


def test_the_history_reads_the_snapshots_and_never_scores_again(sessions, catalogue, world):
    import_all(sessions, catalogue, "nord", world["client"], same_version(catalogue, 2))
    with transaction(sessions) as session:
        row = session.scalars(
            select(DimensionSnapshot)
            .join(Assessment, Assessment.id == DimensionSnapshot.assessment_id)
            .where(Assessment.period == "2024-Q2", DimensionSnapshot.dimension_id == "culture")
        ).one()
        # What a snapshot says is what the history shows, even where the answers disagree.
        row.score, row.level, row.change = "7/2", 4, "3/4"
    culture = history_of(sessions, world, catalogue).periods[1].dimension("culture")
    assert (culture.score, culture.level, culture.change) == (Fraction(7, 2), 4, Fraction(3, 4))
