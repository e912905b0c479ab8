"""A client's CX key figures per quarter: saved all or nothing, read with their change."""

import json
from fractions import Fraction

import pytest
from concurrency import run_together
from factories import make_client_staff, make_member, make_organization, make_workspace
from sqlalchemy import select

from cxmaturity.domain.kpi_inputs import Problem
from cxmaturity.domain.statuses import KpiName
from cxmaturity.services import kpis
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import transaction
from cxmaturity.store.models import AuditEntry, KpiValue

NPS = {"promoters": "50", "passives": "30", "detractors": "20"}
CSAT = {"satisfied": "40", "responses": "50"}


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        people = {
            "owner": make_member(session, nord, role="owner"),
            "viewer": make_member(session, nord, role="viewer"),
            "admin": make_client_staff(session, alpha, "client_admin"),
            "staff": make_client_staff(session, alpha, "client_viewer"),
            "other": make_member(session, make_workspace(session, slug="sued"), role="owner"),
        }
        ids = {name: user.id for name, user in people.items()}
        client_id = alpha.id
    return {name: load_actor(sessions, user_id) for name, user_id in ids.items()}, client_id


def stored(sessions):
    with transaction(sessions) as session:
        return {
            (row.period, row.kpi): (row.value, row.value_number, row.sample_size, row.inputs)
            for row in session.scalars(select(KpiValue))
        }


def test_saved_figures_are_stored_with_their_exact_value_and_read_back(sessions, world):
    actors, client_id = world
    kpis.save_kpis(
        sessions,
        actors["owner"],
        "nord",
        client_id,
        "2026-Q3",
        {"nps": NPS, "response_time": {"total_hours": "12,5", "inquiries": "4"}},
        {"nps": "Umfrage im September"},
    )
    rows = stored(sessions)
    assert rows[("2026-Q3", "nps")][:3] == ("30", 30.0, 100)
    assert rows[("2026-Q3", "response_time")][:3] == ("25/8", 3.125, 4)
    assert json.loads(rows[("2026-Q3", "response_time")][3]) == {
        "total_hours": "12.5",
        "inquiries": "4",
    }
    shown = kpis.client_kpis(sessions, actors["staff"], "nord", client_id)
    assert [period.period for period in shown.periods] == ["2026-Q3"]
    nps = shown.periods[0].line(KpiName.NPS)
    assert nps is not None
    assert (nps.value, nps.sample_size, nps.note) == (30, 100, "Umfrage im September")
    assert [line.kpi for line in shown.periods[0].lines] == [KpiName.NPS, KpiName.RESPONSE_TIME]
    assert not shown.may_manage


def test_each_period_shows_its_change_to_the_latest_earlier_value(sessions, world):
    actors, client_id = world
    save = kpis.save_kpis
    save(sessions, actors["owner"], "nord", client_id, "2026-Q1", {"csat": CSAT})
    zero = {"satisfied": "0", "responses": "0"}
    save(sessions, actors["owner"], "nord", client_id, "2026-Q2", {"csat": zero})
    save(
        sessions,
        actors["admin"],
        "nord",
        client_id,
        "2026-Q3",
        {"csat": {"satisfied": "45", "responses": "50"}},
    )

    shown = kpis.client_kpis(sessions, actors["owner"], "nord", client_id)
    assert [period.period for period in shown.periods] == ["2026-Q3", "2026-Q2", "2026-Q1"]
    latest = shown.periods[0].line(KpiName.CSAT)
    assert latest is not None
    # 2026-Q2 had no value (no responses): the change is to 2026-Q1's 80 %.
    assert (latest.value, latest.previous_value, latest.previous_period) == (90, 80, "2026-Q1")
    assert latest.change == 10
    no_value = shown.periods[1].line(KpiName.CSAT)
    assert no_value is not None
    assert (no_value.value, no_value.sample_size, no_value.change) == (None, 0, None)
    assert shown.may_manage


def test_zero_responses_store_no_value(sessions, world):
    actors, client_id = world
    kpis.save_kpis(
        sessions,
        actors["owner"],
        "nord",
        client_id,
        "2026-Q4",
        {"nps": {"promoters": "0", "passives": "0", "detractors": "0"}},
    )
    assert stored(sessions)[("2026-Q4", "nps")][:3] == (None, None, 0)


