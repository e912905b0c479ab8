"""`cxmaturity history --workspace SLUG --client ID` (DESIGN §6): exact JSON of four quarters."""

import json

import pytest
from click.testing import CliRunner
from factories import make_organization, make_workspace
from history_quarters import four_versions, import_all
from questionnaire_versions import versions_dir

from cxmaturity.cli import cli
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory, transaction
from cxmaturity.store.models import KpiValue

DIMENSIONS = (
    "strategy",
    "customer-understanding",
    "touchpoints",
    "measurement",
    "data-technology",
    "personalization",
    "service-voc",
    "culture",
)


@pytest.fixture(scope="module")
def versions_folder(tmp_path_factory):
    # Written once: the versions take seconds to write and load (the catalogue is cached).
    return versions_dir(tmp_path_factory.mktemp("questionnaires"))


@pytest.fixture
def versions(versions_folder, monkeypatch):
    monkeypatch.setenv("CXM_QUESTIONNAIRES_DIR", str(versions_folder))
    return catalogue_for(versions_folder)


@pytest.fixture
def sessions(migrated_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def client_id(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord")
        make_workspace(session, slug="sued")
        return make_organization(session, name="Alpha AG", workspace=workspace).id


def run(*args):
    return CliRunner().invoke(cli, list(args))


def dimension(dimension_id, score, level, change=None, comparability=None, **more):
    return {
        "id": dimension_id,
        "score": score,
        "level": level,
        "change": change,
        "comparability": comparability,
        "like_for_like_change": more.get("like_for_like"),
        "stable_panel_change": more.get("stable_panel"),
    }


def period(name, version, overall, dimensions, overlap, different=False):
    return {
        "period": name,
        "questionnaire": {"id": "cx-maturity", "version": version},
        "status": "closed",
        "overall": dict(zip(("score", "level", "change", "comparability"), overall, strict=True)),
        "dimensions": dimensions,
        "panel_overlap": overlap,
        "different_respondents": different,
    }


def expected_periods():
    """Worked out by hand from tests/history_quarters.py (weights of DESIGN §3's file:
    strategy 1.5, customer-understanding and measurement 1.25, the rest 1; total 9)."""
    others = [d for d in DIMENSIONS if d != "strategy"]
    # Q1: strategy Anna (2·2+2+2+5+2)/6 = 5/2, Ben 3 → 11/4; the rest (2+3)/2 = 5/2.
    # Overall (1.5·11/4 + 7.5·5/2)/9 = 61/24 = 2.5416…
    q1 = period(
        "2026-Q1",
        "1.0",
        (2.54, 2, None, None),
        [dimension("strategy", 2.75, 3), *(dimension(d, 2.5, 2) for d in others)],
        None,
    )
    # Q2 (1.1): strategy Anna (2·3+3+3+1+3)/6 = 8/3, Ben 3 → 17/6 (+1/12, bridged);
    # like for like on the four unchanged questions: Anna 2 → 3, Ben 3 → 3: +1/2.
    # The rest 3 (+1/2, same; each one's own change 1 and 0: stable panel +1/2).
    # Overall (1.5·17/6 + 7.5·3)/9 = 107/36 = 2.972…, change 107/36 − 61/24 = 31/72.
    q2 = period(
        "2026-Q2",
        "1.1",
        (2.97, 3, 0.43, "bridged"),
        [
            dimension("strategy", 2.83, 3, 0.08, "bridged", like_for_like=0.5, stable_panel=0.08),
            *(dimension(d, 3.0, 3, 0.5, "same", stable_panel=0.5) for d in others),
        ],
        1.0,
    )
    # Q3 (1.2): Anna, Carla 4, Dora 4, Emil 2; strategy (8/3+4+4+2)/4 = 19/6, the rest 13/4.
    # Only Anna is in both periods: overlap 1/4, no stable panel (fewer than two).
    changed = {"data-technology": (None, "broken"), "measurement": (0.25, "bridged")}
    q3_dimensions = [dimension("strategy", 3.17, 3, 0.33, "same")]
    for name in others:
        change, comparability = changed.get(name, (0.25, "same"))
        like_for_like = 0.25 if comparability == "bridged" else None
        q3_dimensions.append(
            dimension(name, 3.25, 3, change, comparability, like_for_like=like_for_like)
        )
    # Overall (1.5·19/6 + 7.5·13/4)/9 = 233/72 = 3.236…; broken with data-technology.
    q3 = period("2026-Q3", "1.2", (3.24, 3, None, "broken"), q3_dimensions, 0.25, different=True)
    # Q4 (2.0): the same people and answers; a new major version breaks every series.
    q4 = period(
        "2026-Q4",
        "2.0",
        (3.24, 3, None, "broken"),
        [
            dimension("strategy", 3.17, 3, None, "broken"),
            *(dimension(d, 3.25, 3, None, "broken") for d in others),
        ],
        1.0,
    )
    return [q1, q2, q3, q4]


def test_history_prints_every_closed_period_exactly(sessions, versions, client_id):
    import_all(sessions, versions, "nord", client_id, four_versions(versions))
    result = run("history", "--workspace", "nord", "--client", str(client_id))
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == {"client": client_id, "periods": expected_periods()}


def test_the_like_for_like_change_is_the_common_questions_rescored(sessions, versions, client_id):
    import_all(sessions, versions, "nord", client_id, four_versions(versions))
    printed = json.loads(run("history", "--workspace", "nord", "--client", str(client_id)).output)
    strategy = printed["periods"][1]["dimensions"][0]
    # strategy-budget (reworded in 1.1) left out: cem-strategy (weight 2), goals,
    # sponsorship, roi. Anna (2·2+2+2+2)/5 = 2 then, (2·3+3+3+3)/5 = 3 now; Ben 3 and 3.
    then = (2 + 3) / 2
    now = (3 + 3) / 2
    assert strategy["id"] == "strategy"
    assert strategy["like_for_like_change"] == round(now - then, 2) == 0.5
    assert strategy["change"] == 0.08  # 17/6 − 11/4 = 1/12, with the reworded question


def test_the_json_has_exactly_the_keys_of_the_design_even_with_key_figures(
    sessions, versions, client_id
):
    import_all(sessions, versions, "nord", client_id, four_versions(versions)[:1])
    with transaction(sessions) as session:
        session.add(
            KpiValue(
                organization_id=client_id,
                period="2026-Q1",
                kpi="csat",
                inputs="{}",
                value="245/3",
                sample_size=300,
            )
        )
    printed = json.loads(run("history", "--workspace", "nord", "--client", str(client_id)).output)
    assert set(printed) == {"client", "periods"}
    assert set(printed["periods"][0]) == {
        "period",
        "questionnaire",
        "status",
        "overall",
        "dimensions",
        "panel_overlap",
        "different_respondents",
    }


def test_an_unknown_workspace_or_client_ends_with_one_line_and_exit_2(sessions, client_id):
    for args in (("--workspace", "nirgends", "--client", str(client_id)),
                 ("--workspace", "sued", "--client", str(client_id))):  # fmt: skip
        result = CliRunner().invoke(cli, ["history", *args])
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
        assert result.stdout == ""


def test_a_client_without_closed_periods_has_an_empty_history(sessions, client_id):
    result = run("history", "--workspace", "nord", "--client", str(client_id))
    assert result.exit_code == 0
    assert json.loads(result.output) == {"client": client_id, "periods": []}
