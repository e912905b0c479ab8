"""The period's closed results across a workspace, as cohorts read them, on both databases."""

from fractions import Fraction

from factories import make_organization, make_workspace
from history_quarters import QueryCounter, document, import_all, person

from cxmaturity.domain.cohorts import CohortFilter, position_of
from cxmaturity.services.cohorts import closed_clients_of_period
from cxmaturity.store.database import run_reading, transaction
from cxmaturity.store.models import Organization, utc_now


def seed(sessions, catalogue, count: int, period="2026-Q4", close=True):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord")
        other = make_workspace(session, slug="sued")
        ids = [
            make_organization(
                session,
                name=f"Client {n}",
                workspace=workspace,
                industry="retail" if n % 2 else None,
            ).id
            for n in range(count)
        ]
        stranger = make_organization(session, name="Elsewhere", workspace=other).id
        workspace_id = workspace.id
    for n, client_id in enumerate(ids):
        level = 1 + n % 5
        data = document(period, "1.0", [person(catalogue, "1.0", "Anna", level)])
        import_all(sessions, catalogue, "nord", client_id, [data], close=close)
    import_all(
        sessions,
        catalogue,
        "sued",
        stranger,
        [document(period, "1.0", [person(catalogue, "1.0", "Anna", 5)])],
    )
    return workspace_id, ids


def test_every_closed_client_of_the_period_is_read_in_three_queries(sessions, catalogue):
    workspace_id, ids = seed(sessions, catalogue, 7)
    engine = sessions.kw["bind"]
    with QueryCounter(engine) as counter:
        clients = run_reading(
            sessions, lambda s: closed_clients_of_period(s, workspace_id, "2026-Q4")
        )
    assert counter.count == 3
    assert [c.client_id for c in clients] == ids  # never another workspace's client
    assert [c.overall for c in clients] == [Fraction(1 + n % 5) for n in range(7)]
    assert all(len(c.dimensions) == 8 for c in clients)
    assert [c.industry for c in clients][:2] == [None, "retail"]
    me = clients[0]
    position = position_of(me, clients, [], 5)
    # Its peers scored 2, 3, 4, 5, 1, 2: the median of six is 2.5.
    assert position.peers.n == 6 and position.peers.overall.median == Fraction(5, 2)
    retail = position_of(me, clients, [], 3, CohortFilter(industry="retail"))
    assert retail.peers.n == 3


def test_open_assessments_other_periods_and_archived_clients_take_no_part(sessions, catalogue):
    workspace_id, ids = seed(sessions, catalogue, 3, close=False)
    read = lambda period: run_reading(  # noqa: E731
        sessions, lambda s: closed_clients_of_period(s, workspace_id, period)
    )
    assert read("2026-Q4") == []
    import_all(
        sessions,
        catalogue,
        "nord",
        ids[0],
        [document("2026-Q3", "1.0", [person(catalogue, "1.0", "Anna", 2)])],
    )
    assert [c.client_id for c in read("2026-Q3")] == [ids[0]]
    with transaction(sessions) as session:
        session.get(Organization, ids[0]).archived_at = utc_now()
    assert read("2026-Q3") == []