def test_bad_figures_store_nothing_and_name_each_field(sessions, world):
    actors, client_id = world
    with pytest.raises(kpis.KpiFiguresRefused) as refused:
        kpis.save_kpis(
            sessions,
            actors["owner"],
            "nord",
            client_id,
            "2026-Q4",
            {
                "nps": {"promoters": "12", "detractors": "9", "responses": "20"},
                "csat": {"satisfied": "51", "responses": "50"},
                "ces": {"agreeing": "-1", "responses": "abc"},
                "clv": {"annual_revenue": "1200,50", "years": "3", "acquisition_cost": "200"},
            },
            {"response_time": "a note alone"},
        )
    problems = {name: problem.problem for name, problem in refused.value.problems}
    assert problems == {
        "nps.responses": Problem.SUM_EXCEEDS_RESPONSES,
        "csat.satisfied": Problem.EXCEEDS_RESPONSES,
        "ces.agreeing": Problem.NEGATIVE,
        "ces.responses": Problem.NOT_A_NUMBER,
        "response_time.note": Problem.NOTE_WITHOUT_FIGURES,
    }
    assert stored(sessions) == {}


def test_a_key_figure_left_empty_is_deleted_and_the_save_is_audited(sessions, world):
    actors, client_id = world
    kpis.save_kpis(
        sessions, actors["owner"], "nord", client_id, "2026-Q4", {"nps": NPS, "csat": CSAT}
    )
    empty = {"satisfied": "", "responses": " "}
    kpis.save_kpis(
        sessions, actors["owner"], "nord", client_id, "2026-Q4", {"nps": NPS, "csat": empty}
    )
    assert set(stored(sessions)) == {("2026-Q4", "nps")}
    # A key figure not sent at all keeps what was stored.
    kpis.save_kpis(sessions, actors["owner"], "nord", client_id, "2026-Q4", {"csat": CSAT})
    assert set(stored(sessions)) == {("2026-Q4", "nps"), ("2026-Q4", "csat")}
    with transaction(sessions) as session:
        details = [
            entry.detail for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert details == ["2026-Q4: nps, csat", "2026-Q4: nps, csat deleted", "2026-Q4: csat"]


@pytest.mark.parametrize("period", ["2026-Q5", "Q4 2026", ""])
def test_a_period_not_written_as_a_quarter_is_refused(sessions, world, period):
    actors, client_id = world
    with pytest.raises(InvalidInput) as refused:
        kpis.save_kpis(sessions, actors["owner"], "nord", client_id, period, {"nps": NPS})
    assert refused.value.field == "period"


def test_an_unknown_key_figure_or_field_is_refused(sessions, world):
    actors, client_id = world
    with pytest.raises(InvalidInput):
        kpis.save_kpis(sessions, actors["owner"], "nord", client_id, "2026-Q4", {"churn": {}})
    with pytest.raises(InvalidInput) as refused:
        kpis.save_kpis(
            sessions, actors["owner"], "nord", client_id, "2026-Q4", {"csat": {**CSAT, "x": "1"}}
        )
    assert refused.value.field == "csat.x"


def test_a_viewer_and_client_staff_may_read_but_not_save(sessions, world):
    actors, client_id = world
    for reader in ("viewer", "staff"):
        kpis.client_kpis(sessions, actors[reader], "nord", client_id)
        with pytest.raises(Forbidden):
            kpis.save_kpis(sessions, actors[reader], "nord", client_id, "2026-Q4", {"nps": NPS})
    assert stored(sessions) == {}


def test_another_workspace_sees_nothing(sessions, world):
    actors, client_id = world
    with pytest.raises(NotVisible):
        kpis.client_kpis(sessions, actors["other"], "nord", client_id)
    with pytest.raises(NotVisible):
        kpis.client_kpis(sessions, actors["other"], "sued", client_id)
    with pytest.raises(NotVisible):
        kpis.save_kpis(sessions, actors["other"], "sued", client_id, "2026-Q4", {"nps": NPS})
    assert stored(sessions) == {}


def test_values_are_exact_fractions(sessions, world):
    actors, client_id = world
    kpis.save_kpis(
        sessions,
        actors["owner"],
        "nord",
        client_id,
        "2026-Q4",
        {"nps": {"promoters": "2", "passives": "1", "detractors": "0"}},
    )
    line = kpis.client_kpis(sessions, actors["owner"], "nord", client_id).periods[0].lines[0]
    assert line.value == Fraction(200, 3)


def test_two_saves_of_a_new_period_at_once_both_succeed_and_one_wins(sessions, world):
    actors, client_id = world
    periods = ("2026-Q2", "2026-Q3", "2026-Q4")

    def save(period, satisfied):
        figures = {"csat": {"satisfied": satisfied, "responses": "50"}}
        return lambda: kpis.save_kpis(sessions, actors["owner"], "nord", client_id, period, figures)

    for period in periods:
        run_together(save(period, "10"), save(period, "20"))
    rows = stored(sessions)
    assert set(rows) == {(period, "csat") for period in periods}
    assert all(rows[(period, "csat")][0] in ("20", "40") for period in periods)
