"""The portfolio read from result snapshots (services/portfolio.py), on both databases."""

import datetime
from fractions import Fraction

import pytest
from factories import make_member, make_organization, make_workspace
from history_quarters import QueryCounter, document, import_all, person

from cxmaturity.domain.cohorts import cohort_statistics
from cxmaturity.domain.portfolio import Portfolio, PortfolioFilter, PortfolioStatus
from cxmaturity.domain.statuses import ActionStatus, Comparability, WorkspaceRole
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.services.portfolio_filter import portfolio_from_query
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Action, KpiValue, Organization, Target

TODAY = datetime.date(2026, 12, 1)


def seed(sessions, catalogue, count: int):
    """`count` clients: client n answers level 1 + n % 5 in 2026-Q3 and one more in Q4
    (at most 5); the last client has no Q4 assessment, the one before an open one."""
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        sued = make_workspace(session, slug="sued")
        ids = [
            make_organization(
                session,
                name=f"Client {n:02}",
                workspace=nord,
                industry="retail" if n % 2 else "bank",
            ).id
            for n in range(count)
        ]
        consultant = make_member(session, nord, role=WorkspaceRole.CONSULTANT)
        limited = make_member(
            session,
            nord,
            role=WorkspaceRole.CONSULTANT,
            listed_clients=[session.get(Organization, ids[0])],
        )
        stranger = make_member(session, sued, role=WorkspaceRole.OWNER)
        users = {"consultant": consultant.id, "limited": limited.id, "stranger": stranger.id}
    for n, client_id in enumerate(ids):
        level = 1 + n % 5
        quarters = [document("2026-Q3", "1.0", [person(catalogue, "1.0", "Anna", level)])]
        if n < count - 1:
            quarters.append(
                document("2026-Q4", "1.0", [person(catalogue, "1.0", "Anna", min(5, level + 1))])
            )
        import_all(sessions, catalogue, "nord", client_id, quarters[:1])
        if len(quarters) > 1:
            import_all(sessions, catalogue, "nord", client_id, quarters[1:], close=n != count - 2)
    return ids, users


def read(sessions, catalogue, user_id, **query):
    actor = load_actor(sessions, user_id)
    args = {key: value if isinstance(value, list) else [value] for key, value in query.items()}
    return portfolio_from_query(sessions, catalogue, actor, "nord", args, TODAY)


def test_one_row_per_client_with_its_closed_quarter_and_change(sessions, catalogue):
    ids, users = seed(sessions, catalogue, 7)
    portfolio = read(sessions, catalogue, users["consultant"])
    assert portfolio.filter.period == "2026-Q4"  # the latest period with an assessment
    assert [row.client_id for row in portfolio.rows] == ids  # by name
    first = portfolio.rows[0]
    assert first.status is PortfolioStatus.ASSESSED
    assert first.overall_score == Fraction(2) and first.overall_level == 2
    assert first.overall_change == Fraction(1)
    assert first.overall_comparability is Comparability.SAME
    assert len(first.dimensions) == 8 and first.dimensions[0].dimension_id == "strategy"
    assert (first.invited, first.submitted) == (1, 1)
    still_open, not_assessed = portfolio.rows[-2:]
    assert still_open.status is PortfolioStatus.OPEN and still_open.last_period == "2026-Q3"
    assert still_open.overall_score is None
    assert not_assessed.status is PortfolioStatus.NOT_ASSESSED
    assert not_assessed.last_period == "2026-Q3"
    # Five assessed clients: the band is published, over them only.
    assert portfolio.cohort.n == 5 and not portfolio.cohort.suppressed
    top, bottom = portfolio.movers()
    assert bottom == () and len(top) == 3
    assert portfolio.level_counts("strategy") == {1: 0, 2: 1, 3: 1, 4: 1, 5: 2}


