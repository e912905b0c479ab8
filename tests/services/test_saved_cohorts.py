"""Saved cohorts and the portfolio page's service (services/saved_cohorts.py, portfolio_page.py),
on both databases: names unique per workspace, another workspace's cohort unknown, a team
workspace without portfolio, and a constant number of queries for the page."""

import datetime

import pytest
from factories import make_member, make_organization
from history_quarters import QueryCounter, document, import_all, person
from portfolio_world import build
from sqlalchemy import select

from cxmaturity.domain.statuses import WorkspaceRole
from cxmaturity.services import saved_cohorts
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.services.portfolio_page import portfolio_page
from cxmaturity.store.database import transaction
from cxmaturity.store.models import SavedCohort, User, Workspace

TODAY = datetime.date(2026, 12, 1)


def actor_of(sessions, email):
    with transaction(sessions) as session:
        user_id = session.scalar(select(User.id).where(User.email == email))
    return load_actor(sessions, user_id)


def definition(name="Handel", **fields):
    return saved_cohorts.CohortDefinition(
        name=name, questionnaire_id="cx-maturity", major="1", **fields
    )


def test_create_rename_delete_with_names_unique_per_workspace(sessions, catalogue):
    world = build(sessions, catalogue)
    consultant = actor_of(sessions, world.emails["consultant"])
    cohort_id = saved_cohorts.create_cohort(
        sessions, catalogue, consultant, "nord", definition(industry="retail", tags=["Pilot "])
    )
    (saved,) = saved_cohorts.list_cohorts(sessions, consultant, "nord")
    assert (saved.id, saved.industry, saved.tags) == (cohort_id, "retail", ("pilot",))
    with pytest.raises(InvalidInput) as taken:
        saved_cohorts.create_cohort(sessions, catalogue, consultant, "nord", definition())
    assert taken.value.field == "name"
    for bad, field in (
        (definition(name=" "), "name"),
        (definition(industry="oil"), "industry"),
        (definition(size="huge"), "size"),
        (saved_cohorts.CohortDefinition("X", "cx-maturity", "7"), "questionnaire"),
    ):
        with pytest.raises(InvalidInput) as refused:
            saved_cohorts.create_cohort(sessions, catalogue, consultant, "nord", bad)
        assert refused.value.field == field
    saved_cohorts.rename_cohort(sessions, consultant, "nord", cohort_id, "Einzelhandel")
    assert saved_cohorts.list_cohorts(sessions, consultant, "nord")[0].name == "Einzelhandel"
    saved_cohorts.delete_cohort(sessions, consultant, "nord", cohort_id)
    assert saved_cohorts.list_cohorts(sessions, consultant, "nord") == ()


def test_a_viewer_reads_but_does_not_change_and_strangers_see_nothing(sessions, catalogue):
    world = build(sessions, catalogue)
    consultant = actor_of(sessions, world.emails["consultant"])
    viewer = actor_of(sessions, world.emails["viewer"])
    cohort_id = saved_cohorts.create_cohort(sessions, catalogue, consultant, "nord", definition())
    assert len(saved_cohorts.list_cohorts(sessions, viewer, "nord")) == 1
    with pytest.raises(Forbidden):
        saved_cohorts.rename_cohort(sessions, viewer, "nord", cohort_id, "Neu")
    with transaction(sessions) as session:
        sued = Workspace(slug="sued", name="Süd")
        session.add(sued)
        session.flush()
        stranger_email = make_member(session, sued, role=WorkspaceRole.OWNER).email
        session.add(
            SavedCohort(
                workspace_id=sued.id, name="Fremd", questionnaire_id="cx-maturity", major="1"
            )
        )
    stranger = actor_of(sessions, stranger_email)
    with pytest.raises(NotVisible):
        saved_cohorts.list_cohorts(sessions, stranger, "nord")
    with pytest.raises(NotVisible):
        saved_cohorts.delete_cohort(sessions, stranger, "sued", cohort_id)  # nord's id
    with pytest.raises(NotVisible):
        portfolio_page(
            sessions, catalogue, consultant, "nord", {"cohort": [str(cohort_id + 1)]}, TODAY, "en"
        )


def test_a_team_workspace_has_no_portfolio(sessions, catalogue):
    world = build(sessions, catalogue)
    owner = actor_of(sessions, world.emails["team_owner"])
    with pytest.raises(NotVisible):
        portfolio_page(sessions, catalogue, owner, "team", {}, TODAY, "en")
    with pytest.raises(NotVisible):
        saved_cohorts.create_cohort(sessions, catalogue, owner, "team", definition())


def test_a_saved_cohort_fills_the_filter_and_the_page_reads_in_constant_queries(
    sessions, catalogue
):
    world = build(sessions, catalogue)
    consultant = actor_of(sessions, world.emails["consultant"])
    cohort_id = saved_cohorts.create_cohort(
        sessions, catalogue, consultant, "nord", definition(industry="finance")
    )
    query = {"cohort": [str(cohort_id)], "industry": ["retail"]}
    engine = sessions.kw["bind"]
    with QueryCounter(engine) as counter:
        page = portfolio_page(sessions, catalogue, consultant, "nord", query, TODAY, "de")
    seven = counter.count
    assert page.portfolio.filter.industry == "finance"
    assert sorted(row.client_name for row in page.portfolio.rows) == ["Delta KG", "Omega AG"]
    assert page.tags == ("pilot",) and page.periods == ("2026-Q4", "2026-Q3")
    assert page.dimension_titles["strategy"].startswith("Strategie")
    # Five more finance clients with their quarters, and five more cohorts: the same statements.
    with transaction(sessions) as session:
        nord = session.scalars(select(Workspace).where(Workspace.slug == "nord")).one()
        more = [
            make_organization(session, name=f"Bank {n}", industry="finance", workspace=nord).id
            for n in range(5)
        ]
        session.add_all(
            SavedCohort(
                workspace_id=nord.id, name=f"Kohorte {n}", questionnaire_id="cx-maturity", major="1"
            )
            for n in range(5)
        )
    for client_id in more:
        quarter = document("2026-Q4", "1.0", [person(catalogue, "1.0", "Anna", 3)])
        import_all(sessions, catalogue, "nord", client_id, [quarter])
    with QueryCounter(engine) as counter:
        page = portfolio_page(sessions, catalogue, consultant, "nord", query, TODAY, "de")
    assert len(page.portfolio.rows) == 7 and len(page.cohorts) == 6
    assert counter.count == seven
