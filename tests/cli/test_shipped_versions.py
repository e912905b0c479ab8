"""The shipped cx-maturity 1.1 against 1.0 on the command line (issue 13): `questionnaire
compare` says every dimension is bridged, and `history` gives a client assessed on 1.0 in
2026-Q4 and on 1.1 in 2027-Q1 each dimension's bridged change with its like-for-like one.
"""

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner
from factories import PROJECT_ROOT, make_organization, make_workspace
from history_quarters import import_all
from shipped_quarters import CHANGE, CHANGED_IN_1_1, NOW, THEN, documents

from cxmaturity.cli import cli
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory, transaction

SHIPPED = PROJECT_ROOT / "questionnaires"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_every_shipped_file_passes_the_check():
    files = sorted(str(path) for path in SHIPPED.glob("*.yaml"))
    assert len(files) == 2
    result = run("questionnaire", "check", *files)
    assert result.exit_code == 0, result.output
    assert "cx-maturity 1.0, 8 dimensions, 40 questions" in result.output
    assert "cx-maturity 1.1, 8 dimensions, 42 questions" in result.output


def test_compare_prints_every_dimension_bridged_on_the_shipped_files():
    result = run("--questionnaires", str(SHIPPED), "questionnaire", "compare", "cx-maturity",
                 "1.0", "1.1")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["from"], data["to"], data["overall"]) == ("1.0", "1.1", "bridged")
    assert [d["id"] for d in data["dimensions"]] == list(CHANGED_IN_1_1)
    for dimension in data["dimensions"]:
        added = dimension["id"] in ("touchpoints", "service-voc")  # a sixth question
        assert dimension["comparability"] == "bridged", dimension
        assert dimension["changed_questions"] == 1
        assert dimension["j_fraction"] == ("5/6" if added else "4/5")
        assert dimension["j"] == (0.83 if added else 0.8)


@pytest.fixture
def sessions(migrated_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("CXM_QUESTIONNAIRES_DIR", str(SHIPPED))
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


def test_history_marks_each_dimension_bridged_with_its_like_for_like_change(sessions):
    catalogue = catalogue_for(SHIPPED)
    with transaction(sessions) as session:
        client_id = make_organization(session, workspace=make_workspace(session, slug="nord")).id
    import_all(sessions, catalogue, "nord", client_id, documents(catalogue))
    result = run("history", "--workspace", "nord", "--client", str(client_id))
    assert result.exit_code == 0, result.output
    then, now = json.loads(result.output)["periods"]
    assert (then["period"], then["questionnaire"]["version"]) == (THEN, "1.0")
    assert (now["period"], now["questionnaire"]["version"]) == (NOW, "1.1")
    assert now["overall"]["comparability"] == "bridged"
    for dimension in now["dimensions"]:
        score, change = CHANGE[dimension["id"]]
        assert dimension["comparability"] == "bridged", dimension["id"]
        assert dimension["score"] == round(float(Fraction(score)), 2)
        assert dimension["change"] == change
        # The unchanged questions went from 2 to 3 for both: like for like +1.0.
        assert dimension["like_for_like_change"] == 1.0
        assert dimension["stable_panel_change"] == change  # the same two people
    assert now["panel_overlap"] == 1.0 and now["different_respondents"] is False
