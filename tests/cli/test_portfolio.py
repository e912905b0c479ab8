"""`cxmaturity portfolio --workspace SLUG --period P [--industry I] [--tag T]…` (DESIGN §6)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from portfolio_world import build

from cxmaturity.cli import cli
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture
def sessions(migrated_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("CXM_QUESTIONNAIRES_DIR", str(QUESTIONNAIRES))
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def world(sessions):
    return build(sessions, catalogue_for(QUESTIONNAIRES))


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_prints_the_portfolio_json_of_the_period(world):
    result = run("portfolio", "--workspace", "nord", "--period", "2026-Q4")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == "2026-Q4" and len(data["clients"]) == 7
    assert data["cohort"]["n"] == 6 and data["cohort"]["suppressed"] is False
    assert list(data)[:3] == ["workspace", "period", "questionnaire"]


def test_filters_by_industry_and_tag(world):
    result = run(
        "portfolio",
        "--workspace",
        "nord",
        "--period",
        "2026-Q4",
        "--industry",
        "retail",
        "--tag",
        "pilot",
    )
    data = json.loads(result.output)
    assert sorted(c["name"] for c in data["clients"]) == ["Alpha AG", "Beta GmbH"]
    assert data["cohort"] == {**data["cohort"], "n": 2, "suppressed": True}
    assert data["cohort"]["overall"]["median"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--workspace", "nowhere", "--period", "2026-Q4"), "no workspace 'nowhere'"),
        (("--workspace", "team", "--period", "2026-Q4"), "team workspace"),
        (("--workspace", "nord", "--period", "2026-Q5"), "period"),
    ],
)
def test_errors_are_one_line_on_stderr_and_exit_2(world, args, message):
    result = run("portfolio", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1