def test_targets_actions_and_kpis_reach_the_row(sessions, catalogue):
    ids, users = seed(sessions, catalogue, 3)
    with transaction(sessions) as session:
        session.add_all(
            [
                Target(
                    organization_id=ids[0],
                    questionnaire_id="cx-maturity",
                    dimension_id="strategy",
                    target_level=4,
                    baseline_score="1",
                ),
                Action(
                    organization_id=ids[0],
                    questionnaire_id="cx-maturity",
                    dimension_id="strategy",
                    title="Write the CX strategy",
                    opened_period="2026-Q3",
                    status=ActionStatus.PLANNED.value,
                    due_date=datetime.date(2026, 11, 1),
                    carried_unchanged=2,
                ),
                Action(
                    organization_id=ids[0],
                    questionnaire_id="cx-maturity",
                    dimension_id="culture",
                    title="Done already",
                    opened_period="2026-Q3",
                    status=ActionStatus.DONE.value,
                ),
                KpiValue(
                    organization_id=ids[0],
                    period="2026-Q4",
                    kpi="nps",
                    inputs="{}",
                    value="31/2",
                    value_number=15.5,
                ),
            ]
        )
    row = read(sessions, catalogue, users["consultant"], sort="overall").rows[0]
    assert row.client_id == ids[0]
    strategy = row.cell("strategy")
    assert strategy.target_level == 4 and strategy.below_target and row.below_target
    # Score 2 from baseline 1 towards level 4's threshold 3.4: (2 − 1) ÷ (3.4 − 1).
    assert row.target_progress == Fraction(1) / Fraction(12, 5)
    assert (row.open_actions, row.overdue_actions, row.stalled_actions) == (1, 1, 1)
    assert row.kpi("nps") == Fraction(31, 2)


def test_the_query_count_does_not_grow_with_the_clients(sessions, catalogue):
    _ids, users = seed(sessions, catalogue, 12)
    engine = sessions.kw["bind"]
    with QueryCounter(engine) as counter:
        read(sessions, catalogue, users["consultant"], period="2026-Q4")
    twelve = counter.count
    # The limited consultant sees one client: the same statements, fewer rows.
    with QueryCounter(engine) as counter:
        read(sessions, catalogue, users["limited"], period="2026-Q4")
    assert counter.count == twelve <= 16


def test_filters_narrow_the_rows_and_the_band(sessions, catalogue):
    _ids, users = seed(sessions, catalogue, 7)
    retail = read(sessions, catalogue, users["consultant"], industry="retail")
    assert [row.industry for row in retail.rows] == ["retail"] * 3
    assert retail.cohort.suppressed  # 2 assessed retail clients
    nobody = read(sessions, catalogue, users["consultant"], industry="shipping")
    assert nobody.rows == () and nobody.cohort.n == 0
    assessed = read(
        sessions, catalogue, users["consultant"], status="assessed", sort="strategy", desc="1"
    )
    assert [row.cell("strategy").score for row in assessed.rows] == sorted(
        (row.cell("strategy").score for row in assessed.rows), reverse=True
    )
    empty_period = read(sessions, catalogue, users["consultant"], period="2025-Q1")
    assert all(row.status is PortfolioStatus.NOT_ASSESSED for row in empty_period.rows)


@pytest.mark.parametrize(
    "query",
    [
        {"status": "happy"},
        {"kpi": "revenue"},
        {"sort": "shoe_size"},
        {"period": "2026-Q5"},
        {"questionnaire": "nope"},
        {"major": "9"},
        {"colour": "red"},
        {"period": ["2026-Q3", "2026-Q4"]},
        {"desc": "maybe"},
    ],
)
def test_unknown_filter_values_are_refused_by_name(sessions, catalogue, query):
    _, users = seed(sessions, catalogue, 2)
    with pytest.raises(InvalidInput) as refused:
        read(sessions, catalogue, users["consultant"], **query)
    assert refused.value.field in {*query, "questionnaire"}


def test_nobody_sees_another_workspace_and_a_limited_consultant_only_listed_clients(
    sessions, catalogue
):
    ids, users = seed(sessions, catalogue, 4)
    with pytest.raises(NotVisible):
        read(sessions, catalogue, users["stranger"])
    limited = read(sessions, catalogue, users["limited"])
    assert [row.client_id for row in limited.rows] == [ids[0]]


def test_the_table_shows_fifty_clients_a_page_and_the_json_all(sessions, catalogue):
    _ids, users = seed(sessions, catalogue, 3)
    first = read(sessions, catalogue, users["consultant"])
    assert first.pages == 1 and first.page_rows == first.rows
    # A page past the last shows the last; a page that is no number is refused.
    assert read(sessions, catalogue, users["consultant"], page="9").page_rows == first.rows
    with pytest.raises(InvalidInput) as refused:
        read(sessions, catalogue, users["consultant"], page="zwei")
    assert refused.value.field == "page"


def test_rows_are_cut_into_pages_of_fifty():
    rows = tuple(range(120))
    chosen = PortfolioFilter("2026-Q4", "cx-maturity", "1", page=3)
    portfolio = Portfolio("nord", chosen, "1.0", (), rows, cohort_statistics([], [], 5))  # type: ignore[arg-type]
    assert portfolio.pages == 3 and portfolio.page_rows == tuple(range(100, 120))
